"""Claims about LR schedulers: what a checkpoint keeps, and which restore orders resume the lr."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.schedulers import SchedulerSpec
from compat.record.claim_tests import claim, verify
from props.strategies import save_load_options, scheduler_cases


@claim("scheduler.state_dict.roundtrip")
@given(data=st.data())
def test_loaded_scheduler_state_equals_the_saved_one(subject: SchedulerSpec, data: st.DataObject) -> None:
    """The scheduler state dict torch.load returns (weights_only=False) equals the one saved."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.state_dict.weights_only")
@given(data=st.data())
def test_scheduler_state_loads_with_weights_only(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A scheduler state dict loads with torch.load(weights_only=True) and equals the one saved."""
    verify(data.draw(scheduler_cases(subject, save_load=save_load_options(weights_only=True)), label="case"))


@claim("scheduler.resume.lr-trajectory")
@given(data=st.data())
def test_scheduler_built_before_loading_resumes_the_lr(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Build optimizer, build scheduler, load both states: every resumed step uses the uninterrupted lr."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.resume.lr-trajectory.built-after-load")
@given(data=st.data())
def test_scheduler_built_after_loading_the_optimizer_resumes_the_lr(
    subject: SchedulerSpec, data: st.DataObject
) -> None:
    """Build optimizer, load its state, build scheduler, load its state: each resumed step uses the uninterrupted lr."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.resume.lr-trajectory.optimizer-only")
@given(data=st.data())
def test_restoring_only_the_optimizer_resumes_the_lr(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Restoring only the optimizer and building a new scheduler: every resumed step uses the uninterrupted lr."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.resume.lr-trajectory.scheduler-only")
@given(data=st.data())
def test_restoring_only_the_scheduler_resumes_the_lr(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A new optimizer with the scheduler state loaded: every resumed step uses the uninterrupted lr."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.resume.lr-trajectory.last-epoch")
@given(data=st.data())
def test_resuming_through_last_epoch_resumes_the_lr(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Optimizer loaded, scheduler(last_epoch=N-1), the documented index: resumed steps use the uninterrupted lr."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.resume.lr-trajectory.last-epoch-count")
@given(data=st.data())
def test_resuming_through_last_epoch_given_the_step_count_resumes_the_lr(
    subject: SchedulerSpec, data: st.DataObject
) -> None:
    """Optimizer loaded, scheduler(last_epoch=N), the step count (pitfall): resumed steps use the uninterrupted lr."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.resume.lr-trajectory.repaired")
@given(data=st.data())
def test_writing_get_last_lr_back_resumes_the_lr(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Built after load, then get_last_lr() written into every group: every resumed step uses the uninterrupted lr."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.resume.params-bitwise")
@given(data=st.data())
def test_scheduler_resume_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Resumed in the scheduler-first order, parameters end bitwise equal to the uninterrupted run."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.resume.params-bitwise.built-after-load")
@given(data=st.data())
def test_scheduler_built_after_load_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Resumed in the built-after-load order, parameters end bitwise equal to the uninterrupted run."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.resume.params-bitwise.optimizer-only")
@given(data=st.data())
def test_optimizer_only_resume_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Resumed with only the optimizer state loaded, parameters end bitwise equal to the uninterrupted run."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.resume.params-bitwise.scheduler-only")
@given(data=st.data())
def test_scheduler_only_resume_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Resumed with only the scheduler state loaded, parameters end bitwise equal to the uninterrupted run."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.resume.params-bitwise.last-epoch")
@given(data=st.data())
def test_last_epoch_resume_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Resumed through last_epoch=N-1, the documented index, parameters end bitwise equal to the uninterrupted run."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.resume.params-bitwise.last-epoch-count")
@given(data=st.data())
def test_last_epoch_count_resume_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Resumed through last_epoch=N, the step count (pitfall), parameters end bitwise equal to the uninterrupted run."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.resume.params-bitwise.repaired")
@given(data=st.data())
def test_repaired_resume_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Built after load with get_last_lr() written back, parameters end bitwise equal to the uninterrupted run."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.last_lr.restored")
@given(data=st.data())
def test_get_last_lr_is_restored(subject: SchedulerSpec, data: st.DataObject) -> None:
    """get_last_lr() after loading equals its value at save time."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.load.leaves-optimizer-lr")
@given(data=st.data())
def test_scheduler_load_leaves_the_optimizer_lr(subject: SchedulerSpec, data: st.DataObject) -> None:
    """scheduler.load_state_dict does not itself change the optimizer's lr."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.load.leaves-argument-intact")
@given(data=st.data())
def test_scheduler_load_leaves_its_argument_intact(subject: SchedulerSpec, data: st.DataObject) -> None:
    """scheduler.load_state_dict does not mutate the dict it is given, during the load or training after."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.composite.restored")
@given(data=st.data())
def test_composite_scheduler_restores_every_child(subject: SchedulerSpec, data: st.DataObject) -> None:
    """SequentialLR and ChainedScheduler restore the state of every child scheduler."""
    verify(data.draw(scheduler_cases(subject), label="case"))


@claim("scheduler.plateau.restored")
@given(data=st.data())
def test_plateau_restores_its_counters_and_reduces_at_the_same_step(
    subject: SchedulerSpec, data: st.DataObject
) -> None:
    """ReduceLROnPlateau restores best, num_bad_epochs, cooldown_counter and mode, and reduces at the same step."""
    verify(data.draw(scheduler_cases(subject), label="case"))
