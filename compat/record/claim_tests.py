"""What a claim's property test runs inside: its marker, ``reproducible()``, ``leave_unless()``, its pinned case.

``reproducible(case)`` turns torch refusing a checkpoint into a violation of the claims that own
the refusal and attaches the case to a violation; the pinned-case runner runs a
test once on its pinned example and reduces a violation to its simplest example (compat.run.conditions).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import event, reject

from compat.catalog import claims, expectations
from compat.catalog.case import Case, TensorLr
from compat.catalog.refusals import WEIGHTS_ONLY
from compat.record import recorder
from compat.run import runs
from compat.run.checks import ClaimViolation, context, violation
from compat.run.conditions import simplest
from compat.run.engine import Inapplicable, TorchRefused

CURRENT_CLAIM: contextvars.ContextVar[claims.Claim | None] = contextvars.ContextVar("claim", default=None)
# The run being recorded: reproducible() counts the cases it executes into it.
CURRENT_RUN: contextvars.ContextVar[recorder.Run | None] = contextvars.ContextVar("run", default=None)


def claim(claim_id: str) -> pytest.MarkDecorator:
    """Return the marker tying a property test to ``claim_id`` (which must be in the catalog)."""
    claims.get(claim_id)
    return pytest.mark.claim(claim_id)


class RefusedElsewhere(Exception):
    """torch refused the pinned case's checkpoint in a way another claim owns; this claim cannot be checked on it."""

    def __init__(self, refused: TorchRefused) -> None:
        super().__init__(str(refused))
        self.kind = refused.kind


def owners(kind: str) -> list[str]:
    """Return the ids of the live claims that own refusals of ``kind`` (NOTE: [refusals a claim owns])."""
    return [c.id for c in claims.live() if kind in c.refusals]


@contextmanager
def reproducible(case: Case) -> Iterator[None]:
    """Attach ``case`` to any ClaimViolation raised inside.

    torch refusing to save, load or load_state_dict is a finding about torch, so it becomes a
    ClaimViolation too; a refusal another claim owns (NOTE: [refusals a claim owns] in compat.run.engine)
    leaves the case instead: Hypothesis draws another, a pinned case raises RefusedElsewhere.
    """
    __tracebackhide__ = True
    claim_now = CURRENT_CLAIM.get()
    run = CURRENT_RUN.get()
    if run is not None:
        run.examples += 1
        run.cases += 1
    _events(case)
    try:
        yield
    except TorchRefused as refused:
        if refused.kind and claim_now is not None and refused.kind not in claim_now.refusals:
            if not _in_hypothesis():
                raise RefusedElsewhere(refused) from refused
            event(f"left: {refused.kind} refusal, {' and '.join(owners(refused.kind))}'s violation")
            reject()
        cause = type(refused.__cause__).__name__ if refused.__cause__ is not None else type(refused).__name__
        violation = ClaimViolation(f"{refused} {context(case)}", raised=cause)
        violation.case = case
        raise violation from refused
    except ClaimViolation as violation:
        violation.case = case  # its reproducer is written from it once reduced (compat.record.failures)
        raise


def verify(case: Case) -> None:
    """Check the claim under test on ``case``: its check's problems (compat.run.runs) are its violation."""
    __tracebackhide__ = True
    checked = CURRENT_CLAIM.get()
    if checked is None:
        raise RuntimeError("verify() runs inside a claim's property test")
    with reproducible(case):
        try:
            found = runs.problems(checked, case)
        except Inapplicable as why:
            leave_unless(False, str(why))
        if found:
            raise violation(found, case)


def leave_unless(condition: bool, why: str) -> None:
    """Leave a case the claim cannot be checked on unless ``condition`` holds.

    In the search Hypothesis draws another case; a pinned or reduced case is not-applicable (skipped).
    """
    if condition:
        return
    if _in_hypothesis():
        event(f"left: {why}")
        reject()
    pytest.skip(f"not-applicable: {why}")


def _in_hypothesis() -> bool:
    from hypothesis.control import currently_in_test_context

    return currently_in_test_context()


def _events(case: Case) -> None:
    if not _in_hypothesis():
        return
    options = case.save_load
    event(f"medium={options.medium} weights_only={options.weights_only} map_location={options.map_location}")
    event(f"mmap={options.mmap} legacy={options.legacy_format}")
    event(f"groups={len(case.layout.groups)} params={len(case.layout.params)}")
    event("lr=tensor" if isinstance(case.kwargs.get("lr"), TensorLr) else "lr=float")
    implementation = next((f for f in ("foreach", "fused", "differentiable") if case.kwargs.get(f)), "default")
    event(f"implementation={implementation}")
    for param in case.layout.params:
        event(f"param dtype={param.dtype} role={param.role}")


def run_pinned(inner: Callable[..., None], arguments: dict[str, Any], case: Case, checked: claims.Claim) -> None:
    """Run the test on its pinned ``case``.

    A case whose checkpoint torch refuses in a way another claim owns is retried with
    weights_only=False (a weights_only refusal), or else skipped as not-applicable.
    """
    try:
        inner(**arguments, data=PinnedData(case))
        return
    except RefusedElsewhere as refused:
        if refused.kind != WEIGHTS_ONLY:
            _skip_refused(refused, checked)
    try:
        inner(**arguments, data=PinnedData(case.with_(save_load=replace(case.save_load, weights_only=False))))
    except RefusedElsewhere as refused:
        _skip_refused(refused, checked)


def _skip_refused(refused: RefusedElsewhere, checked: claims.Claim) -> None:
    pytest.skip(
        f"not-applicable: {refused} (a violation of {' and '.join(owners(refused.kind))}); "
        f"{checked.id} is checked on checkpoints that load"
    )


def outcome_of(inner: Callable[..., None], arguments: dict[str, Any], case: Case) -> ClaimViolation | bool:
    """Return the ClaimViolation the test raises on ``case``, True if the claim holds, False if it cannot run."""
    try:
        inner(**arguments, data=PinnedData(case))
    except ClaimViolation as violation:
        return violation
    except (Exception, pytest.skip.Exception):
        return False
    return True


Outcome = Callable[[Case], ClaimViolation | bool]


def simplest_shown(violation: ClaimViolation, source: str, outcome: Outcome) -> ClaimViolation:
    """Return ``violation`` shown on its simplest example, which came from ``source``, with its conditions."""
    reduced = simplest(violation, outcome)
    shown = reduced.violation
    shown.example_source = source
    shown.conditions = reduced.conditions
    return shown


def formatted_plainly(expected: bool) -> contextlib.AbstractContextManager[Any]:
    """Return a context in which Hypothesis formats an expected failure's tracebacks with the standard library.

    It formats the traceback of every failing example; through pytest (its default inside a pytest
    item) that reads and parses the source of every frame: about 5% of a props run, spent on text a
    strict xfail never shows.
    """
    if not expected:
        return contextlib.nullcontext()
    try:
        from hypothesis.internal.escalation import current_pytest_item
    except ImportError:  # a Hypothesis without it formats as it does
        return contextlib.nullcontext()
    return current_pytest_item.with_value(None)


def untraced(violation: ClaimViolation, expected: bool) -> ClaimViolation:
    """Return ``violation``, without its traceback and chain when the test expects it (a strict xfail).

    pytest formats both for an expected failure too, reading the source of every frame, and shows
    neither; an unexpected violation keeps them.
    """
    if expected:
        violation.__cause__ = None
        violation.__suppress_context__ = True
        violation.__traceback__ = None
    return violation


class NewViolation(AssertionError):
    """A violation that the known entry for its cell does not describe (another kind, path or exception)."""

    def __init__(self, violation: ClaimViolation, known: expectations.Expectation) -> None:
        expected = ", ".join(known.differences)
        super().__init__(
            f"not the known violation (expected {expected}; found {', '.join(violation.signature)}): {violation}"
        )
        self.violation = violation


class KnownViolationGone(AssertionError):
    """A known violation no longer shows on its pinned example: torch fixed it (or changed it) on this release."""


class PinnedData:
    """Stands in for ``st.data()`` so a property test runs once on its pinned case."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.drawn = False

    def draw(self, strategy: object, label: str | None = None) -> Case:
        """Return the pinned case (a claim test draws exactly one case)."""
        if self.drawn:
            raise RuntimeError("a claim test draws exactly one case; this one drew twice")
        self.drawn = True
        return self.case
