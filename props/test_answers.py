"""The answers to the questions people ask after a resume: is the lr saved, and where."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.specs import OptimizerSpec
from compat.record.claim_tests import claim, verify
from props.strategies import cases


@claim("answer.lr-in-state-dict")
@given(data=st.data())
def test_lr_is_saved_in_param_groups(subject: OptimizerSpec, data: st.DataObject) -> None:
    """The lr is saved: it is at state_dict()['param_groups'][i]['lr'] for every group."""
    verify(data.draw(cases(subject), label="case"))


@claim("answer.lr-not-in-per-param-state")
@given(data=st.data())
def test_per_param_state_holds_no_lr(subject: OptimizerSpec, data: st.DataObject) -> None:
    """No per-parameter state entry holds an 'lr' key, so state[...]['lr'] raises KeyError."""
    verify(data.draw(cases(subject, min_steps_before=1), label="case"))


@claim("answer.fresh-optimizer-uses-constructor-lr")
@given(data=st.data())
def test_an_optimizer_not_loaded_trains_with_its_constructor_lr(subject: OptimizerSpec, data: st.DataObject) -> None:
    """An optimizer re-created without load_state_dict trains with its constructor's lr."""
    verify(data.draw(cases(subject), label="case"))
