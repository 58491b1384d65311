"""Claims about checkpoints saved by another torch release (fixtures from --compat-fixtures DIR)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from compat.catalog.checks.helpers import differences
from compat.record.claim_tests import CURRENT_CLAIM, claim, reproducible
from compat.record.plugin import Subject
from compat.run import crossversion
from compat.run.checks import violation


def saved(request: pytest.FixtureRequest, subject: Subject, saved_by: str) -> crossversion.Fixture:
    """Return the runs of the checkpoint ``saved_by`` wrote for ``subject``, read as the claim under test reads it."""
    folder = Path(request.config.getoption("compat_fixtures"))
    path = crossversion.fixture_path(folder, saved_by, subject)
    return crossversion.Fixture(subject, path, crossversion.weights_only(CURRENT_CLAIM.get()))


def verify(fixture: crossversion.Fixture, unless: Callable[[list[str]], str] | None = None) -> None:
    """Check the claim under test on ``fixture``: its check's problems are its violation.

    ``unless(problems)`` says why the claim is not applicable where they show ("": it is).
    """
    __tracebackhide__ = True
    with reproducible(fixture.case):
        found = crossversion.problems(CURRENT_CLAIM.get(), fixture)
        why = unless(found) if found and unless else ""
        if why:
            pytest.skip(f"not-applicable: {why}")
        if found:
            raise violation(found, fixture.case)


@claim("crossversion.optimizer.loads")
def test_optimizer_checkpoint_from_another_release_loads_by_default(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """An optimizer checkpoint saved by another release loads with this release's default torch.load and is accepted."""
    verify(saved(request, subject, saved_by))


@claim("crossversion.optimizer.loads.weights-only")
def test_optimizer_checkpoint_from_another_release_loads_weights_only(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """An optimizer checkpoint saved by another release loads with weights_only=True and is accepted."""
    verify(saved(request, subject, saved_by))


@claim("crossversion.optimizer.hyperparameters")
def test_optimizer_hyperparameters_from_another_release_are_restored(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """After loading another release's checkpoint, every group's hyperparameters equal the saved ones."""
    verify(saved(request, subject, saved_by))


@claim("crossversion.optimizer.state")
def test_optimizer_state_from_another_release_is_restored(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """After loading another release's checkpoint, every state tensor equals the saved one bitwise."""
    verify(saved(request, subject, saved_by))


@claim("crossversion.optimizer.numerics")
def test_this_release_computes_the_other_releases_uninterrupted_run_bitwise(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """Trained uninterrupted on the same case, this release computes the other release's parameters, bitwise."""
    verify(saved(request, subject, saved_by))


@claim("crossversion.optimizer.resume.bitwise")
def test_training_on_from_another_release_matches_its_run_bitwise(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """Training on from another release's checkpoint gives the parameters that release computed, bitwise."""
    fixture = saved(request, subject, saved_by)

    def apart_already(found: list[str]) -> str:
        if found[0].startswith("raises ") or not differences(fixture.continuation["params"], fixture.straight_params):
            return ""
        return (
            f"the resumed run differs, but torch {saved_by} and this release already compute different parameters "
            "without interruption (crossversion.optimizer.numerics)"
        )

    verify(fixture, unless=apart_already)


@claim("crossversion.optimizer.resume.close")
def test_training_on_from_another_release_stays_close(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """Training on from another release's checkpoint gives that release's parameters within rtol 1e-5, atol 1e-7."""
    verify(saved(request, subject, saved_by))


@claim("crossversion.scheduler.loads")
def test_scheduler_checkpoint_from_another_release_loads_by_default(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """A scheduler checkpoint saved by another release loads with this release's default torch.load."""
    verify(saved(request, subject, saved_by))


@claim("crossversion.scheduler.loads.weights-only")
def test_scheduler_checkpoint_from_another_release_loads_weights_only(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """A scheduler checkpoint saved by another release loads with weights_only=True into a new scheduler."""
    verify(saved(request, subject, saved_by))


@claim("crossversion.scheduler.resume")
def test_scheduler_from_another_release_resumes_its_lr(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """Resumed from another release's checkpoint, the scheduler gives the lr trajectory that release computed."""
    verify(saved(request, subject, saved_by))
