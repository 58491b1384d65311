"""Checks of the answers to the questions users ask about the lr and the optimizer state dict."""

from __future__ import annotations

import torch

from compat.catalog.checks.helpers import differences


def lr_in_state_dict(loaded, lrs, tensor_lr):
    """Return where a group's saved lr is not the one it was built with (``lrs``; a tensor at ``tensor_lr``)."""
    given = [torch.tensor(lr) if i in tensor_lr else lr for i, lr in enumerate(lrs)]
    found = [g.get("lr", "<absent>") for g in loaded["param_groups"]]
    return differences(given, found, "param_groups[*].lr", ("constructor", "checkpoint"))


def lr_not_in_per_param_state(loaded):
    """Return the positions whose saved per-parameter state holds an 'lr' (an optimizer's other entries aside)."""
    holding = sorted(i for i, entry in loaded["state"].items() if isinstance(i, int) and "lr" in entry)
    return differences([], holding, "state", ("expected", "positions whose state has 'lr'"))


def fresh_optimizer_uses_constructor_lr(params, moved, build, train, n, constructor_lr):
    """Return where an optimizer re-created without load_state_dict trains a step with another lr than it got."""
    other_params = moved(params)
    other = build(other_params)
    train(other, other_params, 1, n)
    found = [g["lr"] for g in other.param_groups]
    return differences([constructor_lr] * len(found), found, "param_groups[*].lr", ("constructor", "training"))
