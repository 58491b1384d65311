"""The callables a schedule carries, written the way people write them.

LambdaLR and MultiplicativeLR take ``lr_lambda`` (one per group, or one for all), CyclicLR takes
``scale_fn``. Every form here computes ``factor ** x``; ``compat.catalog.case.Fn`` says which form and which
factor. The form decides what a checkpoint keeps: a scheduler state leaves out anything that is a
``types.FunctionType`` (a module-level function, a lambda, a closure) and saves the ``__dict__`` of
anything else (a callable object's attributes, but only the empty ``__dict__`` of a
``functools.partial`` or a bound method); CyclicLR up to 2.1 pickles the callable itself.

NOTE: [module-level function]  A module-level function reads its parameter from a module constant
(``DECAY``), as code does that defines ``DECAY = 0.95`` beside it. ``module_decay(value)`` stands for
the code that runs: it sets the constant and returns the function, so the saved run computes with its
value and the resumed code, once it builds its scheduler, with the new one. One constant serves every
module-level function of a program: the strategies draw one factor for all of a case's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from compat.catalog.case import Fn, Sched

Schedule = Callable[[int], float]
KINDS = ("lambda", "closure", "function", "object", "partial", "method")

DECAY = 0.95  # the module constant ``decay`` reads; see NOTE: [module-level function]


def decay(epoch: int) -> float:
    """Return ``DECAY ** epoch``: a module-level schedule function."""
    return DECAY**epoch


def module_decay(value: float) -> Schedule:
    """Set the module constant ``DECAY`` to ``value`` and return the module-level ``decay``."""
    global DECAY
    DECAY = value
    return decay


def decay_closure(factor: float) -> Schedule:
    """Return a closure computing ``factor ** epoch`` (a function defined inside a function)."""

    def schedule(epoch: int) -> float:
        return factor**epoch

    return schedule


def power(epoch: int, factor: float) -> float:
    """Return ``factor ** epoch``; ``partial(power, factor=...)`` is a schedule."""
    return factor**epoch


class ScheduleObject:
    """A callable object: its ``__dict__`` (``factor``) is what a scheduler state saves."""

    def __init__(self, factor: float) -> None:
        self.factor = factor

    def __call__(self, epoch: int) -> float:
        """Return ``factor ** epoch``."""
        return self.factor**epoch


class Decay:
    """An object whose bound method ``at`` is the schedule."""

    def __init__(self, factor: float) -> None:
        self.factor = factor

    def at(self, epoch: int) -> float:
        """Return ``factor ** epoch``."""
        return self.factor**epoch


def callable_for(fn: Fn) -> Schedule:
    """Return the callable ``fn`` describes, written the way its ``kind`` says."""
    factor = fn.factor
    if fn.kind == "lambda":
        return lambda epoch: factor**epoch
    if fn.kind == "closure":
        return decay_closure(factor)
    if fn.kind == "function":
        return module_decay(factor)
    if fn.kind == "object":
        return ScheduleObject(factor)
    if fn.kind == "partial":
        return partial(power, factor=factor)
    if fn.kind == "method":
        return Decay(factor).at
    raise ValueError(f"unknown schedule function kind {fn.kind!r}; known: {', '.join(KINDS)}")


def argument(value: Any) -> Any:
    """Return a constructor argument as torch takes it: an ``Fn`` (or a list of them) becomes its callable."""
    if isinstance(value, Fn):
        return callable_for(value)
    if isinstance(value, list):
        return [argument(v) for v in value]
    return value


def fns_in(sched: Sched) -> list[Fn]:
    """Return every schedule function of ``sched`` and its children, in order."""
    found = []
    for value in sched.kwargs.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, Fn):
                found.append(item)
    return found + [fn for child in sched.children for fn in fns_in(child)]


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
    """Return what ``sched``'s schedule functions give at ``epoch``: one per group (lr_lambda) or one (scale_fn).

    Empty when ``sched`` has none.
    """
    if "scale_fn" in sched.kwargs:
        return [float(sched.kwargs["scale_fn"].factor ** epoch)]
    fn = sched.kwargs.get("lr_lambda")
    if fn is None:
        return []
    fns = fn if isinstance(fn, list) else [fn] * groups
    return [float(f.factor**epoch) for f in fns]
