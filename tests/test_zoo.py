"""The third-party zoo: candidates from the packages' own exports, probed before the suite runs them."""

import pytest

pytest.importorskip("pytorch_optimizer", reason="not-run: pytorch-optimizer is not installed (pip install .[zoo])")
pytest.importorskip("schedulefree", reason="not-run: schedulefree is not installed (pip install .[zoo])")

from compat.catalog import specs
from compat.matrix import zoo


@pytest.fixture(scope="module")
def candidates():
    return {spec.target.rpartition(".")[2]: spec for spec in zoo.candidates()}


def test_every_exported_optimizer_is_a_candidate_except_torchs_own(candidates):
    import pytorch_optimizer

    assert len(candidates) > 100
    assert not [name for name, spec in candidates.items() if spec.target.startswith("torch.")]
    assert {"AdaBelief", "Lion", "Ranger21", "Muon", "AdamWScheduleFree", "SGDScheduleFreeClosure"} <= set(candidates)
    assert len(pytorch_optimizer.get_supported_optimizers()) >= len([n for n in candidates if "ScheduleFree" not in n])


def test_schedule_free_optimizers_switch_to_train_mode_or_take_a_closure(candidates):
    assert candidates["AdamWScheduleFree"].train_mode == "train"
    assert candidates["SGDScheduleFreeClosure"].closure


def test_a_candidate_that_trains_is_accepted_and_one_that_cannot_is_left_out_with_the_reason(candidates):
    accepted, reason = zoo.probe(candidates["AdaBelief"])
    assert accepted is not None and reason == ""
    refused, reason = zoo.probe(candidates["AdamMini"])  # it takes a model, not parameters
    assert refused is None
    assert reason == "cannot train with its example: AttributeError: 'list' object has no attribute 'named_parameters'"
    assert "pytorch_optimizer.optimizer.adam_mini.AdamMini" not in specs.specs()


def test_a_candidate_that_trains_only_on_some_shapes_is_left_out_with_the_refusal():
    import broken_optimizers  # LoRARite pairs its params too, as LoRA factors of one rank

    spec = broken_optimizers.PAIRS_PARAMS
    refused, _ = zoo.probe(spec)
    assert refused is None
    specs.register(spec)
    try:
        assert zoo.shapes_refusal(spec) == (
            "cannot train on params of shapes (3,), (), (2, 3), (4, 1, 2) in one group: "
            "RuntimeError: shape '[3]' is invalid for input of size 1"
        )
        assert zoo.shapes_refusal(specs.get("torch.optim.Adam")) == ""
    finally:
        specs.unregister(spec.target)


def test_required_arguments_and_muon_groups_are_supplied(candidates):
    ranger, _ = zoo.probe(candidates["Ranger21"])
    assert ranger.example_kwargs == {"num_iterations": 100}
    assert ranger.repaired({"lr": 0.5}) == {"num_iterations": 100, "lr": 0.5}  # the fresh optimizer gets it too
    muon, _ = zoo.probe(candidates["Muon"])
    assert (muon.param_ndim, dict(muon.group_keys)) == (2, {"use_muon": True})
