"""A claim's violation: the lines its check returned, their signature, and where they were seen.

Every message line ends with the context (``[Adam, torch 2.6.0, cpu]``) so a pasted line says where it
was seen.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from compat.catalog import versions
from compat.catalog.case import Case
from compat.catalog.checks.helpers import KINDS


class ClaimViolation(AssertionError):
    """A claim did not hold for a case; carries the lines its check returned and (once known) the case.

    ``raised`` names the exception where torch raised instead of differing (a refused save or load);
    the signature then says ``raises <type>``.
    """

    def __init__(self, message: str, problems: Iterable[str] = (), *, raised: str = "") -> None:
        super().__init__(message)
        self.problems = list(problems)  # the lines a claim's check returned (compat/catalog/checks)
        self.raised = raised
        self.case: Case | None = None
        self.example_source: str | None = None  # "search" or "pinned": which example ``case`` is
        self.why_pinned: str | None = None
        self.conditions: list[str] | None = None

    @property
    def signature(self) -> tuple[str, ...]:
        """Return what kind of difference this is and where, e.g. ``("dtype state[*].mu_product",)``."""
        if self.raised:
            return (f"raises {self.raised}",)
        return tuple(sorted({problem_signature(line) for line in self.problems})) or ("condition",)


# a path may start with labels ("built-after-load: lr used: step 1[0].lr") where what follows still reads as a path
_PROBLEM = re.compile(rf"^(?:({'|'.join(KINDS)}) ((?:[\w -]+: (?=[\w.\[\] -]*: ))*[^:]*):|raises (\w+))")


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
    return ClaimViolation("\n".join(lines) + more, problems)


def general_path(path: str) -> str:
    """Return ``path`` with positions and numbers as ``*``: ``state[*].step``, ``step *[*].lr``, ``param *.sum``."""
    return re.sub(r"\b(step|param|group) \d+", r"\1 *", re.sub(r"\[-?\d+\]", "[*]", path))


def context(case: Case) -> str:
    """Return ``[Adam, torch 2.6.0, cpu]`` for ``case``."""
    device = case.device if case.device == case.load_device else f"{case.device}->{case.load_device}"
    return f"[{case.name}, torch {versions.installed()}, {device}]"
