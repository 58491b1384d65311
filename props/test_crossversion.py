"""Claims about checkpoints saved by another torch release (fixtures from --compat-fixtures DIR)."""

from pathlib import Path

import pytest

from compat import crossversion
from compat.checks import ClaimViolation, assert_same
from compat.plugin import Subject, claim, reproducible


def fixture(request: pytest.FixtureRequest, subject: Subject, saved_by: str, weights_only: bool | None = True) -> dict:
    """Return the fixture ``saved_by`` wrote for ``subject``, loaded here."""
    folder = Path(request.config.getoption("compat_fixtures"))
    return crossversion.load_fixture(crossversion.fixture_path(folder, saved_by, subject), weights_only)


def assert_loads(request: pytest.FixtureRequest, subject: Subject, saved_by: str) -> None:
    """Raise ClaimViolation unless the checkpoint loads both ways and load_state_dict accepts it."""
    __tracebackhide__ = True
    with reproducible(crossversion.fixture_case(subject)):
        for weights_only in (None, True):
            crossversion.restored(subject, fixture(request, subject, saved_by, weights_only))


@claim("crossversion.optimizer.loads")
def test_optimizer_checkpoint_from_another_release_loads(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """An optimizer checkpoint saved by another release loads (weights_only default and True) and is accepted."""
    assert_loads(request, subject, saved_by)


@claim("crossversion.optimizer.hyperparameters")
def test_optimizer_hyperparameters_from_another_release_are_restored(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """After loading another release's checkpoint, every group's hyperparameters equal the saved ones."""
    case = crossversion.fixture_case(subject)
    with reproducible(case):
        saved = fixture(request, subject, saved_by)
        _, opt, _, _ = crossversion.restored(subject, saved)
        expected = [{k: v for k, v in g.items() if k != "params"} for g in saved["optimizer"]["param_groups"]]
        loaded = [{k: g.get(k) for k in e} for e, g in zip(expected, opt.param_groups, strict=True)]
        assert_same(expected, loaded, case, names=(f"saved by {saved_by}", "loaded"), path="param_groups")


@claim("crossversion.optimizer.state")
def test_optimizer_state_from_another_release_is_restored(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """After loading another release's checkpoint, every state tensor equals the saved one bitwise."""
    case = crossversion.fixture_case(subject)
    with reproducible(case):
        saved = fixture(request, subject, saved_by)
        _, opt, _, _ = crossversion.restored(subject, saved)
        assert_same(
            saved["optimizer"]["state"],
            opt.state_dict()["state"],
            case,
            names=(f"saved by {saved_by}", "loaded"),
            path="state",
        )


@claim("crossversion.optimizer.resume.bitwise")
def test_training_on_from_another_release_matches_its_run_bitwise(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """Training on from another release's checkpoint gives the parameters that release computed, bitwise."""
    case = crossversion.fixture_case(subject)
    with reproducible(case):
        saved = fixture(request, subject, saved_by)
        assert_same(
            saved["continuation"]["params"],
            crossversion.resumed(subject, saved)["params"],
            case,
            names=(f"{saved_by} computed", "resumed here"),
            path="params",
        )


@claim("crossversion.optimizer.resume.close")
def test_training_on_from_another_release_stays_close(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """Training on from another release's checkpoint gives that release's parameters within rtol 1e-5, atol 1e-7."""
    case = crossversion.fixture_case(subject)
    with reproducible(case):
        saved = fixture(request, subject, saved_by)
        far = crossversion.close(saved["continuation"]["params"], crossversion.resumed(subject, saved)["params"])
        if far:
            raise ClaimViolation(f"{'; '.join(far)} (saved by torch {saved_by}) [{case.name}]")


@claim("crossversion.scheduler.loads")
def test_scheduler_checkpoint_from_another_release_loads(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """A scheduler checkpoint saved by another release loads (weights_only default and True) into a new scheduler."""
    assert_loads(request, subject, saved_by)


@claim("crossversion.scheduler.resume")
def test_scheduler_from_another_release_resumes_its_lr(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """Resumed from another release's checkpoint, the scheduler gives the lr trajectory that release computed."""
    case = crossversion.fixture_case(subject)
    with reproducible(case):
        saved = fixture(request, subject, saved_by, weights_only=False)
        assert_same(
            saved["continuation"]["lrs"],
            crossversion.resumed(subject, saved)["lrs"],
            case,
            names=(f"{saved_by} computed", "resumed here"),
            path="lr",
        )
