"""Specs from outside this package, admitted: each registered spec must train before the suite runs it.

``compat.catalog.extensions`` finds the specs ``--spec`` and the entry points name and registers them;
here each is trained on its pinned example, and an optimizer also on the edges of every range of its
constructor space. A spec that does not train is one ``SpecError`` line naming it.
"""

from __future__ import annotations

from typing import Any

from compat.catalog import claims, extensions, schedulers, specs, versions
from compat.catalog.extensions import Spec, SpecError
from compat.catalog.space import Choice, Floats, Ints, Pair, Space
from compat.run import engine, probe, scheduling
from compat.run.examples import pinned_case


def _edges(space: Space) -> list[Any]:
    """Return the values at the edges of ``space`` (a Hypothesis strategy has none to list)."""
    if isinstance(space, Floats | Ints):
        return [space.low, space.high]
    if isinstance(space, Choice):
        return list(space.options)
    if isinstance(space, Pair):
        firsts, seconds = _edges(space.first), _edges(space.second)
        return [(firsts[0], seconds[0]), (firsts[-1], seconds[-1])] if firsts and seconds else []
    return []


def check_trains(spec: Spec, origin: str) -> None:
    """Raise SpecError unless the registered ``spec`` trains on its example and the edges of its space."""
    if spec.absent_because(versions.installed()):
        return  # absent on this release: every claim reports it not-applicable
    where = f"spec {spec.target} ({origin})"
    if isinstance(spec, specs.OptimizerSpec):
        _check_optimizer(spec, where)
    else:
        _check_scheduler(spec, where)


def _check_optimizer(spec: specs.OptimizerSpec, where: str) -> None:
    base = pinned_case(spec, claims.get("optimizer.resume.bitwise"))
    trials = [("its example", base.kwargs)]
    for name, space in probe.hyperparameters(spec).items():
        trials += [(f"{name}={value!r}", {**base.kwargs, name: value}) for value in _edges(space)]
    for label, kwargs in trials:
        try:
            engine.uninterrupted(base.with_(kwargs=spec.repaired(kwargs)))
        except Exception as error:
            raise SpecError(f"{where}: cannot train with {label}: {engine.error_line(error)}") from None


def _check_scheduler(spec: schedulers.SchedulerSpec, where: str) -> None:
    try:
        scheduling.uninterrupted(pinned_case(spec, claims.get("scheduler.resume.lr-trajectory")))
    except Exception as error:
        raise SpecError(f"{where}: its example does not train: {engine.error_line(error)}") from None


def register_external(references: list[str], *, entry_points: bool = True) -> list[Spec]:
    """Register the specs of ``references`` (and of installed entry points), each checked to train; return them."""
    found = extensions.found(references, entry_points=entry_points)
    for spec, origin in found:
        if extensions.register(spec, origin):
            check_trains(spec, origin)
    return [spec for spec, _ in found]
