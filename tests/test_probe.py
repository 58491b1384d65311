"""The probe measures what the installed torch accepts, and not-applicable reasons quote its refusals."""

import re

import pytest
import torch

from compat.catalog import claims, specs, versions
from compat.catalog.specs import OptimizerSpec
from compat.run import probe
from compat.run.applicability import not_applicable_because

TORCH = versions.installed()
TENSOR_LR_OPTIMIZERS = ("SGD", "Adam", "AdamW", "RMSprop")


@pytest.mark.parametrize("name", TENSOR_LR_OPTIMIZERS)
def test_torchs_first_optimizers_take_a_tensor_lr_with_their_default_implementation(name):
    # Built with lr=torch.tensor(0.01) and no implementation flag, these step on every release
    # from 1.13 (the report once said they did not before 2.2).
    spec = specs.get(name)
    assert probe.verdict(spec, tensor_lr=True).accepted
    assert probe.tensor_lr_refused(spec, TORCH) is None
    assert not_applicable_because(claims.get("optimizer.lr.tensor.preserved"), spec, TORCH) is None


def test_a_refusal_is_the_exception_type_and_its_first_line():
    refused = probe.verdict(specs.get("SparseAdam"), {"foreach": True})
    assert not refused.accepted
    assert refused.refusal.startswith("TypeError: ")
    assert "foreach" in refused.refusal
    assert "\n" not in refused.refusal
    assert refused.because() == f"torch {TORCH} refuses {refused.tried}: {refused.refusal}"
    assert refused.tried == "SparseAdam(foreach=True) on float32 cpu params"


def test_a_flag_torch_refuses_is_neither_drawn_nor_listed():
    # capturable needs the params on an accelerator: torch refuses it for CPU params.
    adam = specs.get("Adam")
    assert not probe.flag_verdict(adam, "capturable").accepted
    assert "capturable" not in probe.flags(adam)
    assert "maximize" in probe.flags(adam)


def test_the_verdict_is_what_torch_does_when_built_and_stepped():
    spec = specs.get("Adam")
    for dtype in spec.param_dtypes:
        found = probe.verdict(spec, dtype=dtype)
        try:
            param = torch.zeros(3, dtype=getattr(torch, dtype), requires_grad=True)
            optimizer = torch.optim.Adam([param], lr=0.01)
            for _ in range(2):
                param.grad = torch.ones_like(param)
                optimizer.step()
            stepped = True
        except RuntimeError:
            stepped = False
        assert found.accepted == stepped, (dtype, found)


def test_a_claim_no_implementation_allows_is_not_applicable_with_the_refusal_quoted():
    muon = specs.get("Muon")
    if muon.absent_because(TORCH):
        pytest.skip(f"not-applicable: {muon.absent_because(TORCH)}")
    reason = not_applicable_because(claims.get("optimizer.flags.restored"), muon, TORCH)
    assert reason.startswith(f"torch {TORCH} refuses every flag of Muon: foreach=True: TypeError: ")


def test_a_flag_the_param_groups_do_not_keep_is_not_counted():
    class SwallowsKeywords(torch.optim.SGD):
        def __init__(self, params, lr=0.01, **ignored):
            super().__init__(params, lr=lr)

    SwallowsKeywords.__module__ = __name__
    globals()["SwallowsKeywords"] = SwallowsKeywords
    spec = OptimizerSpec(target=f"{__name__}.SwallowsKeywords", hyperparameters={})
    specs.register(spec)
    try:
        verdict = probe.flag_verdict(spec, "fused")
        assert verdict.refusal == "ignored: its param groups do not hold fused=True"
        assert "fused" not in probe.flags(spec)
    finally:
        specs.unregister(spec.target)


def test_hyperparameters_a_release_refuses_are_left_out_of_the_space():
    spec = specs.get("SGD")
    assert probe.hyperparameters(spec) == dict(spec.hyperparameters)
    ghost = OptimizerSpec(
        target="torch.optim.SGD", hyperparameters={"no_such_argument": spec.hyperparameters["nesterov"]}
    )
    specs.unregister("torch.optim.SGD")
    specs.register(ghost)
    try:
        assert probe.hyperparameters(ghost) == {}
    finally:
        specs.unregister("torch.optim.SGD")
        specs.register(spec)


def test_the_probe_answers_only_for_the_installed_release():
    other = "1.13" if versions.release(TORCH) != (1, 13) else "2.0"
    with pytest.raises(ValueError, match=re.escape(f"measures the installed torch {TORCH}, not {other}")):
        probe.tensor_lr_refused(specs.get("Adam"), other)
