"""Claims about the hyperparameters and flags a restored optimizer trains with."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.specs import OptimizerSpec
from compat.record.claim_tests import claim, verify
from props.strategies import cases, default_flag_cases, device_flag_cases, lr_type_cases


@claim("optimizer.hyperparameters.restored")
@given(data=st.data())
def test_loaded_hyperparameters_override_the_constructor(subject: OptimizerSpec, data: st.DataObject) -> None:
    """After load_state_dict every param group's hyperparameters, lr included, equal the saved ones."""
    verify(data.draw(cases(subject), label="case"))


@claim("optimizer.flags.restored")
@given(data=st.data())
def test_loaded_flags_override_the_constructor(subject: OptimizerSpec, data: st.DataObject) -> None:
    """After load_state_dict the implementation flags of every param group are the saved ones."""
    verify(data.draw(cases(subject), label="case"))


@claim("optimizer.lr.tensor.preserved")
@given(data=st.data())
def test_tensor_lr_stays_a_tensor_of_the_same_value(subject: OptimizerSpec, data: st.DataObject) -> None:
    """A tensor lr is still a tensor of the same value after the round trip."""
    verify(data.draw(cases(subject, tensor_lr=True), label="case"))


@claim("optimizer.lr.type-follows-checkpoint")
@given(data=st.data())
def test_the_lr_takes_the_checkpoints_type_whatever_the_constructor_got(
    subject: OptimizerSpec, data: st.DataObject
) -> None:
    """Loaded into an optimizer built with the other kind of lr, the lr has the checkpoint's type; it steps."""
    verify(data.draw(lr_type_cases(subject), label="case"))


@claim("optimizer.load.flags-from-another-device.defaults")
@given(data=st.data())
def test_a_checkpoint_a_cuda_run_wrote_with_default_flags_loads_steps_and_resumes_bitwise_on_the_cpu(
    subject: OptimizerSpec, data: st.DataObject
) -> None:
    """A checkpoint with the default flags a CUDA run writes resumes on the CPU bitwise as the uninterrupted run."""
    verify(data.draw(default_flag_cases(subject), label="case"))


@claim("optimizer.load.flags-from-another-device")
@given(data=st.data())
def test_a_checkpoint_with_cuda_flags_resumes_on_the_cpu(subject: OptimizerSpec, data: st.DataObject) -> None:
    """A checkpoint carrying a CUDA run's flags (set in the saved dict) steps on the CPU as with the flags it takes."""
    verify(data.draw(device_flag_cases(subject), label="case"))
