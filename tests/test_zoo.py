"""The third-party zoo: candidates from the packages' own exports, probed before the suite runs them."""

import pytest

pytest.importorskip("pytorch_optimizer", reason="not-run: pytorch-optimizer is not installed (pip install .[zoo])")
pytest.importorskip("schedulefree", reason="not-run: schedulefree is not installed (pip install .[zoo])")

from compat import specs, zoo


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


def test_required_arguments_and_muon_groups_are_supplied(candidates):
    ranger, _ = zoo.probe(candidates["Ranger21"])
    assert ranger.example_kwargs == {"num_iterations": 100}
    muon, _ = zoo.probe(candidates["Muon"])
    assert (muon.param_ndim, dict(muon.group_keys)) == (2, {"use_muon": True})
