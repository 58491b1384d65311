"""Checks of an LR scheduler's round trip: its state dict, and what the steps resumed in each order use."""

from __future__ import annotations

import torch

from compat.catalog.checks.helpers import detached, differences


def state_dict_roundtrip(sched, loaded):
    """Return where the scheduler dict torch.load returned differs from the state_dict() that was saved."""
    return differences(sched.state_dict(), loaded["scheduler"], "scheduler")


def first_differing_step(expected, got, what):
    """Return the differences at the first step whose values differ (path ``<what>: step N``), and which steps do."""
    steps = [
        differences(a, b, f"{what}: step {i}", ("uninterrupted", "resumed"))
        for i, (a, b) in enumerate(zip(expected, got, strict=True), start=1)
    ]
    differing = [i for i, found in enumerate(steps, start=1) if found]
    if not differing:
        return []
    first = steps[differing[0] - 1]
    return [f"{first[0]}; steps {differing} of {len(steps)} differ", *first[1:]]


def lr_trajectory(fresh, fresh_sched, fresh_params, expected, train, m, n, order):
    """Return the first resumed step whose lr (or cycled momentum) is not the uninterrupted run's."""
    got = train(fresh, fresh_sched, fresh_params, m, n)
    return first_differing_step(expected, got, f"{order}: lr used")


def params_bitwise(fresh, fresh_sched, fresh_params, straight_params, train, m, n, order):
    """Return where the params after M resumed steps are not the uninterrupted run's, bitwise."""
    train(fresh, fresh_sched, fresh_params, m, n)
    names = ("uninterrupted", "resumed")
    return differences(detached(straight_params), detached(fresh_params), f"{order}: params", names)


def last_lr(sched, fresh_sched):
    """Return where get_last_lr() after loading differs from its value at save time."""
    # get_last_lr() returns _last_lr; ReduceLROnPlateau has no get_last_lr() before 2.2, nor _last_lr before a step
    at_save = [float(lr) for lr in getattr(sched, "_last_lr", [])]
    after = [float(lr) for lr in getattr(fresh_sched, "_last_lr", [])]
    return differences(at_save, after, "get_last_lr()", ("at save", "after load"))


def leaves_optimizer_lr(fresh_params, build, build_sched, loaded):
    """Return where scheduler.load_state_dict changes the lr of the optimizer it schedules."""
    fresh = build(fresh_params)
    fresh_sched = build_sched(fresh)
    fresh.load_state_dict(loaded["optimizer"])
    before = [float(g["lr"]) for g in fresh.param_groups]
    fresh_sched.load_state_dict(loaded["scheduler"])
    after = [float(g["lr"]) for g in fresh.param_groups]
    return differences(before, after, "optimizer lr", ("before scheduler.load_state_dict", "after"))


def copied(value):
    """Return ``value`` with its containers copied and tensors cloned; any other object (a function) is kept."""
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, dict):
        copy = value.copy()  # of the dict's own type: a Counter stays a Counter
        for key, item in value.items():
            copy[key] = copied(item)
        return copy
    if isinstance(value, (list, tuple)):
        return type(value)(copied(item) for item in value)
    return value


def leaves_argument_intact(fresh_params, build, build_sched, loaded, train, m, n):
    """Return what of the dict scheduler.load_state_dict was given changed, by the load or by training after it."""
    given = copied(loaded["scheduler"])
    fresh = build(fresh_params)
    fresh_sched = build_sched(fresh)
    fresh.load_state_dict(loaded["optimizer"])
    fresh_sched.load_state_dict(loaded["scheduler"])
    problems = differences(given, loaded["scheduler"], "state", ("as loaded", "after load"))
    if problems:
        return problems
    train(fresh, fresh_sched, fresh_params, m, n)
    return differences(given, loaded["scheduler"], "state", ("as loaded", "after training"))


def children_states(composite):
    """Return the state dict of every child of a composite scheduler, depth first."""
    return [s for child in getattr(composite, "_schedulers", []) for s in [child.state_dict(), *children_states(child)]]


def composite_restored(sched, fresh, fresh_sched, fresh_params, expected, train, m, n):
    """Return the child schedulers whose state the load did not restore; else the first resumed step with another lr."""
    names = ("saved child", "restored child")
    problems = differences(children_states(sched), children_states(fresh_sched), "children", names)
    if problems:
        return problems
    got = train(fresh, fresh_sched, fresh_params, m, n)
    return first_differing_step(expected, got, "scheduler-first: lr used")


def plateau_restored(sched, fresh, fresh_sched, fresh_params, expected, train, m, n):
    """Return the ReduceLROnPlateau counters the load did not restore; else the first resumed step with another lr."""
    fields = ("best", "num_bad_epochs", "cooldown_counter", "mode", "last_epoch")
    saved = {f: sched.state_dict().get(f) for f in fields}
    restored = {f: fresh_sched.state_dict().get(f) for f in fields}
    problems = differences(saved, restored, "ReduceLROnPlateau", ("saved", "restored"))
    if problems:
        return problems
    got = train(fresh, fresh_sched, fresh_params, m, n)
    return first_differing_step(expected, got, "scheduler-first: lr used")
