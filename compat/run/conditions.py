"""The simplest example of a violation, and what it needs.

Starting from the example a violation was found on (the search's or the pinned one), each
reduction changes one feature toward the plainest case: fewer params, one group, no per-group
hyperparameters, a float32 trained param, a float lr, flags off, the default save/load options,
one step, seed 0. A reduction on which the same violation shows (no difference it did not have)
is kept, until none is. On the simplest example, a reduction on which the claim holds names a
condition of the violation ("only with a float64 param"); one the test cannot run on (torch
refuses it, another claim's violation shows) says nothing either way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from compat.catalog.case import Case, Group, Layout, Param, SaveLoad, TensorLr
from compat.run.checks import ClaimViolation

FLAGS: tuple[str, ...] = ("foreach", "fused", "differentiable", "maximize", "capturable")
OTHER_DTYPES: tuple[str, ...] = ("float64", "float16", "bfloat16")
PLAIN = SaveLoad()


@dataclass
class Simplest:
    """The simplest example a violation showed on, and the conditions it needs there."""

    violation: ClaimViolation
    conditions: list[str]


def simplest(violation: ClaimViolation, outcome: Callable[[Case], ClaimViolation | bool]) -> Simplest:
    """Return ``violation`` reduced to its simplest example, with its conditions.

    ``outcome(case)`` runs the claim's test on ``case``: the ClaimViolation it raised, True when
    the claim holds, False when the test could not run on it.
    """
    assert violation.case is not None
    shown = violation
    wanted = set(violation.signature)
    while True:
        held: list[str] = []
        for condition, reduced in reductions(shown.case):
            found = outcome(reduced)
            if isinstance(found, ClaimViolation) and set(found.signature) <= wanted:
                shown = found
                break
            if found is True and condition not in held:
                held.append(condition)
        else:
            return Simplest(shown, [_measured(condition, shown.case, outcome, wanted) for condition in held])


def _measured(condition: str, case: Case, outcome: Callable[[Case], ClaimViolation | bool], wanted: set[str]) -> str:
    """Return ``condition``, and for a param dtype one, which other dtypes show the violation and which do not."""
    params = case.layout.params
    index = next((i for i, p in enumerate(params) if p.dtype != "float32" and condition == _other_dtype(p.dtype)), None)
    if index is None:
        return condition
    seen, not_seen = [params[index].dtype], []
    for dtype in (d for d in OTHER_DTYPES if d != params[index].dtype):
        changed = (*params[:index], replace(params[index], dtype=dtype), *params[index + 1 :])
        found = outcome(case.with_(layout=replace(case.layout, params=changed)))
        if isinstance(found, ClaimViolation) and set(found.signature) <= wanted:
            seen.append(dtype)
        elif found is True:
            not_seen.append(dtype)
    measured = f"only with a param of another dtype than float32: seen with {_listed(seen)}"
    return measured + (f"; not with {_listed(not_seen)}" if not_seen else "")


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def reductions(case: Case) -> Iterator[tuple[str, Case]]:
    """Yield (the condition shown if the claim holds on it, a one-feature reduction of ``case``)."""
    yield from _fewer_params(case)
    layout = case.layout
    if len(layout.groups) > 1:
        merged = Layout(layout.params, (Group(tuple(range(len(layout.params))), layout.groups[0].overrides),))
        yield "only with two or more param groups", case.with_(layout=merged)
    if any(g.overrides for g in layout.groups):
        plain = Layout(layout.params, tuple(Group(g.params) for g in layout.groups))
        yield "only with per-group hyperparameters", case.with_(layout=plain)
    yield from _plainer_params(case)
    if isinstance(case.kwargs.get("lr"), TensorLr):
        yield "only with a tensor lr", case.with_(kwargs={**case.kwargs, "lr": case.kwargs["lr"].value})
    for flag in FLAGS:
        if case.kwargs.get(flag):
            fresh = {**case.fresh_kwargs, flag: False} if flag == "differentiable" else case.fresh_kwargs
            yield f"only with {flag}=True", case.with_(kwargs={**case.kwargs, flag: False}, fresh_kwargs=fresh)
    yield from _plainer_save_load(case)
    if case.steps_before > 1:
        yield "only with two or more steps before the save", case.with_(steps_before=1)
    if case.steps_after > 1:
        yield "only with two or more steps after the load", case.with_(steps_after=1)
    if case.seed:
        yield "only with some seeds", case.with_(seed=0)


def _needing(param: Param, others: int) -> str:
    if param.role != "trained":
        return f"only with a {param.role} param"
    if param.dtype != "float32":
        return _other_dtype(param.dtype)
    return f"only with {others + 1} or more params"


def _other_dtype(dtype: str) -> str:
    return f"only with a param of another dtype than float32 ({dtype} here)"


def _fewer_params(case: Case) -> Iterator[tuple[str, Case]]:
    """Yield the layout with one param alone (largest cut first), then without one param."""
    count = len(case.layout.params)
    if count < 2:
        return
    for index in range(count):
        yield "only with more than one param", case.with_(layout=_kept(case.layout, [index]))
    if count > 2:
        for index, param in enumerate(case.layout.params):
            kept = [i for i in range(count) if i != index]
            yield _needing(param, count - 1), case.with_(layout=_kept(case.layout, kept))


def _kept(layout: Layout, kept: list[int]) -> Layout:
    """Return ``layout`` with only the params at ``kept`` (renumbered), dropping groups left empty."""
    number = {old: new for new, old in enumerate(kept)}
    groups = tuple(
        Group(tuple(number[i] for i in g.params if i in number), g.overrides)
        for g in layout.groups
        if any(i in number for i in g.params)
    )
    return Layout(tuple(layout.params[i] for i in kept), groups)


def _plainer_params(case: Case) -> Iterator[tuple[str, Case]]:
    params = case.layout.params
    for index, param in enumerate(params):
        for field, plain in (("dtype", "float32"), ("role", "trained")):
            if getattr(param, field) != plain and not (field == "dtype" and case.load_dtype):
                changed = (*params[:index], replace(param, **{field: plain}), *params[index + 1 :])
                condition = _other_dtype(param.dtype) if field == "dtype" else f"only with a {param.role} param"
                yield condition, case.with_(layout=replace(case.layout, params=changed))


def _plainer_save_load(case: Case) -> Iterator[tuple[str, Case]]:
    options = case.save_load
    for name, condition in (
        ("weights_only", f"only with weights_only={options.weights_only}"),
        ("medium", "only when saved to an in-memory buffer"),
        ("map_location", f"only with map_location={options.map_location!r}"),
        ("mmap", "only with mmap=True"),
        ("legacy_format", "only with the legacy (non-zip) format"),
    ):
        if getattr(options, name) != getattr(PLAIN, name):
            yield condition, case.with_(save_load=replace(options, **{name: getattr(PLAIN, name)}))
