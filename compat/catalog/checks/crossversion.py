"""Checks of a checkpoint another torch release saved, loaded by the installed one (compat.run.crossversion).

``loaded`` is the checkpoint as torch.load read it: the saving release's ``optimizer`` (and
``scheduler``) state, its ``params`` at the save point, the version that saved it (``torch``) and
``continuation``, what that release computed on from the save point itself. ``fresh`` (and
``fresh_sched``) are built here and loaded from it, scheduler first. torch refusing to read or load
the checkpoint raises before a check runs: that refusal is the violation.
"""

from __future__ import annotations

import torch

from compat.catalog.checks.helpers import detached, differences, first_line, hyperparameters


def optimizer_loads(fresh):
    """Return nothing: torch.load read the checkpoint and load_state_dict accepted it (a refusal is the violation)."""
    return []


def scheduler_loads(fresh_sched):
    """Return nothing: torch.load read the checkpoint and the scheduler accepted it (a refusal is the violation)."""
    return []


def hyperparameters_restored(loaded, fresh):
    """Return where a param group's hyperparameters after load_state_dict differ from the saved ones."""
    saved = hyperparameters(loaded["optimizer"]["param_groups"])
    restored = [{k: g.get(k) for k in s} for s, g in zip(saved, fresh.param_groups, strict=True)]
    return differences(saved, restored, "param_groups", (f"torch {loaded['torch']} saved", "loaded"))


def state_restored(loaded, fresh):
    """Return where the per-parameter state after load_state_dict differs from the saved state, bitwise."""
    names = (f"torch {loaded['torch']} saved", "loaded")
    return differences(loaded["optimizer"]["state"], fresh.state_dict()["state"], "state", names)


def numerics(continuation, straight_params):
    """Return where this release's uninterrupted run ends apart from the saving release's, bitwise."""
    names = ("the saving release computed", "computed here")
    return differences(continuation["params"], detached(straight_params), "params", names)


def resumed_bitwise(continuation, fresh, fresh_params, train, m, n):
    """Return where M steps here from the checkpoint end apart from the saving release's own N+M steps, bitwise."""
    try:
        train(fresh, fresh_params, m, n)
    except Exception as error:  # torch refusing to train on is the violation
        return [f"raises {first_line(error)} (training on after load_state_dict)"]
    names = ("the saving release computed", "resumed here")
    return differences(continuation["params"], detached(fresh_params), "params", names)


def resumed_close(continuation, fresh, fresh_params, train, m, n):
    """Return the params M steps here from the checkpoint leave beyond rtol 1e-5, atol 1e-7 of the saving release's."""
    try:
        train(fresh, fresh_params, m, n)
    except Exception as error:  # torch refusing to train on is the violation
        return [f"raises {first_line(error)} (training on after load_state_dict)"]
    far = []
    for i, (saved, resumed) in enumerate(zip(continuation["params"], detached(fresh_params), strict=True)):
        saved, resumed = saved.double(), resumed.double()
        if not torch.allclose(saved, resumed, rtol=1e-5, atol=1e-7):
            far.append(
                f"params[{i}]: max difference {float((saved - resumed).abs().max()):.3g} from the saving release's"
            )
    return far


def scheduler_resumed(continuation, fresh, fresh_sched, fresh_params, train, m, n):
    """Return where what each step resumed here used (lr) differs from what the saving release's own run used."""
    try:
        used = train(fresh, fresh_sched, fresh_params, m, n)
    except Exception as error:  # torch refusing to train on is the violation
        return [f"raises {first_line(error)} (training on after load_state_dict)"]
    return differences(continuation["lrs"], used, "lr", ("the saving release used", "resumed here"))
