"""Claims about what a resumed scheduler computes with when the new code passes other constructor arguments.

Users extending a run change numbers (T_max, milestones, gamma, total_steps, patience ...) or the
schedule callables (LambdaLR's lr_lambda, CyclicLR's scale_fn), written as lambdas, closures,
module-level functions, callable objects, functools.partial or bound methods. These claims say,
per argument and per form, whose values the resumed scheduler computes with: the checkpoint's or
the new code's, or whether the checkpoint cannot be written or read at all.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.schedulers import SchedulerSpec
from compat.record.claim_tests import claim, verify
from props.strategies import FORMS, callable_cases, rescheduled_cases, save_load_options

FUNCTIONS = ("lambda", "closure", "function")  # what torch calls types.FunctionType: never saved


@claim("scheduler.load.keeps-constructor-arguments")
@given(data=st.data())
def test_the_new_codes_constructor_arguments_stay_in_force(subject: SchedulerSpec, data: st.DataObject) -> None:
    """After scheduler.load_state_dict, the constructor arguments the new code passed stay in force."""
    verify(data.draw(rescheduled_cases(subject), label="case"))


@claim("answer.scheduler-lambda-not-saved")
@given(data=st.data())
def test_scheduler_state_holds_no_lambda(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A function, lambda or closure as lr_lambda or scale_fn is not saved; resumed, it runs the new code's."""
    verify(data.draw(callable_cases(subject, FUNCTIONS), label="case"))


@claim("answer.scheduler-callable-object-restored")
@given(data=st.data())
def test_scheduler_restores_a_callable_objects_attributes(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A callable object's attributes are saved, and loading writes them over the new object's."""
    verify(data.draw(callable_cases(subject, ("object",)), label="case"))


@claim("answer.scheduler-partial-not-saved")
@given(data=st.data())
def test_a_partials_arguments_are_not_saved(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A functools.partial's arguments are not saved: the resumed scheduler computes with the new code's."""
    verify(data.draw(callable_cases(subject, ("partial",)), label="case"))


@claim("answer.scheduler-bound-method-not-saved")
@given(data=st.data())
def test_a_bound_methods_object_is_not_saved(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A bound method's object is not saved: the resumed scheduler computes with the new code's object."""
    verify(data.draw(callable_cases(subject, ("method",)), label="case"))


@claim("answer.scheduler-callables-load-weights-only")
@given(data=st.data())
def test_every_schedule_callable_saves_and_loads_with_weights_only(subject: SchedulerSpec, data: st.DataObject) -> None:
    """A scheduler state holding any form of lr_lambda or scale_fn saves and loads with weights_only=True."""
    verify(data.draw(callable_cases(subject, FORMS, save_load=save_load_options(weights_only=True)), label="case"))
