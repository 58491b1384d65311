"""Claims about training on after a round trip."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.specs import OptimizerSpec
from compat.record.claim_tests import claim, reproducible
from compat.run import engine
from compat.run.checks import assert_resumes_bitwise, assert_same
from props.strategies import cases


@claim("optimizer.resume.bitwise")
@given(data=st.data())
def test_resumed_training_equals_uninterrupted_training_bitwise(subject: OptimizerSpec, data: st.DataObject) -> None:
    """N steps, save, load into fresh objects, M steps equals N+M uninterrupted steps bitwise."""
    case = data.draw(cases(subject), label="case")
    with reproducible(case):
        assert_resumes_bitwise(case)


@claim("optimizer.load.no-grad-params")
@given(data=st.data())
def test_params_without_grad_get_no_state_and_resume_bitwise(subject: OptimizerSpec, data: st.DataObject) -> None:
    """Params that never had a grad have no optimizer state before or after, and resuming stays bitwise."""
    case = data.draw(cases(subject, idle=True), label="case")
    with reproducible(case):
        flat = [i for group in case.layout.groups for i in group.params]
        idle = {n for n, i in enumerate(flat) if case.layout.params[i].role != "trained"}
        original, _ = engine.checkpoint(case)
        before = sorted(n for n in original.state_dict()["state"] if n in idle)
        resumed, straight = engine.resumed(case), engine.uninterrupted(case)
        after = sorted(n for n in resumed.state_dict["state"] if n in idle)
        assert_same([], before, case, names=("expected", "state before the save for"), path="idle params")
        assert_same([], after, case, names=("expected", "state after resuming for"), path="idle params")
        assert_same(straight.params, resumed.params, case, names=("uninterrupted", "resumed"), path="params")
