"""The scheduler claims compare what each resumed optimizer.step() uses, the first one included."""

import pytest

from compat.catalog import claims, schedulers
from compat.catalog.case import Sched
from compat.run import runs, scheduling
from compat.run.examples import pinned_case

WRONG_START = schedulers.SchedulerSpec(
    target="tests.broken_schedulers.WrongStartLR",
    example=Sched("WrongStartLR", {"gamma": 0.5}),
)


@pytest.fixture(scope="module")
def wrong_start():
    """Register WrongStartLR for the module's tests, then take it out of the registry again."""
    schedulers.register(WRONG_START)
    yield WRONG_START
    schedulers._REGISTRY.pop(WRONG_START.target)


def case_for(spec, claim_id):
    return pinned_case(spec, claims.get(claim_id))


def problems(spec, claim_id):
    """Return what the claim's check finds on its pinned case of ``spec``."""
    return runs.problems(claims.get(claim_id), case_for(spec, claim_id))


def test_a_wrong_lr_set_at_construction_fails_the_built_after_load_claim(wrong_start):
    found = problems(wrong_start, "scheduler.resume.lr-trajectory.built-after-load")
    assert found[0] == (
        "value built-after-load: lr used: step 1[0].lr: uninterrupted 0.0125, resumed 0.1; steps [1] of 4 differ"
    )


def test_the_wrong_lr_is_invisible_after_every_scheduler_step(wrong_start):
    """What the old comparison read (the lr after each scheduler.step()) is right: only the first step is wrong."""
    case = case_for(wrong_start, "scheduler.resume.lr-trajectory.built-after-load")
    straight = scheduling.uninterrupted(case).trajectory
    resumed = scheduling.resumed(case, "built-after-load").trajectory
    assert resumed[1:] == straight[1:]
    assert resumed[0] != straight[0]


def test_the_wrong_first_step_changes_the_parameters(wrong_start):
    found = problems(wrong_start, "scheduler.resume.params-bitwise.built-after-load")
    assert found[0].startswith("value built-after-load: params[0]: uninterrupted")


def test_writing_get_last_lr_back_repairs_it(wrong_start):
    assert problems(wrong_start, "scheduler.resume.lr-trajectory.repaired") == []
    assert problems(wrong_start, "scheduler.resume.params-bitwise.repaired") == []


def test_the_scheduler_first_order_holds(wrong_start):
    assert problems(wrong_start, "scheduler.resume.lr-trajectory") == []


@pytest.mark.parametrize("order", scheduling.ORDERS)
def test_every_order_has_its_two_claims(order):
    suffix = "" if order == "scheduler-first" else f".{order}"
    for kind in ("lr-trajectory", "params-bitwise"):
        assert claims.get(f"scheduler.resume.{kind}{suffix}").subjects == "schedulers"
