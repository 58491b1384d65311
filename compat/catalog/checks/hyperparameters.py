"""Checks of the hyperparameters and flags load_state_dict restores, and of the flags another device wrote."""

from __future__ import annotations

import copy

import torch

from compat.catalog.checks.helpers import detached, differences, first_line, hyperparameters


def restored(opt, fresh):
    """Return where a param group's hyperparameters after load_state_dict differ from the saved ones."""
    saved = hyperparameters(opt.state_dict()["param_groups"])
    names = ("saved", "after load_state_dict")
    return differences(saved, hyperparameters(fresh.param_groups), "param_groups", names)


def flags_restored(opt, fresh):
    """Return the implementation flags a param group saved that it does not hold after load_state_dict."""
    flags = ("foreach", "fused", "capturable", "differentiable", "maximize")
    saved = [{f: g[f] for f in flags if f in g} for g in opt.state_dict()["param_groups"]]
    after = [{f: g.get(f, "<absent>") for f in s} for s, g in zip(saved, fresh.param_groups, strict=True)]
    return differences(saved, after, "param_groups", ("saved", "after load_state_dict"))


def tensor_lr_preserved(opt, fresh, tensor_lr):
    """Return where the lr of a group built with a tensor lr (positions ``tensor_lr``) is not the saved tensor."""
    saved = opt.state_dict()["param_groups"]
    names = ("saved", "after load_state_dict")
    return [
        line
        for i in tensor_lr
        for line in differences(saved[i]["lr"], fresh.param_groups[i]["lr"], f"param_groups[{i}].lr", names)
    ]


def lr_type_follows_checkpoint(opt, fresh, fresh_params, train, m, n):
    """Return where an lr after load_state_dict is not the checkpoint's (type and value), or why step() then fails."""
    loaded = [g["lr"] for g in fresh.param_groups]
    saved = [g["lr"] for g in opt.state_dict()["param_groups"]]
    problems = differences(saved, loaded, "lr", ("checkpoint", "after load_state_dict"))
    if problems:
        return problems
    for step in range(m):
        try:
            train(fresh, fresh_params, 1, n + step)
        except Exception as error:
            kinds = [f"tensor({lr.dtype})" if isinstance(lr, torch.Tensor) else type(lr).__name__ for lr in loaded]
            return [f"step() {step + 1} after load_state_dict raised {first_line(error)} (lr after load: {kinds})"]
    return []


def default_flags_resume(loaded, fresh_params, build, straight_params, train, m, n, written_flags):
    """Return where the checkpoint with the default flags a CUDA run writes resumes apart from the uninterrupted run."""
    written = copy.deepcopy(loaded)
    for group in written["param_groups"]:
        group.update(written_flags)
    resumed = build(fresh_params)
    try:
        resumed.load_state_dict(written)
        train(resumed, fresh_params, m, n)
    except Exception as error:
        return [f"resuming raised {first_line(error)}; flags written {written_flags}"]
    names = ("uninterrupted", f"resumed with the default flags {written_flags}")
    return differences(detached(straight_params), detached(fresh_params), "params", names)


def device_flags_resume(loaded, params, moved, build, train, m, n, written_flags, cpu_flags):
    """Return where the checkpoint with a CUDA run's flags resumes apart from it with only those the CPU runs."""
    ends = []
    for flags in (written_flags, cpu_flags):
        checkpoint = copy.deepcopy(loaded)
        for group in checkpoint["param_groups"]:
            group.update(flags)
        resumed_params = moved(params)
        resumed = build(resumed_params)
        try:
            resumed.load_state_dict(checkpoint)
            train(resumed, resumed_params, m, n)
        except Exception as error:
            after = {f: resumed.param_groups[0].get(f, "<absent>") for f in ("foreach", "fused", "capturable")}
            return [f"resuming with {flags} raised {first_line(error)}; the groups' flags after load {after}"]
        ends.append(detached(resumed_params))
    names = (f"resumed with the flags the CPU takes {cpu_flags}", f"with all written {written_flags}")
    return differences(ends[1], ends[0], "params", names)
