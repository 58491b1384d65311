"""compat.run.resumption: the default dtype is always restored, written flags never touch the given dict."""

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


def test_written_flags_go_into_a_copy_of_every_group():
    saved = {"state": {0: {"step": torch.tensor(1.0)}}, "param_groups": [{"params": [0], "foreach": None}] * 2}
    written = resumption.with_flags(saved, {"capturable": True})
    assert [g["capturable"] for g in written["param_groups"]] == [True, True]
    assert all("capturable" not in g for g in saved["param_groups"])
    assert written["state"][0]["step"] is not saved["state"][0]["step"]


@pytest.mark.parametrize("name", ["Adam", "SGD", "NAdam"])
def test_a_cuda_run_never_writes_fused_with_foreach(name):
    combinations = resumption.flag_combinations(specs.get(name))
    assert combinations
    assert all(not (c.get("fused") and c.get("foreach")) for c in combinations)
    assert {f for c in combinations for f in c} == set(resumption.device_flags(specs.get(name)))
