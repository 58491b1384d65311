"""Checks of the per-parameter state load_state_dict restores: values, dtypes, devices, step."""

from __future__ import annotations

import torch

from compat.catalog.checks.helpers import by_position, differences, first_line


def restored(opt, fresh):
    """Return where the state after load_state_dict differs from the saved state."""
    return differences(opt.state_dict()["state"], by_position(fresh), "state", ("saved", "after load_state_dict"))


def state_tensors(opt):
    """Return (position, key, value, param, fused-or-capturable) for every state tensor of ``opt``."""
    found, position = [], 0
    for group in opt.param_groups:
        special = bool(group.get("fused") or group.get("capturable"))  # then step lives with the param, in float32
        for param in group["params"]:
            for key, value in opt.state.get(param, {}).items():
                if isinstance(value, torch.Tensor):
                    found.append((position, key, value, param, special))
            position += 1
    return found


def dtype_follows_param(opt, fresh):
    """Return the state whose dtype is not its param's (floating state) or its own (step; float32 if special)."""
    saved = opt.state_dict()["state"]
    wanted, got = {}, {}
    for position, key, value, param, special in state_tensors(fresh):
        if key == "step":
            want = torch.float32 if special else saved[position]["step"].dtype
        elif value.is_floating_point():
            want = param.dtype
        else:
            continue
        wanted.setdefault(position, {})[key], got.setdefault(position, {})[key] = str(want), str(value.dtype)
    return differences(wanted, got, "state", ("expected dtype", "loaded dtype"))


def device_follows_param(fresh):
    """Return the state not on its param's device after loading (step: on the CPU unless fused or capturable)."""
    wanted, got = {}, {}
    for position, key, value, param, special in state_tensors(fresh):
        want = "cpu" if key == "step" and not special else str(param.device)
        wanted.setdefault(position, {})[key], got.setdefault(position, {})[key] = want, str(value.device)
    return differences(wanted, got, "state", ("expected device", "loaded device"))


def step_dtypes(opt):
    """Return the dtype (or number type) of every param's step, by position."""
    state = by_position(opt)
    return {i: getattr(s["step"], "dtype", type(s["step"]).__name__) for i, s in state.items() if "step" in s}


def step_dtype(opt, params, fresh, fresh_params, train, m, n):
    """Return where step's dtype after load_state_dict, else after training on, is not the saving run's."""
    saved, loaded = step_dtypes(opt), step_dtypes(fresh)
    train(opt, params, m, n)  # the saving run trains on uninterrupted: the checkpoint is a copy
    try:
        train(fresh, fresh_params, m, n)
    except Exception as error:
        return [f"step() after load_state_dict raised {first_line(error)}"]
    return differences(saved, loaded, "step", ("saved", "after load_state_dict")) or differences(
        step_dtypes(opt), step_dtypes(fresh), "step", ("uninterrupted", "resumed")
    )
