"""Which constructor arguments a resumed scheduler computes with: the checkpoint's or the new code's.

The new code builds its scheduler with other arguments (``case.fresh_scheduler``), loads the
optimizer and scheduler state (scheduler-first order) and trains on. What a scheduler with the new
arguments computes at the saved epoch is the same resume from a checkpoint *in force*: it keeps
every entry training changed (the epoch, counters, the current lr) and takes the new scheduler's
value for every entry the arguments decide, in the scheduler state and in the param groups (where
OneCycleLR, CyclicLR and SWALR keep some of theirs). Which entries those are is measured, not
listed: the state and groups a scheduler has right after construction with the saved and with
the new arguments, compared entry by entry. The claim's check
(``compat.catalog.checks.scheduler_arguments.keeps_arguments``) does the same in plain torch, on the
values ``changed_arguments`` gives it; the functions here let the strategies' tests resume with
each drawn change alone. ``new_code_schedule`` and ``saved_schedule`` give the callable claims'
checks what the schedule callables compute.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from compat.catalog import schedule_functions
from compat.catalog.case import Case, Fn, Sched
from compat.run import differ, engine, scheduling


def constructed(case: Case, sched: Sched) -> dict[str, Any]:
    """Return the scheduler state and param groups (no params) just after building ``sched`` as the saved run did."""
    params = engine.parameters(case)
    opt = engine.optimizer(case, params, case.kwargs)
    scheduler = scheduling.build(sched, opt)
    groups = [{k: v for k, v in group.items() if k != "params"} for group in opt.param_groups]
    return engine.snapshot({"scheduler": scheduler.state_dict(), "param_groups": groups})


def _same(a: Any, b: Any) -> bool:
    """Return whether two state entries are equal; bound methods (an anneal function) by the function they run."""
    if hasattr(a, "__func__") and hasattr(b, "__func__"):
        return a.__func__ is b.__func__
    return not differ.differences(a, b)


def spliced(saved: Any, old: Any, new: Any) -> Any:
    """Return ``saved`` with ``new``'s value wherever it differs from ``old`` and training left ``saved`` at ``old``.

    Entries only the new arguments create (OneCycleLR's momentum bounds once cycle_momentum is on) are added.
    """
    if type(saved) is dict and type(old) is dict and type(new) is dict:
        kept = {k: spliced(v, old[k], new[k]) if k in old and k in new else v for k, v in saved.items()}
        return {**kept, **{k: engine.snapshot(v) for k, v in new.items() if k not in old and k not in saved}}
    if (
        type(saved) is list
        and type(old) is list
        and saved
        and len(saved) == len(old) == len(new)
        and all(type(v) is dict for v in saved)
    ):
        return [spliced(*values) for values in zip(saved, old, new, strict=True)]
    return engine.snapshot(new) if not _same(old, new) and _same(old, saved) else saved


def in_force(case: Case, checkpoint: dict[str, Any], sched: Sched) -> dict[str, Any]:
    """Return ``checkpoint`` with the arguments of ``sched`` in force instead of the saved run's."""
    old, new = constructed(case, case.scheduler), constructed(case, sched)
    groups = spliced(checkpoint["optimizer"]["param_groups"], old["param_groups"], new["param_groups"])
    return {
        **checkpoint,
        "optimizer": {**checkpoint["optimizer"], "param_groups": groups},
        "scheduler": spliced(checkpoint["scheduler"], old["scheduler"], new["scheduler"]),
    }


def resumed(case: Case, checkpoint: dict[str, Any], sched: Sched) -> scheduling.Trajectory:
    """Return what every step uses when code builds ``sched``, loads ``checkpoint`` (scheduler-first), trains on."""
    checkpoint = engine.snapshot(checkpoint)  # loading may keep or change what it is given
    params = engine.parameters(case, checkpoint["params"], device=case.load_device, dtype=case.load_dtype)
    opt = engine.optimizer(case, params, case.fresh_kwargs, overrides=False)
    scheduler = scheduling.build(sched, opt)
    for load, state, what in (
        (opt.load_state_dict, checkpoint["optimizer"], "optimizer.load_state_dict"),
        (scheduler.load_state_dict, checkpoint["scheduler"], "scheduler.load_state_dict"),
    ):
        try:
            load(state)
        except Exception as error:
            raise engine.TorchRefused(f"{what} raised {engine.error_line(error)}") from error
    return scheduling.train(case, opt, scheduler, params, case.steps_before, case.steps_after)


@dataclass(frozen=True)
class Argument:
    """One constructor argument the new code changed: where it is, its saved and its new value."""

    children: tuple[int, ...]
    name: str
    saved: Any
    new: Any

    @property
    def path(self) -> str:
        """Return ``T_max``, or ``schedulers[1].gamma`` for a composite's child."""
        return "".join(f"schedulers[{i}]." for i in self.children) + self.name


def changed(saved: Sched, new: Sched, children: tuple[int, ...] = ()) -> list[Argument]:
    """Return every argument whose value differs between ``saved`` and ``new`` (children included)."""
    found = [
        Argument(children, name, value, new.kwargs[name])
        for name, value in saved.kwargs.items()
        if name in new.kwargs and differ.differences(value, new.kwargs[name])
    ]
    for index, (child, other) in enumerate(zip(saved.children, new.children, strict=True)):
        found += changed(child, other, (*children, index))
    return found


def with_argument(sched: Sched, argument: Argument) -> Sched:
    """Return ``sched`` with only ``argument`` set to its new value."""
    if not argument.children:
        return replace(sched, kwargs={**sched.kwargs, argument.name: argument.new})
    first, rest = argument.children[0], replace(argument, children=argument.children[1:])
    children = tuple(with_argument(c, rest) if i == first else c for i, c in enumerate(sched.children))
    return replace(sched, children=children)


def described(sched: Sched) -> tuple[str, dict[str, Any], list[Any]]:
    """Return ``sched`` as literals: (class name, arguments, children), a schedule callable as its factor."""

    def literal(value: Any) -> Any:
        if isinstance(value, Fn):
            return value.factor
        return [literal(v) for v in value] if isinstance(value, list) else value

    return sched.name, {k: literal(v) for k, v in sched.kwargs.items()}, [described(c) for c in sched.children]


def changed_arguments(case: Case) -> dict[str, Any]:
    """Return the saving code's scheduler and (child positions, name, saved, new) per argument the new code changed."""
    assert case.scheduler is not None and case.fresh_scheduler is not None
    changes = [(a.children, a.name, a.saved, a.new) for a in changed(case.scheduler, case.fresh_scheduler)]
    return {"saved_scheduler": described(case.scheduler), "changes": changes}


def new_code_schedule(case: Case) -> dict[str, Any]:
    """Return what the schedule callables the new code passes (other factors, same forms) give at epoch 3."""
    assert case.scheduler is not None
    newer = case.fresh_scheduler or schedule_functions.with_other_factors(case.scheduler)
    return {"schedule": schedule_functions.schedule_values_at(newer, len(case.layout.groups))}


def saved_schedule(case: Case) -> dict[str, Any]:
    """Return what the saving code's schedule callables give at epoch 3."""
    assert case.scheduler is not None
    return {"schedule": schedule_functions.schedule_values_at(case.scheduler, len(case.layout.groups))}
