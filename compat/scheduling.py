"""The scheduler round trip: build a scheduler from a case, train, save, restore in each order.

Plain Python over real torch, like ``compat.engine``. A run records the lr of every param group
after every scheduler step (the lr trajectory), so a resumed run can be compared with the
uninterrupted one step by step. The three restore orders are the ones users write:

- ``scheduler-first``: build optimizer, build scheduler, load optimizer state, load scheduler state;
- ``built-after-load``: build optimizer, load optimizer state, build scheduler, load scheduler state;
- ``optimizer-only``: build optimizer, load optimizer state, build a new scheduler, load nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import torch

from compat import engine, schedulers
from compat.case import Case, Fn, Sched

Order = Literal["scheduler-first", "built-after-load", "optimizer-only"]
ORDERS: tuple[Order, ...] = ("scheduler-first", "built-after-load", "optimizer-only")


class ScheduleObject:
    """A picklable callable schedule: its ``__dict__`` is what a scheduler state dict saves."""

    def __init__(self, factor: float) -> None:
        self.factor = factor

    def __call__(self, epoch: int) -> float:
        """Return ``factor ** epoch``."""
        return self.factor**epoch


def schedule_function(factor: float) -> Callable[[int], float]:
    """Return a plain (def) function computing ``factor ** epoch``."""

    def schedule(epoch: int) -> float:
        return factor**epoch

    return schedule


def callable_for(fn: Fn) -> Callable[[int], float]:
    """Return the callable ``fn`` describes, written the way its ``kind`` says."""
    if fn.kind == "function":
        return schedule_function(fn.factor)
    if fn.kind == "object":
        return ScheduleObject(fn.factor)
    factor = fn.factor
    return lambda epoch: factor**epoch


def _argument(value: Any) -> Any:
    if isinstance(value, Fn):
        return callable_for(value)
    if isinstance(value, list):
        return [_argument(v) for v in value]
    return value


def build(sched: Sched, opt: torch.optim.Optimizer) -> Any:
    """Return the torch scheduler ``sched`` describes, on ``opt`` (children built first)."""
    cls = schedulers.get(sched.name).load()
    kwargs = {k: _argument(v) for k, v in sched.kwargs.items()}
    if sched.name == "SequentialLR":
        return cls(opt, schedulers=[build(child, opt) for child in sched.children], **kwargs)
    if sched.name == "ChainedScheduler":
        return cls([build(child, opt) for child in sched.children], **kwargs)
    return cls(opt, **kwargs)


def lrs(opt: torch.optim.Optimizer) -> list[float]:
    """Return the lr of every param group as Python floats."""
    return [float(group["lr"]) for group in opt.param_groups]


def step(case: Case, scheduler: Any, index: int) -> None:
    """Step ``scheduler`` once for global step ``index`` (with the case's metric where it takes one)."""
    if schedulers.get(case.scheduler.name).kind == "plateau":
        scheduler.step(case.metrics[index])
    else:
        scheduler.step()


def train(
    case: Case, opt: torch.optim.Optimizer, scheduler: Any, params: list[torch.Tensor], start: int, steps: int
) -> list[list[float]]:
    """Run ``steps`` optimizer + scheduler steps from global step ``start``; return the lr after each."""
    trajectory = []
    for index in range(start, start + steps):
        engine.train(case, opt, params, index, 1)
        step(case, scheduler, index)
        trajectory.append(lrs(opt))
    return trajectory


@dataclass
class Uninterrupted:
    """The run that never stops: the lr trajectory after the save point, and the end parameters."""

    trajectory: list[list[float]]
    params: list[torch.Tensor]


def uninterrupted(case: Case) -> Uninterrupted:
    """Return the ``steps_before + steps_after`` run, keeping the trajectory after the save point."""
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


def saved(case: Case) -> Saved:
    """Return the run to the save point, its scheduler state and the checkpoint as loaded back."""
    params = engine.parameters(case)
    opt = engine.optimizer(case, params, case.kwargs)
    scheduler = build(case.scheduler, opt)
    train(case, opt, scheduler, params, 0, case.steps_before)
    state = engine.snapshot(scheduler.state_dict())
    on_disk = {
        "optimizer": opt.state_dict(),
        "scheduler": scheduler.state_dict(),
        "params": [p.detach() for p in params],
    }
    loaded = engine.through_storage(on_disk, case.save_load, case.load_device)
    return Saved(scheduler, state, [float(x) for x in _last_lr(scheduler)], loaded)


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
    trajectory: list[list[float]]
    params: list[torch.Tensor]


def resumed(case: Case, order: Order = "scheduler-first", sched: Sched | None = None) -> Resumed:
    """Return the run resumed from the checkpoint in ``order``, building ``sched`` (default: the case's)."""
    checkpoint = saved(case).loaded
    given = engine.snapshot(checkpoint["scheduler"])
    params = engine.parameters(case, checkpoint["params"], device=case.load_device, dtype=case.load_dtype)
    opt = engine.optimizer(case, params, case.fresh_kwargs, overrides=False)
    description = sched or case.scheduler
    scheduler = build(description, opt) if order == "scheduler-first" else None
    _load(opt.load_state_dict, checkpoint["optimizer"], "optimizer.load_state_dict")
    if scheduler is None:
        scheduler = build(description, opt)
    before = lrs(opt)
    if order != "optimizer-only":
        _load(scheduler.load_state_dict, checkpoint["scheduler"], "scheduler.load_state_dict")
    after = lrs(opt)
    last_lr = [float(x) for x in _last_lr(scheduler)]
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


def with_other_factors(sched: Sched) -> Sched:
    """Return ``sched`` with every schedule function's factor changed, as new code might pass."""

    def other(value: Any) -> Any:
        if isinstance(value, Fn):
            return Fn(value.kind, round(value.factor * 0.9, 6))
        if isinstance(value, list):
            return [other(v) for v in value]
        return value

    return Sched(
        sched.name, {k: other(v) for k, v in sched.kwargs.items()}, tuple(map(with_other_factors, sched.children))
    )


def schedule_values_at(sched: Sched, groups: int, epoch: int = 3) -> list[float]:
    """Return ``factor ** epoch`` of each group's schedule function in ``sched`` (empty without one)."""
    fn = sched.kwargs.get("lr_lambda")
    if fn is None:
        return []
    fns = fn if isinstance(fn, list) else [fn] * groups
    return [float(f.factor**epoch) for f in fns]


def schedule_values(scheduler: Any, epoch: int = 3) -> list[float]:
    """Return what each of a built scheduler's ``lr_lambdas`` gives at ``epoch``."""
    return [float(fn(epoch)) for fn in scheduler.lr_lambdas]
