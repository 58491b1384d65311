"""Claims about the per-parameter optimizer state after load_state_dict."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.specs import OptimizerSpec
from compat.record.claim_tests import claim, verify
from props.strategies import cases, default_dtype_cases


@claim("optimizer.state.restored")
@given(data=st.data())
def test_every_state_tensor_is_restored_bitwise(subject: OptimizerSpec, data: st.DataObject) -> None:
    """After load_state_dict every per-parameter state tensor equals the saved one bitwise."""
    verify(data.draw(cases(subject), label="case"))


@claim("optimizer.state.dtype-follows-param")
@given(data=st.data())
def test_floating_state_follows_the_param_dtype(subject: OptimizerSpec, data: st.DataObject) -> None:
    """Loading into params of another floating dtype casts floating state to the param's dtype."""
    verify(data.draw(cases(subject, load_dtype=True), label="case"))


@claim("optimizer.state.device-follows-param")
@given(data=st.data())
def test_state_lives_on_the_param_device(subject: OptimizerSpec, data: st.DataObject) -> None:
    """After loading with any map_location, state lives on the param's device."""
    verify(data.draw(cases(subject), label="case"))


@claim("optimizer.state.step-dtype")
@given(data=st.data())
def test_step_keeps_its_dtype_through_the_round_trip(subject: OptimizerSpec, data: st.DataObject) -> None:
    """Under either default dtype, step keeps the dtype it was saved with, the uninterrupted optimizer's."""
    verify(data.draw(default_dtype_cases(subject), label="case"))
