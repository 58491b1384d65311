"""The scheduler round trip: build a scheduler from a case, train, save, restore in each order.

Plain Python over real torch, like ``compat.run.engine``. A run records, just before every
``optimizer.step()``, the lr of every param group (and the momentum or beta1 a ``cycle_momentum``
scheduler sets): the values the update really uses, the first resumed step included. A resumed run
is compared with the uninterrupted one step by step. The restore orders (``ORDERS``) are the ones
users write; ``ORDER_STEPS`` says what each does.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from compat.catalog import schedulers
from compat.catalog.case import Case, Sched
from compat.catalog.schedule_functions import argument as _argument
from compat.catalog.schedulers import Order
from compat.run import engine

ORDER_STEPS: dict[Order, str] = {
    "scheduler-first": "build optimizer, build scheduler, load optimizer state, load scheduler state",
    "built-after-load": "build optimizer, load optimizer state, build scheduler, load scheduler state",
    "optimizer-only": "build optimizer, load optimizer state, build a new scheduler (its state not loaded)",
    "scheduler-only": "build a new optimizer (its state not loaded), build scheduler, load scheduler state",
    "last-epoch": "build optimizer, load optimizer state, build scheduler with last_epoch=N-1 (the index of the "
    "last epoch, as documented; N the scheduler steps taken before the save) in every constructor that takes it "
    "(its state not loaded)",
    "last-epoch-count": "build optimizer, load optimizer state, build scheduler with last_epoch=N (the number of "
    "scheduler steps taken, where torch documents the index of the last epoch: the pitfall) in every constructor "
    "that takes it (its state not loaded)",
    "repaired": "build optimizer, load optimizer state, build scheduler, load scheduler state, then set every "
    "group's lr to scheduler.get_last_lr()",
}
ORDERS: tuple[Order, ...] = tuple(ORDER_STEPS)
LAST_EPOCH: dict[Order, int] = {"last-epoch": -1, "last-epoch-count": 0}
"""The orders that pass ``last_epoch``: what each adds to N, the scheduler steps taken before the save.

torch documents ``last_epoch`` as the index of the last epoch: after N steps that is N-1 (and
-1, its default, with no step taken: a fresh schedule). Passing N is the off-by-one pitfall.
"""
CYCLES_MOMENTUM = ("CyclicLR", "OneCycleLR")


def build(sched: Sched, opt: torch.optim.Optimizer, last_epoch: int | None = None) -> Any:
    """Return the torch scheduler ``sched`` describes, on ``opt`` (children built first).

    ``last_epoch``, when given, goes to every constructor in the tree that takes it.
    """
    cls = schedulers.get(sched.name).load()
    kwargs = {k: _argument(v) for k, v in sched.kwargs.items()}
    if last_epoch is not None and schedulers.takes_last_epoch(cls):
        kwargs["last_epoch"] = last_epoch
    if sched.name == "SequentialLR":
        return cls(opt, schedulers=[build(child, opt, last_epoch) for child in sched.children], **kwargs)
    if sched.name == "ChainedScheduler":
        return cls([build(child, opt, last_epoch) for child in sched.children], **kwargs)
    return cls(opt, **kwargs)


def lrs(opt: torch.optim.Optimizer) -> list[float]:
    """Return the lr of every param group as Python floats."""
    return [float(group["lr"]) for group in opt.param_groups]


def cycled(sched: Sched) -> bool:
    """Return whether ``sched`` (or a child) cycles the momentum or beta1 along with the lr."""
    own = sched.name in CYCLES_MOMENTUM and sched.kwargs.get("cycle_momentum", True)
    return bool(own) or any(cycled(child) for child in sched.children)


def used(opt: torch.optim.Optimizer, momentum: bool) -> list[dict[str, float]]:
    """Return, per param group, the lr the next ``optimizer.step()`` uses, and its momentum or beta1 if asked."""
    found = []
    for group in opt.param_groups:
        values = {"lr": float(group["lr"])}
        if momentum and "momentum" in group:
            values["momentum"] = float(group["momentum"])
        elif momentum and "betas" in group:
            values["beta1"] = float(group["betas"][0])
        found.append(values)
    return found


def step(case: Case, scheduler: Any, index: int) -> None:
    """Step ``scheduler`` once for global step ``index`` (with the case's metric where it takes one)."""
    if schedulers.get(case.scheduler.name).kind == "plateau":
        scheduler.step(case.metrics[index])
    else:
        scheduler.step()


Trajectory = list[list[dict[str, float]]]
"""Per optimizer step, per param group: the values that step uses (see ``used``)."""


def train(
    case: Case, opt: torch.optim.Optimizer, scheduler: Any, params: list[torch.Tensor], start: int, steps: int
) -> Trajectory:
    """Run ``steps`` optimizer + scheduler steps from global step ``start``.

    Return what each ``optimizer.step()`` used, read just before it, then what the next one would use.
    """
    momentum = cycled(case.scheduler)
    trajectory = []
    for index in range(start, start + steps):
        trajectory.append(used(opt, momentum))
        engine.train(case, opt, params, index, 1)
        step(case, scheduler, index)
    trajectory.append(used(opt, momentum))
    return trajectory


@dataclass
class Uninterrupted:
    """The run that never stops: what each step used from the save point on, and the end parameters."""

    trajectory: Trajectory
    params: list[torch.Tensor]


def uninterrupted(case: Case) -> Uninterrupted:
    """Return the ``steps_before + steps_after`` run, keeping the trajectory from the save point on."""
    params = engine.parameters(case)
    opt = engine.optimizer(case, params, case.kwargs)
    scheduler = build(case.scheduler, opt)
    trajectory = train(case, opt, scheduler, params, 0, case.steps_before + case.steps_after)
    return Uninterrupted(trajectory[case.steps_before :], [p.detach() for p in params])


@dataclass
class Saved:
    """The run up to the save point and what the checkpoint held."""

    scheduler: Any
    state: dict[str, Any]
    last_lr: list[float]
    loaded: dict[str, Any]


def _at_save_point(case: Case) -> tuple[torch.optim.Optimizer, Any, list[torch.Tensor]]:
    """Return the optimizer, its scheduler and the params after the case's ``steps_before`` steps."""
    params = engine.parameters(case)
    opt = engine.optimizer(case, params, case.kwargs)
    scheduler = build(case.scheduler, opt)
    train(case, opt, scheduler, params, 0, case.steps_before)
    return opt, scheduler, params


def saved(case: Case) -> Saved:
    """Return the run to the save point, its scheduler state and the checkpoint as loaded back."""
    opt, scheduler, params = _at_save_point(case)
    state = engine.snapshot(scheduler.state_dict())
    on_disk = {
        "optimizer": opt.state_dict(),
        "scheduler": scheduler.state_dict(),
        "params": [p.detach() for p in params],
    }
    loaded = engine.through_storage(on_disk, case.save_load, case.load_device)
    return Saved(scheduler, state, [float(x) for x in _last_lr(scheduler)], loaded)


def save_refusal(case: Case) -> str | None:
    """Return the line ``torch.save`` raises on the case's checkpoint at its save point, or None if it saves.

    CyclicLR on 1.13 keeps a WeakMethod in its state and up to 2.1 the lambda it was given: no
    checkpoint of it can be written, whatever the claim.
    """
    opt, scheduler, _ = _at_save_point(case)
    checkpoint = {"optimizer": opt.state_dict(), "scheduler": scheduler.state_dict()}
    try:
        torch.save(checkpoint, io.BytesIO(), **engine.save_options(case.save_load))
    except Exception as error:  # what torch.save raises is the finding
        return engine.error_line(error)
    return None


def _last_lr(scheduler: Any) -> list[Any]:
    """Return ``get_last_lr()``; ReduceLROnPlateau sets ``_last_lr`` only in step (get_last_lr from 2.2)."""
    return list(getattr(scheduler, "_last_lr", []))


@dataclass
class Resumed:
    """A resumed run: the objects, what loading did, and the lr trajectory after the save point."""

    scheduler: Any
    optimizer: torch.optim.Optimizer
    given: dict[str, Any]
    argument_after_load: dict[str, Any]
    argument_after_training: dict[str, Any]
    lr_before_scheduler_load: list[float]
    lr_after_scheduler_load: list[float]
    last_lr_after_load: list[float]
    state_after_load: dict[str, Any]
    children_after_load: list[dict[str, Any]]
    trajectory: Trajectory
    params: list[torch.Tensor]


def resumed_objects(
    case: Case, checkpoint: dict[str, Any], params: list[torch.Tensor], order: Order, sched: Sched | None = None
) -> tuple[torch.optim.Optimizer, Any]:
    """Return the optimizer and scheduler resumed from ``checkpoint`` over ``params`` in ``order``."""
    return _resumed_objects(case, checkpoint, params, order, sched)[:2]


def _resumed_objects(
    case: Case, checkpoint: dict[str, Any], params: list[torch.Tensor], order: Order, sched: Sched | None = None
) -> tuple[torch.optim.Optimizer, Any, list[float], list[float], list[float]]:
    """Return the resumed optimizer and scheduler, the lrs before and after the scheduler's load, and its last lr."""
    opt = engine.optimizer(case, params, case.fresh_kwargs, overrides=False)
    description = sched or case.scheduler
    scheduler = build(description, opt) if order in ("scheduler-first", "scheduler-only") else None
    if order != "scheduler-only":
        _load(opt.load_state_dict, checkpoint["optimizer"], "optimizer.load_state_dict")
    if scheduler is None:
        scheduler = _constructed(description, opt, passed_last_epoch(case, order))
    before = lrs(opt)
    if order not in ("optimizer-only", *LAST_EPOCH):
        _load(scheduler.load_state_dict, checkpoint["scheduler"], "scheduler.load_state_dict")
    after = lrs(opt)
    last_lr = [float(x) for x in _last_lr(scheduler)]
    if order == "repaired":
        for group, lr in zip(opt.param_groups, _last_lr(scheduler), strict=False):
            group["lr"] = lr
    return opt, scheduler, before, after, last_lr


def resumed(case: Case, order: Order = "scheduler-first", sched: Sched | None = None) -> Resumed:
    """Return the run resumed from the checkpoint in ``order``, building ``sched`` (default: the case's)."""
    checkpoint = saved(case).loaded
    given = engine.snapshot(checkpoint["scheduler"])
    params = engine.parameters(case, checkpoint["params"], device=case.load_device, dtype=case.load_dtype)
    opt, scheduler, before, after, last_lr = _resumed_objects(case, checkpoint, params, order, sched)
    state_after_load = engine.snapshot(scheduler.state_dict())
    children_after_load = children_states(scheduler)
    argument = engine.snapshot(checkpoint["scheduler"])
    trajectory = train(case, opt, scheduler, params, case.steps_before, case.steps_after)
    return Resumed(
        scheduler=scheduler,
        optimizer=opt,
        given=given,
        argument_after_load=argument,
        argument_after_training=engine.snapshot(checkpoint["scheduler"]),
        lr_before_scheduler_load=before,
        lr_after_scheduler_load=after,
        last_lr_after_load=last_lr,
        state_after_load=state_after_load,
        children_after_load=children_after_load,
        trajectory=trajectory,
        params=[p.detach() for p in params],
    )


def passed_last_epoch(case: Case, order: Order) -> int | None:
    """Return the ``last_epoch`` the resumed code passes in ``order`` (None: the order passes none)."""
    return case.steps_before + LAST_EPOCH[order] if order in LAST_EPOCH else None


def _constructed(sched: Sched, opt: torch.optim.Optimizer, last_epoch: int | None) -> Any:
    """Return ``build(sched, opt, last_epoch)``; a constructor that refuses is torch refusing the resume."""
    try:
        return build(sched, opt, last_epoch)
    except Exception as error:
        what = f"{sched.name}(..., last_epoch={last_epoch})" if last_epoch is not None else f"{sched.name}(...)"
        raise engine.TorchRefused(f"{what} on the loaded optimizer raised {engine.error_line(error)}") from error


def _load(load: Callable[[Any], Any], state: dict[str, Any], what: str) -> None:
    try:
        load(state)
    except Exception as error:
        raise engine.TorchRefused(f"{what} raised {engine.error_line(error)}") from error


def children_states(scheduler: Any) -> list[dict[str, Any]]:
    """Return the state dict of every child of a composite scheduler, depth first."""
    found = []
    for child in getattr(scheduler, "_schedulers", []):
        found.append(engine.snapshot(child.state_dict()))
        found.extend(children_states(child))
    return found
