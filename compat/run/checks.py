"""Assertion helpers: one per kind of check, each raising ClaimViolation with the differ's words.

Each helper sets ``__tracebackhide__`` so pytest shows the caller's line, and every message ends
with the context (``[Adam, torch 2.6.0, cpu]``) so a pasted line says where it was seen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import torch

from compat.catalog import versions
from compat.catalog.case import Case
from compat.catalog.checks.helpers import KINDS
from compat.run import engine
from compat.run.differ import Difference, differences


class ClaimViolation(AssertionError):
    """A claim did not hold for a case; carries the differences and (once known) the case.

    ``raised`` names the exception where torch raised instead of differing (a refused load, a step
    that fails after it); the signature then says ``raises <type>``.
    """

    def __init__(
        self, message: str, found: Iterable[Difference] = (), *, raised: str = "", problems: Iterable[str] = ()
    ) -> None:
        super().__init__(message)
        self.differences = list(found)
        self.raised = raised
        self.problems = list(problems)  # the lines a claim's check returned (compat/catalog/checks)
        self.case: Case | None = None
        self.example_source: str | None = None  # "search" or "pinned": which example ``case`` is
        self.why_pinned: str | None = None
        self.conditions: list[str] | None = None

    @property
    def signature(self) -> tuple[str, ...]:
        """Return what kind of difference this is and where, e.g. ``("dtype state[*].mu_product",)``."""
        if self.raised:
            return (f"raises {self.raised}",)
        if self.problems:
            return tuple(sorted({problem_signature(line) for line in self.problems}))
        if not self.differences:
            return ("condition",)
        return tuple(sorted({f"{d.kind} {general_path(d.path)}" for d in self.differences}))


_PROBLEM = re.compile(rf"^(?:({'|'.join(KINDS)}) ([^:]*):|raises (\w+))")


def problem_signature(line: str) -> str:
    """Return the signature of one line a check returned: ``<kind> <general path>``, ``raises <type>``, or condition.

    A difference reads ``value state[0].exp_avg: ...`` (compat.catalog.checks.helpers), a refusal the check
    caught ``raises KeyError: ...``; any other line states a condition that failed.
    """
    found = _PROBLEM.match(line)
    if found is None:
        return "condition"
    if found.group(3):
        return f"raises {found.group(3)}"
    return f"{found.group(1)} {general_path(found.group(2))}"


def violation(problems: list[str], case: Case) -> ClaimViolation:
    """Return the ClaimViolation of the lines a check returned on ``case`` (the first 12 shown)."""
    lines = [f"{line} {context(case)}" for line in problems[:12]]
    more = f"\n(+{len(problems) - 12} more)" if len(problems) > 12 else ""
    return ClaimViolation("\n".join(lines) + more, problems=problems)


def general_path(path: str) -> str:
    """Return ``path`` with positions and numbers as ``*``: ``state[*].step``, ``step *[*].lr``, ``param *.sum``."""
    return re.sub(r"\b(step|param|group) \d+", r"\1 *", re.sub(r"\[-?\d+\]", "[*]", path))


def context(case: Case) -> str:
    """Return ``[Adam, torch 2.6.0, cpu]`` for ``case``."""
    device = case.device if case.device == case.load_device else f"{case.device}->{case.load_device}"
    return f"[{case.name}, torch {versions.installed()}, {device}]"


def assert_same(
    expected: Any,
    actual: Any,
    case: Case,
    *,
    names: tuple[str, str] = ("saved", "loaded"),
    path: str = "",
) -> None:
    """Raise ClaimViolation listing every difference between ``expected`` and ``actual``."""
    __tracebackhide__ = True
    found = differences(expected, actual, path)
    if found:
        lines = [d.describe(*names) for d in found[:12]]
        more = f"\n(+{len(found) - 12} more)" if len(found) > 12 else ""
        raise ClaimViolation("\n".join(f"{line} {context(case)}" for line in lines) + more, found)


def assert_same_steps(expected: list[Any], actual: list[Any], case: Case, *, names: tuple[str, str], what: str) -> None:
    """Raise ClaimViolation unless every step's values are equal; name the first step that differs and how many do.

    ``expected`` and ``actual`` hold one entry per resumed ``optimizer.step()`` (and a last one for the
    step after the run). The first line says which step first differs, with both values, and whether
    only the first resumed step differs or more of them.
    """
    __tracebackhide__ = True
    differing = [i for i, (e, a) in enumerate(zip(expected, actual, strict=True)) if differences(e, a)]
    if not differing:
        return
    first = differing[0]
    found = differences(expected[first], actual[first], f"{what}: step {first + 1}")
    if differing == [0]:
        effect = "the first resumed step only"
    elif len(differing) == len(expected):
        effect = "every resumed step"
    else:
        effect = "resumed steps " + ", ".join(str(i + 1) for i in differing)
    lines = [d.describe(*names) for d in found[:12]]
    lines[0] += f"; differs at {effect} ({len(differing)} of {len(expected)} checked)"
    raise ClaimViolation("\n".join(f"{line} {context(case)}" for line in lines), found)


def assert_that(condition: bool, message: str, case: Case) -> None:
    """Raise ClaimViolation with ``message`` unless ``condition`` holds."""
    __tracebackhide__ = True
    if not condition:
        raise ClaimViolation(f"{message} {context(case)}")


def assert_raises(error: type[BaseException], action: Callable[[], Any], what: str, case: Case) -> None:
    """Raise ClaimViolation unless ``action()`` raises ``error``; ``what`` names the action."""
    __tracebackhide__ = True
    try:
        action()
    except error:
        return
    except Exception as other:  # a different error is itself the finding
        raise ClaimViolation(
            f"{what} raised {type(other).__name__}: {other}, not {error.__name__} {context(case)}",
            raised=type(other).__name__,
        ) from other
    raise ClaimViolation(f"{what} raised nothing, not {error.__name__} {context(case)}", raised="nothing")


def assert_roundtrips(case: Case) -> None:
    """Raise ClaimViolation unless the loaded optimizer state dict equals the saved one."""
    __tracebackhide__ = True
    trip = engine.roundtrip(case)
    assert_same(trip.saved, trip.given, case, path="state_dict")


def assert_resumes_bitwise(case: Case) -> None:
    """Raise ClaimViolation unless save, load and train on equals uninterrupted training bitwise."""
    __tracebackhide__ = True
    resumed, straight = engine.resumed(case), engine.uninterrupted(case)
    names = ("uninterrupted", "resumed")
    assert_same(straight.params, resumed.params, case, names=names, path="params")
    assert_same(straight.state_dict, resumed.state_dict, case, names=names, path="state_dict")


def assert_state_on_param_device(case: Case) -> None:
    """Raise ClaimViolation unless every state tensor sits on its param's device after loading.

    ``step`` stays on the CPU unless the group is fused or capturable.
    """
    __tracebackhide__ = True
    trip = engine.roundtrip(case)
    flat = [p for group in trip.optimizer.param_groups for p in group["params"]]
    positions = {id(p): n for n, p in enumerate(flat)}
    wanted, found = {}, {}
    for group in trip.optimizer.param_groups:
        special = bool(group.get("fused") or group.get("capturable"))
        for param in group["params"]:
            for key, value in trip.optimizer.state.get(param, {}).items():
                if not isinstance(value, torch.Tensor):
                    continue
                path = f"state[{positions[id(param)]}].{key}"
                wanted[path] = "cpu" if key == "step" and not special else str(param.device)
                found[path] = str(value.device)
    assert_same(wanted, found, case, names=("expected device", "loaded device"), path="")
