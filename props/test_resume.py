"""Claims about training on after a round trip."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.specs import OptimizerSpec
from compat.record.claim_tests import claim, verify
from props.strategies import cases


@claim("optimizer.resume.bitwise")
@given(data=st.data())
def test_resumed_training_equals_uninterrupted_training_bitwise(subject: OptimizerSpec, data: st.DataObject) -> None:
    """N steps, save, load into fresh objects, M steps equals N+M uninterrupted steps bitwise."""
    verify(data.draw(cases(subject), label="case"))


@claim("optimizer.load.no-grad-params")
@given(data=st.data())
def test_params_without_grad_get_no_state_and_resume_bitwise(subject: OptimizerSpec, data: st.DataObject) -> None:
    """Params that never had a grad have no optimizer state before or after, and resuming stays bitwise."""
    verify(data.draw(cases(subject, idle=True), label="case"))
