"""Checks of what torch.save / torch.load give back for an optimizer state dict, and what state_dict() holds."""

from __future__ import annotations

import copy

from compat.catalog.checks.helpers import by_position, differences


def roundtrip(opt, loaded):
    """Return where the dict torch.load returned differs from the state_dict() that was saved."""
    return differences(opt.state_dict(), loaded, "state_dict")


def snapshot(opt, params, train, n):
    """Return what changed in the dict state_dict() returned when the optimizer took one more step."""
    live = opt.state_dict()
    returned = copy.deepcopy(live)
    train(opt, params, 1, n)  # one more step
    return differences(returned, live, "state_dict", ("returned", "one step later"))


def complete(opt):
    """Return what of the per-parameter state the optimizer keeps is missing from state_dict() or differs there."""
    return differences(by_position(opt), opt.state_dict()["state"], "state", ("optimizer.state", "state_dict()"))
