"""Claims about checkpoints saved by another torch release (fixtures from --compat-fixtures DIR)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compat.catalog import versions
from compat.record.claim_tests import claim, reproducible
from compat.record.plugin import Subject
from compat.run import crossversion
from compat.run.checks import ClaimViolation, assert_same
from compat.run.differ import differences

# torch 1.13's weights_only unpickler cannot read a Python float: claims about what a checkpoint holds
# read it there with the release's default load (pickle, of a file this project wrote).
SAFE = True if versions.weights_only_reads_floats(versions.installed()) else None


def fixture(request: pytest.FixtureRequest, subject: Subject, saved_by: str, weights_only: bool | None = SAFE) -> dict:
    """Return the fixture ``saved_by`` wrote for ``subject``, loaded here (``None``: the release's default load)."""
    folder = Path(request.config.getoption("compat_fixtures"))
    return crossversion.load_fixture(crossversion.fixture_path(folder, saved_by, subject), weights_only)


def assert_loads(request: pytest.FixtureRequest, subject: Subject, saved_by: str, weights_only: bool | None) -> None:
    """Raise ClaimViolation unless the checkpoint loads with ``weights_only`` and load_state_dict accepts it."""
    __tracebackhide__ = True
    with reproducible(crossversion.fixture_case(subject)):
        crossversion.restored(subject, fixture(request, subject, saved_by, weights_only))


@claim("crossversion.optimizer.loads")
def test_optimizer_checkpoint_from_another_release_loads_by_default(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """An optimizer checkpoint saved by another release loads with this release's default torch.load and is accepted."""
    assert_loads(request, subject, saved_by, None)


@claim("crossversion.optimizer.loads.weights-only")
def test_optimizer_checkpoint_from_another_release_loads_weights_only(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """An optimizer checkpoint saved by another release loads with weights_only=True and is accepted."""
    assert_loads(request, subject, saved_by, True)


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


@claim("crossversion.optimizer.numerics")
def test_this_release_computes_the_other_releases_uninterrupted_run_bitwise(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """Trained uninterrupted on the same case, this release computes the other release's parameters, bitwise."""
    case = crossversion.fixture_case(subject)
    with reproducible(case):
        saved = fixture(request, subject, saved_by)
        assert_same(
            saved["continuation"]["params"],
            crossversion.uninterrupted(subject),
            case,
            names=(f"{saved_by} computed", "computed here"),
            path="params",
        )


@claim("crossversion.optimizer.resume.bitwise")
def test_training_on_from_another_release_matches_its_run_bitwise(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """Training on from another release's checkpoint gives the parameters that release computed, bitwise."""
    case = crossversion.fixture_case(subject)
    with reproducible(case):
        saved = fixture(request, subject, saved_by)
        computed = saved["continuation"]["params"]
        resumed = crossversion.resumed(subject, saved)["params"]
        if differences(computed, resumed) and differences(computed, crossversion.uninterrupted(subject)):
            pytest.skip(
                f"not-applicable: the resumed run differs, but torch {saved_by} and this release already compute "
                "different parameters without interruption (crossversion.optimizer.numerics)"
            )
        assert_same(computed, resumed, case, names=(f"{saved_by} computed", "resumed here"), path="params")


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
def test_scheduler_checkpoint_from_another_release_loads_by_default(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """A scheduler checkpoint saved by another release loads with this release's default torch.load."""
    assert_loads(request, subject, saved_by, None)


@claim("crossversion.scheduler.loads.weights-only")
def test_scheduler_checkpoint_from_another_release_loads_weights_only(
    request: pytest.FixtureRequest, subject: Subject, saved_by: str
) -> None:
    """A scheduler checkpoint saved by another release loads with weights_only=True into a new scheduler."""
    assert_loads(request, subject, saved_by, True)


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
