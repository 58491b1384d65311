"""Claims about LR schedulers: what a checkpoint keeps, and which restore orders resume the lr."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.schedulers import SchedulerSpec
from compat.record.claim_tests import claim, reproducible
from compat.run import scheduling
from compat.run.checks import assert_same, assert_same_steps
from props.strategies import save_load_options, scheduler_cases

TRAJECTORY = ("uninterrupted", "resumed")


def assert_trajectory(case: Any, order: scheduling.Order) -> None:
    """Raise ClaimViolation unless every step resumed in ``order`` uses the uninterrupted run's lr (and momentum)."""
    __tracebackhide__ = True
    straight = scheduling.uninterrupted(case)
    resumed = scheduling.resumed(case, order)
    assert_same_steps(straight.trajectory, resumed.trajectory, case, names=TRAJECTORY, what=f"{order}: lr used")


def assert_params(case: Any, order: scheduling.Order) -> None:
    """Raise ClaimViolation unless resuming in ``order`` ends with the uninterrupted run's parameters, bitwise."""
    __tracebackhide__ = True
    straight = scheduling.uninterrupted(case)
    resumed = scheduling.resumed(case, order)
    assert_same(straight.params, resumed.params, case, names=TRAJECTORY, path=f"{order}: params")


@claim("scheduler.state_dict.roundtrip")
@given(data=st.data())
def test_loaded_scheduler_state_equals_the_saved_one(subject: SchedulerSpec, data: st.DataObject) -> None:
    """The scheduler state dict torch.load returns (weights_only=False) equals the one saved."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        kept = scheduling.saved(case)
        assert_same(kept.state, kept.loaded["scheduler"], case, path="scheduler")


@claim("scheduler.state_dict.weights_only")
@given(data=st.data())
def test_scheduler_state_loads_with_weights_only(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A scheduler state dict loads with torch.load(weights_only=True) and equals the one saved."""
    case = data.draw(scheduler_cases(subject, save_load=save_load_options(weights_only=True)), label="case")
    with reproducible(case):
        kept = scheduling.saved(case)
        assert_same(kept.state, kept.loaded["scheduler"], case, path="scheduler")


@claim("scheduler.resume.lr-trajectory")
@given(data=st.data())
def test_scheduler_built_before_loading_resumes_the_lr(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Build optimizer, build scheduler, load both states: every resumed step uses the uninterrupted lr."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_trajectory(case, "scheduler-first")


@claim("scheduler.resume.lr-trajectory.built-after-load")
@given(data=st.data())
def test_scheduler_built_after_loading_the_optimizer_resumes_the_lr(
    subject: SchedulerSpec, data: st.DataObject
) -> None:
    """Build optimizer, load its state, build scheduler, load its state: each resumed step uses the uninterrupted lr."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_trajectory(case, "built-after-load")


@claim("scheduler.resume.lr-trajectory.optimizer-only")
@given(data=st.data())
def test_restoring_only_the_optimizer_resumes_the_lr(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Restoring only the optimizer and building a new scheduler: every resumed step uses the uninterrupted lr."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_trajectory(case, "optimizer-only")


@claim("scheduler.resume.lr-trajectory.scheduler-only")
@given(data=st.data())
def test_restoring_only_the_scheduler_resumes_the_lr(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A new optimizer with the scheduler state loaded: every resumed step uses the uninterrupted lr."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_trajectory(case, "scheduler-only")


@claim("scheduler.resume.lr-trajectory.last-epoch")
@given(data=st.data())
def test_resuming_through_last_epoch_resumes_the_lr(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Optimizer loaded, scheduler(last_epoch=N-1), the documented index: resumed steps use the uninterrupted lr."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_trajectory(case, "last-epoch")


@claim("scheduler.resume.lr-trajectory.last-epoch-count")
@given(data=st.data())
def test_resuming_through_last_epoch_given_the_step_count_resumes_the_lr(
    subject: SchedulerSpec, data: st.DataObject
) -> None:
    """Optimizer loaded, scheduler(last_epoch=N), the step count (pitfall): resumed steps use the uninterrupted lr."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_trajectory(case, "last-epoch-count")


@claim("scheduler.resume.lr-trajectory.repaired")
@given(data=st.data())
def test_writing_get_last_lr_back_resumes_the_lr(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Built after load, then get_last_lr() written into every group: every resumed step uses the uninterrupted lr."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_trajectory(case, "repaired")


@claim("scheduler.resume.params-bitwise")
@given(data=st.data())
def test_scheduler_resume_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Resumed in the scheduler-first order, parameters end bitwise equal to the uninterrupted run."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_params(case, "scheduler-first")


@claim("scheduler.resume.params-bitwise.built-after-load")
@given(data=st.data())
def test_scheduler_built_after_load_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Resumed in the built-after-load order, parameters end bitwise equal to the uninterrupted run."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_params(case, "built-after-load")


@claim("scheduler.resume.params-bitwise.optimizer-only")
@given(data=st.data())
def test_optimizer_only_resume_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Resumed with only the optimizer state loaded, parameters end bitwise equal to the uninterrupted run."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_params(case, "optimizer-only")


@claim("scheduler.resume.params-bitwise.scheduler-only")
@given(data=st.data())
def test_scheduler_only_resume_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Resumed with only the scheduler state loaded, parameters end bitwise equal to the uninterrupted run."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_params(case, "scheduler-only")


@claim("scheduler.resume.params-bitwise.last-epoch")
@given(data=st.data())
def test_last_epoch_resume_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Resumed through last_epoch=N-1, the documented index, parameters end bitwise equal to the uninterrupted run."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_params(case, "last-epoch")


@claim("scheduler.resume.params-bitwise.last-epoch-count")
@given(data=st.data())
def test_last_epoch_count_resume_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Resumed through last_epoch=N, the step count (pitfall), parameters end bitwise equal to the uninterrupted run."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_params(case, "last-epoch-count")


@claim("scheduler.resume.params-bitwise.repaired")
@given(data=st.data())
def test_repaired_resume_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Built after load with get_last_lr() written back, parameters end bitwise equal to the uninterrupted run."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_params(case, "repaired")


@claim("scheduler.last_lr.restored")
@given(data=st.data())
def test_get_last_lr_is_restored(subject: SchedulerSpec, data: st.DataObject) -> None:
    """get_last_lr() after loading equals its value at save time."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        at_save = scheduling.saved(case).last_lr
        after = scheduling.resumed(case, "scheduler-first").last_lr_after_load
        assert_same(at_save, after, case, names=("at save", "after load"), path="get_last_lr()")


@claim("scheduler.load.leaves-optimizer-lr")
@given(data=st.data())
def test_scheduler_load_leaves_the_optimizer_lr(subject: SchedulerSpec, data: st.DataObject) -> None:
    """scheduler.load_state_dict does not itself change the optimizer's lr."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        resumed = scheduling.resumed(case, "scheduler-first")
        assert_same(
            resumed.lr_before_scheduler_load,
            resumed.lr_after_scheduler_load,
            case,
            names=("before scheduler.load_state_dict", "after"),
            path="optimizer lr",
        )


@claim("scheduler.load.leaves-argument-intact")
@given(data=st.data())
def test_scheduler_load_leaves_its_argument_intact(subject: SchedulerSpec, data: st.DataObject) -> None:
    """scheduler.load_state_dict does not mutate the dict it is given, during the load or training after."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        resumed = scheduling.resumed(case, "scheduler-first")
        assert_same(resumed.given, resumed.argument_after_load, case, names=("as loaded", "after load"), path="state")
        assert_same(
            resumed.given, resumed.argument_after_training, case, names=("as loaded", "after training"), path="state"
        )


@claim("scheduler.composite.restored")
@given(data=st.data())
def test_composite_scheduler_restores_every_child(subject: SchedulerSpec, data: st.DataObject) -> None:
    """SequentialLR and ChainedScheduler restore the state of every child scheduler."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        kept = scheduling.saved(case)
        resumed = scheduling.resumed(case, "scheduler-first")
        assert_same(
            scheduling.children_states(kept.scheduler),
            resumed.children_after_load,
            case,
            names=("saved child", "restored child"),
            path="children",
        )
        straight = scheduling.uninterrupted(case).trajectory
        assert_same_steps(straight, resumed.trajectory, case, names=TRAJECTORY, what="scheduler-first: lr used")


PLATEAU_FIELDS = ("best", "num_bad_epochs", "cooldown_counter", "mode", "last_epoch")


@claim("scheduler.plateau.restored")
@given(data=st.data())
def test_plateau_restores_its_counters_and_reduces_at_the_same_step(
    subject: SchedulerSpec, data: st.DataObject
) -> None:
    """ReduceLROnPlateau restores best, num_bad_epochs, cooldown_counter and mode, and reduces at the same step."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        kept = scheduling.saved(case)
        restored = scheduling.resumed(case, "scheduler-first").state_after_load
        saved_fields = {f: kept.state.get(f) for f in PLATEAU_FIELDS}
        restored_fields = {f: restored.get(f) for f in PLATEAU_FIELDS}
        assert_same(saved_fields, restored_fields, case, names=("saved", "restored"), path="ReduceLROnPlateau")
        assert_trajectory(case, "scheduler-first")
