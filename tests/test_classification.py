"""Outcomes a harness error would hide: what a subject lacks is not-applicable, a refusal goes to its own claim."""

import fractions
import json

import pytest
import torch
from conftest import run_python

from compat.catalog import refusals, specs
from compat.catalog.anatomy import LAYOUT, LR
from compat.catalog.case import SaveLoad
from compat.run import engine
from compat.run.anatomy import lacks

pytestmark = pytest.mark.slow  # one child pytest over the broken optimizers

BROKEN = "tests/broken_optimizers.py"


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Return {(claim, class name): record} of a run over the broken optimizers that lack or refuse something."""
    result = tmp_path_factory.mktemp("run") / "result.json"
    tests = [
        "props/test_answers.py",
        "props/test_hyperparameters.py::test_loaded_hyperparameters_override_the_constructor",
        "props/test_resume.py::test_resumed_training_equals_uninterrupted_training_bitwise",
        "props/test_state_dict.py::test_state_dict_roundtrips_with_weights_only",
        "props/test_state_dict.py::test_state_dict_does_not_change_when_training_continues",
    ]
    done = run_python(
        "-m",
        "pytest",
        *tests,
        "-q",
        "-p",
        "no:randomly",
        "--hypothesis-profile",
        "ci",
        "--compat-subjects",
        "third-party",
        *(f"--spec={BROKEN}:{name}" for name in ("REFUSES_TO_LOAD", "KEEPS_A_FRACTION", "FIXED_STEP")),
        f"--compat-json={result}",
    )
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-2000:]
    records = json.loads(result.read_text())["records"]
    return {(r["claim"], r["subject"].rpartition(".")[2]): r for r in records}


def test_no_outcome_is_a_harness_error(outcomes):
    assert [key for key, record in outcomes.items() if record["outcome"] == "error"] == []


def test_groups_without_an_lr_make_the_lr_claims_not_applicable_with_what_they_hold(outcomes):
    for claim in ("answer.lr-in-state-dict", "answer.fresh-optimizer-uses-constructor-lr"):
        record = outcomes[claim, "FixedStep"]
        assert record["outcome"] == "not-applicable"
        assert record["reason"] == "FixedStep's param groups hold no 'lr' (they hold step_size)"
    assert outcomes["answer.lr-not-in-per-param-state", "FixedStep"]["outcome"] == "holds"


def test_a_load_state_dict_that_raises_is_a_violation_of_resuming_only(outcomes):
    resumed = outcomes["optimizer.resume.bitwise", "RefusesToLoad"]
    assert resumed["outcome"] == "violated"
    assert resumed["reason"].startswith("load_state_dict raised RuntimeError: RefusesToLoad cannot be restored")
    record = outcomes["optimizer.hyperparameters.restored", "RefusesToLoad"]  # it reads the loaded optimizer
    assert record["outcome"] == "not-applicable", record
    assert "RefusesToLoad cannot be restored (a violation of optimizer.resume.bitwise)" in record["reason"]
    for claim in ("optimizer.state_dict.weights_only", "answer.lr-in-state-dict"):  # they read the loaded dict only
        assert outcomes[claim, "RefusesToLoad"]["outcome"] == "holds", claim


def test_a_weights_only_refusal_is_a_violation_of_the_weights_only_claim_only(outcomes):
    refused = outcomes["optimizer.state_dict.weights_only", "KeepsAFraction"]
    assert refused["outcome"] == "violated"
    assert "raised UnpicklingError: Weights only load failed" in refused["reason"]
    for claim in ("optimizer.hyperparameters.restored", "optimizer.resume.bitwise", "answer.lr-in-state-dict"):
        assert outcomes[claim, "KeepsAFraction"]["outcome"] == "holds", claim


def test_a_violation_predicted_from_an_inherited_method_that_does_not_show_holds(outcomes):
    record = outcomes["optimizer.state_dict.is-snapshot", "FixedStep"]
    assert record["outcome"] == "holds"
    assert record["reason"].startswith("not seen: inherited from torch.optim.Optimizer.state_dict: ")


def test_the_anatomy_names_what_a_subject_holds_instead():
    import broken_optimizers

    spec = broken_optimizers.FIXED_STEP
    specs.register(spec)
    try:
        assert lacks(spec, LR) == "FixedStep's param groups hold no 'lr' (they hold step_size)"
        assert lacks(spec, LAYOUT) is None
    finally:
        specs.unregister(spec.target)
    assert lacks(specs.get("torch.optim.Adam"), LR) is None
    with pytest.raises(ValueError, match="unknown need 'momentum'; known: lr, layout"):
        lacks(specs.get("torch.optim.SGD"), "momentum")


def test_a_weights_only_refusal_is_told_from_a_save_refusal_and_other_load_errors():
    with pytest.raises(engine.TorchRefused) as refused:
        engine.through_storage({"kept": fractions.Fraction(1, 3)}, SaveLoad(medium="buffer", weights_only=True))
    assert refused.value.kind == refusals.WEIGHTS_ONLY
    with pytest.raises(engine.TorchRefused) as refused:
        engine.through_storage({"kept": lambda: 0}, SaveLoad(medium="buffer", weights_only=False))
    assert refused.value.kind == refusals.SAVE  # torch.save cannot pickle a lambda: the round-trip claims' finding
    with pytest.raises(engine.TorchRefused) as refused:
        engine.through_storage({"kept": lambda: 0}, SaveLoad(medium="file", weights_only=False))
    assert refused.value.kind == refusals.SAVE
    assert engine.through_storage({"lr": torch.tensor(0.5)}, SaveLoad(medium="buffer"))["lr"] == 0.5
