"""Claims about what a resumed scheduler computes with when the new code passes other constructor arguments.

Users extending a run change numbers (T_max, milestones, gamma, total_steps, patience ...) or the
schedule callables (LambdaLR's lr_lambda, CyclicLR's scale_fn), written as lambdas, closures,
module-level functions, callable objects, functools.partial or bound methods. These claims say,
per argument and per form, whose values the resumed scheduler computes with: the checkpoint's or
the new code's, or whether the checkpoint cannot be written or read at all.
"""

from __future__ import annotations

import types
from typing import Any, Literal

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog import schedule_functions
from compat.catalog.case import Case
from compat.catalog.schedulers import SchedulerSpec
from compat.record.claim_tests import claim, reproducible
from compat.run import scheduler_arguments, scheduling
from compat.run.checks import assert_same
from compat.run.differ import differences
from props.strategies import FORMS, callable_cases, rescheduled_cases, save_load_options

FUNCTIONS = ("lambda", "closure", "function")  # what torch calls types.FunctionType: never saved


def assert_new_arguments_in_force(case: Case) -> None:
    """Raise ClaimViolation unless resuming with ``case.fresh_scheduler`` uses the lr its arguments give.

    The message names each changed argument whose saved value the resumed lr follows instead.
    """
    __tracebackhide__ = True
    checkpoint = scheduling.saved(case).loaded
    newer = case.fresh_scheduler
    wanted = scheduler_arguments.resumed(case, scheduler_arguments.in_force(case, checkpoint, newer), newer)
    got = scheduler_arguments.resumed(case, checkpoint, newer)
    if not differences(wanted, got):
        return
    new, followed = scheduler_arguments.values_in_force(scheduler_arguments.verdicts(case, checkpoint))
    assert_same(new, followed, case, names=("new code's", "in force"), path="arguments")
    names = ("with the new code's arguments in force", "resumed")
    assert_same(wanted, got, case, names=names, path="lr used[step][group]")


def assert_computes_with(case: Case, whose: Literal["saved", "new code"]) -> None:
    """Raise ClaimViolation unless the resumed scheduler's callables give ``whose`` values at 3.

    The resumed code passes the same forms with other factors (``with_other_factors``).
    """
    __tracebackhide__ = True
    newer = schedule_functions.with_other_factors(case.scheduler)
    resumed = scheduling.resumed(case, "scheduler-first", sched=newer)
    expected = schedule_functions.schedule_values_at(
        newer if whose == "new code" else case.scheduler, len(case.layout.groups)
    )
    assert_same(
        expected,
        schedule_functions.schedule_values(resumed.scheduler),
        case,
        names=(f"{whose}'s schedule at 3", "resumed scheduler's"),
        path="schedule callables",
    )


def functions_in(value: Any, path: str = "state") -> list[str]:
    """Return the paths in ``value`` that hold a function, lambda or closure."""
    if isinstance(value, types.FunctionType):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in functions_in(v, f"{path}[{k!r}]")]
    if isinstance(value, (list, tuple)):
        return [p for i, v in enumerate(value) for p in functions_in(v, f"{path}[{i}]")]
    return []


@claim("scheduler.load.keeps-constructor-arguments")
@given(data=st.data())
def test_the_new_codes_constructor_arguments_stay_in_force(subject: SchedulerSpec, data: st.DataObject) -> None:
    """After scheduler.load_state_dict, the constructor arguments the new code passed stay in force."""
    case = data.draw(rescheduled_cases(subject), label="case")
    with reproducible(case):
        assert_new_arguments_in_force(case)


@claim("answer.scheduler-lambda-not-saved")
@given(data=st.data())
def test_scheduler_state_holds_no_lambda(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A function, lambda or closure as lr_lambda or scale_fn is not saved; resumed, it runs the new code's."""
    case = data.draw(callable_cases(subject, FUNCTIONS), label="case")
    with reproducible(case):
        kept = scheduling.saved(case)
        assert_same([], functions_in(kept.state), case, names=("expected", "functions saved at"), path="state")
        assert_computes_with(case, "new code")


@claim("answer.scheduler-callable-object-restored")
@given(data=st.data())
def test_scheduler_restores_a_callable_objects_attributes(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A callable object's attributes are saved, and loading writes them over the new object's."""
    case = data.draw(callable_cases(subject, ("object",)), label="case")
    with reproducible(case):
        assert_computes_with(case, "saved")


@claim("answer.scheduler-partial-not-saved")
@given(data=st.data())
def test_a_partials_arguments_are_not_saved(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A functools.partial's arguments are not saved: the resumed scheduler computes with the new code's."""
    case = data.draw(callable_cases(subject, ("partial",)), label="case")
    with reproducible(case):
        assert_computes_with(case, "new code")


@claim("answer.scheduler-bound-method-not-saved")
@given(data=st.data())
def test_a_bound_methods_object_is_not_saved(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A bound method's object is not saved: the resumed scheduler computes with the new code's object."""
    case = data.draw(callable_cases(subject, ("method",)), label="case")
    with reproducible(case):
        assert_computes_with(case, "new code")


@claim("answer.scheduler-callables-load-weights-only")
@given(data=st.data())
def test_every_schedule_callable_saves_and_loads_with_weights_only(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A scheduler state holding any form of lr_lambda or scale_fn saves and loads with weights_only=True."""
    case = data.draw(callable_cases(subject, FORMS, save_load=save_load_options(weights_only=True)), label="case")
    with reproducible(case):
        kept = scheduling.saved(case)
        assert_same(kept.state, kept.loaded["scheduler"], case, path="scheduler")
