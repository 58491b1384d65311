"""Claims about CUDA: round trips on the device and across devices (not run without CUDA)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.specs import OptimizerSpec
from compat.record.claim_tests import claim, verify
from props.strategies import cases


@claim("device.cuda.optimizer.state_dict.roundtrip")
@given(data=st.data())
def test_cuda_state_dict_roundtrips(subject: OptimizerSpec, data: st.DataObject) -> None:
    """On CUDA, the loaded optimizer state dict equals the saved one."""
    verify(data.draw(cases(subject, device="cuda"), label="case"))


@claim("device.cuda.optimizer.resume.bitwise")
@given(data=st.data())
def test_cuda_resumed_training_equals_uninterrupted_bitwise(subject: OptimizerSpec, data: st.DataObject) -> None:
    """On CUDA, N steps, save, load, M steps equals N+M uninterrupted steps bitwise."""
    verify(data.draw(cases(subject, device="cuda"), label="case"))


@claim("device.cuda-to-cpu.state-on-cpu")
@given(data=st.data())
def test_state_saved_on_cuda_loads_onto_the_cpu(subject: OptimizerSpec, data: st.DataObject) -> None:
    """State saved on CUDA and loaded into CPU params lives on the CPU."""
    verify(data.draw(cases(subject, device="cuda", load_device="cpu"), label="case"))


@claim("device.cpu-to-cuda.state-on-cuda")
@given(data=st.data())
def test_state_saved_on_cpu_loads_onto_cuda(subject: OptimizerSpec, data: st.DataObject) -> None:
    """State saved on the CPU and loaded into CUDA params lives on CUDA."""
    verify(data.draw(cases(subject, device="cpu", load_device="cuda"), label="case"))
