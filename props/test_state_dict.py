"""Claims about what torch.save / torch.load give back for an optimizer state dict."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.specs import OptimizerSpec
from compat.record.claim_tests import claim, verify
from props.strategies import cases, save_load_options


@claim("optimizer.state_dict.roundtrip")
@given(data=st.data())
def test_loaded_state_dict_equals_the_saved_one(subject: OptimizerSpec, data: st.DataObject) -> None:
    """The dict torch.load returns equals the optimizer.state_dict() that was saved."""
    verify(data.draw(cases(subject), label="case"))


@claim("optimizer.state_dict.weights_only")
@given(data=st.data())
def test_state_dict_roundtrips_with_weights_only(subject: OptimizerSpec, data: st.DataObject) -> None:
    """An optimizer state dict loads with torch.load(weights_only=True) and round-trips exactly."""
    verify(data.draw(cases(subject, save_load=save_load_options(weights_only=True)), label="case"))


@claim("optimizer.state_dict.mmap")
@given(data=st.data())
def test_state_dict_roundtrips_with_mmap(subject: OptimizerSpec, data: st.DataObject) -> None:
    """An optimizer state dict loads with torch.load(mmap=True) and round-trips exactly."""
    verify(data.draw(cases(subject, save_load=save_load_options(mmap=True)), label="case"))


@claim("optimizer.state_dict.legacy-format")
@given(data=st.data())
def test_state_dict_roundtrips_in_the_legacy_format(subject: OptimizerSpec, data: st.DataObject) -> None:
    """An optimizer state dict saved in the legacy non-zip format loads and round-trips exactly."""
    verify(data.draw(cases(subject, save_load=save_load_options(legacy_format=True)), label="case"))


@claim("optimizer.state_dict.is-snapshot")
@given(data=st.data())
def test_state_dict_does_not_change_when_training_continues(subject: OptimizerSpec, data: st.DataObject) -> None:
    """The dict optimizer.state_dict() returns does not change when training continues."""
    verify(data.draw(cases(subject, min_steps_before=1), label="case"))


@claim("optimizer.state_dict.complete")
@given(data=st.data())
def test_state_dict_holds_all_the_state_the_optimizer_keeps(subject: OptimizerSpec, data: st.DataObject) -> None:
    """state_dict() holds every per-parameter state entry the optimizer keeps (optimizer.state), bitwise."""
    verify(data.draw(cases(subject), label="case"))
