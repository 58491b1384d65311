"""compat.run.resumption: the default dtype is always restored; a CUDA run never writes fused with foreach."""

import pytest
import torch

from compat.catalog import specs
from compat.run import resumption


def test_the_default_dtype_is_restored_when_the_block_raises():
    before = torch.get_default_dtype()
    with pytest.raises(RuntimeError, match="inside"), resumption.default_dtype("float64"):
        assert torch.get_default_dtype() == torch.float64
        raise RuntimeError("inside")
    assert torch.get_default_dtype() == before


def test_no_default_dtype_leaves_torchs_own():
    with resumption.default_dtype(None):
        assert torch.get_default_dtype() == torch.float32


@pytest.mark.parametrize("name", ["Adam", "SGD", "NAdam"])
def test_a_cuda_run_never_writes_fused_with_foreach(name):
    combinations = resumption.flag_combinations(specs.get(name))
    assert combinations
    assert all(not (c.get("fused") and c.get("foreach")) for c in combinations)
    assert {f for c in combinations for f in c} == set(resumption.device_flags(specs.get(name)))
