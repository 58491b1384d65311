"""Checks of training on from a checkpoint."""

from __future__ import annotations

from compat.catalog.checks.helpers import detached, differences


def bitwise(straight, straight_params, fresh, fresh_params, train, m, n):
    """Return where M steps of the loaded optimizer end apart from N+M uninterrupted steps: params, else state."""
    train(fresh, fresh_params, m, n)
    names = ("uninterrupted", "resumed")
    params = differences(detached(straight_params), detached(fresh_params), "params", names)
    return params or differences(straight.state_dict(), fresh.state_dict(), "state_dict", names)


def no_grad_params(opt, fresh, fresh_params, straight_params, train, m, n, idle):
    """Return the state of params that never had a grad (positions ``idle``), else where resuming differs."""
    before = sorted(i for i in opt.state_dict()["state"] if i in idle)
    train(fresh, fresh_params, m, n)
    after = sorted(i for i in fresh.state_dict()["state"] if i in idle)
    return (
        differences([], before, "idle params", ("expected", "state before the save for"))
        or differences([], after, "idle params", ("expected", "state after resuming for"))
        or differences(detached(straight_params), detached(fresh_params), "params", ("uninterrupted", "resumed"))
    )
