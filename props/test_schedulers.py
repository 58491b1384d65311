"""Claims about LR schedulers: what a checkpoint keeps, and which restore orders resume the lr."""

import types
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from compat import scheduling
from compat.checks import assert_same
from compat.plugin import claim, reproducible
from compat.schedulers import SchedulerSpec
from props.strategies import save_load_options, scheduler_cases

TRAJECTORY = ("uninterrupted lr", "resumed lr")


def assert_trajectory(case: Any, order: scheduling.Order) -> None:
    """Raise ClaimViolation unless resuming in ``order`` gives the uninterrupted lr at every later step."""
    __tracebackhide__ = True
    straight = scheduling.uninterrupted(case)
    resumed = scheduling.resumed(case, order)
    assert_same(straight.trajectory, resumed.trajectory, case, names=TRAJECTORY, path=f"{order}: lr[step][group]")


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
    """Build optimizer, build scheduler, load both states: every later lr equals the uninterrupted one."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_trajectory(case, "scheduler-first")


@claim("scheduler.resume.lr-trajectory.built-after-load")
@given(data=st.data())
def test_scheduler_built_after_loading_the_optimizer_resumes_the_lr(
    subject: SchedulerSpec, data: st.DataObject
) -> None:
    """Build optimizer, load its state, build scheduler, load its state: every later lr is uninterrupted."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_trajectory(case, "built-after-load")


@claim("scheduler.resume.lr-trajectory.optimizer-only")
@given(data=st.data())
def test_restoring_only_the_optimizer_resumes_the_lr(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Restoring only the optimizer and building a new scheduler gives every later lr uninterrupted."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        assert_trajectory(case, "optimizer-only")


@claim("scheduler.resume.params-bitwise")
@given(data=st.data())
def test_scheduler_resume_trains_params_bitwise(subject: SchedulerSpec, data: st.DataObject) -> None:
    """Resumed in the scheduler-first order, parameters end bitwise equal to the uninterrupted run."""
    case = data.draw(scheduler_cases(subject), label="case")
    with reproducible(case):
        straight = scheduling.uninterrupted(case)
        resumed = scheduling.resumed(case, "scheduler-first")
        assert_same(straight.params, resumed.params, case, names=("uninterrupted", "resumed"), path="params")


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
        assert_same(scheduling.uninterrupted(case).trajectory, resumed.trajectory, case, names=TRAJECTORY, path="lr")


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


def functions_in(value: Any, path: str = "state") -> list[str]:
    """Return the paths in ``value`` that hold a plain function or lambda."""
    if isinstance(value, types.FunctionType):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in functions_in(v, f"{path}[{k!r}]")]
    if isinstance(value, (list, tuple)):
        return [p for i, v in enumerate(value) for p in functions_in(v, f"{path}[{i}]")]
    return []


@claim("answer.scheduler-lambda-not-saved")
@given(data=st.data())
def test_scheduler_state_holds_no_lambda(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A LambdaLR/MultiplicativeLR state dict holds no function or lambda; resumed, it runs the new code's."""
    case = data.draw(scheduler_cases(subject, fn_kinds=("lambda", "function")), label="case")
    with reproducible(case):
        kept = scheduling.saved(case)
        assert_same([], functions_in(kept.state), case, names=("expected", "functions saved at"), path="state")
        newer = scheduling.with_other_factors(case.scheduler)
        resumed = scheduling.resumed(case, "scheduler-first", sched=newer)
        groups = len(case.layout.groups)
        assert_same(
            scheduling.schedule_values_at(newer, groups),
            scheduling.schedule_values(resumed.scheduler),
            case,
            names=("new code's lambda at epoch 3", "resumed scheduler's"),
            path="lr_lambdas",
        )


@claim("answer.scheduler-callable-object-restored")
@given(data=st.data())
def test_scheduler_restores_a_callable_objects_attributes(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A callable-object lr_lambda's attributes are saved, and loading writes them over the new object's."""
    case = data.draw(scheduler_cases(subject, fn_kinds=("object",)), label="case")
    with reproducible(case):
        newer = scheduling.with_other_factors(case.scheduler)
        resumed = scheduling.resumed(case, "scheduler-first", sched=newer)
        groups = len(case.layout.groups)
        assert_same(
            scheduling.schedule_values_at(case.scheduler, groups),
            scheduling.schedule_values(resumed.scheduler),
            case,
            names=("saved object's value at epoch 3", "resumed scheduler's"),
            path="lr_lambdas",
        )
