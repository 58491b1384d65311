"""Claims about CUDA: round trips on the device and across devices (not run without CUDA)."""

from hypothesis import given
from hypothesis import strategies as st

from compat import engine
from compat.checks import assert_same
from compat.plugin import claim, reproducible
from compat.specs import OptimizerSpec
from props.strategies import cases
from props.test_state import assert_state_on_param_device


@claim("device.cuda.optimizer.state_dict.roundtrip")
@given(data=st.data())
def test_cuda_state_dict_roundtrips(subject: OptimizerSpec, data: st.DataObject) -> None:
    """On CUDA, the loaded optimizer state dict equals the saved one."""
    case = data.draw(cases(subject, device="cuda"), label="case")
    with reproducible(case):
        trip = engine.roundtrip(case)
        assert_same(trip.saved, trip.given, case, path="state_dict")


@claim("device.cuda.optimizer.resume.bitwise")
@given(data=st.data())
def test_cuda_resumed_training_equals_uninterrupted_bitwise(subject: OptimizerSpec, data: st.DataObject) -> None:
    """On CUDA, N steps, save, load, M steps equals N+M uninterrupted steps bitwise."""
    case = data.draw(cases(subject, device="cuda"), label="case")
    with reproducible(case):
        resumed, straight = engine.resumed(case), engine.uninterrupted(case)
        assert_same(straight.params, resumed.params, case, names=("uninterrupted", "resumed"), path="params")
        assert_same(
            straight.state_dict, resumed.state_dict, case, names=("uninterrupted", "resumed"), path="state_dict"
        )


@claim("device.cuda-to-cpu.state-on-cpu")
@given(data=st.data())
def test_state_saved_on_cuda_loads_onto_the_cpu(subject: OptimizerSpec, data: st.DataObject) -> None:
    """State saved on CUDA and loaded into CPU params lives on the CPU."""
    case = data.draw(cases(subject, device="cuda", load_device="cpu"), label="case")
    with reproducible(case):
        assert_state_on_param_device(case)


@claim("device.cpu-to-cuda.state-on-cuda")
@given(data=st.data())
def test_state_saved_on_cpu_loads_onto_cuda(subject: OptimizerSpec, data: st.DataObject) -> None:
    """State saved on the CPU and loaded into CUDA params lives on CUDA."""
    case = data.draw(cases(subject, device="cpu", load_device="cuda"), label="case")
    with reproducible(case):
        assert_state_on_param_device(case)
