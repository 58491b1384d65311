"""The result file: header, one record per claim x subject x device, violations with reproducers."""

import json

import pytest
import torch
from conftest import run_python

pytestmark = pytest.mark.slow  # each test starts the suite in a child pytest

HEADER = {"schema", "torch", "build", "device", "python", "platform", "hypothesis", "profile"}
HEADER |= {"project_commit", "command", "started", "finished", "examples", "cases", "packages", "records"}


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """Return the result file of a small props run: held, violated, not-applicable and not-run outcomes."""
    result = tmp_path_factory.mktemp("run") / "out" / "result.json"
    done = run_python(
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:randomly",
        "--hypothesis-profile",
        "ci",
        "props/test_state_dict.py::test_state_dict_roundtrips_with_mmap[SGD]",
        "props/test_load.py::test_permuting_params_does_not_swap_their_state[SGD]",
        "props/test_load.py::test_permuting_params_does_not_swap_their_state[Adam]",
        "props/test_hyperparameters.py::test_loaded_flags_override_the_constructor[Muon]",
        "props/test_device.py",
        "-k",
        "SGD or Adam or Muon",
        f"--compat-json={result}",
    )
    assert done.returncode == 0, done.stdout[-3000:]
    return result


def test_the_result_file_holds_the_header_and_every_outcome(recorded):
    result = recorded
    document = json.loads(result.read_text())
    assert set(document) == HEADER
    assert document["packages"] == {}  # torch's own optimizers only: no third-party package to name
    assert document["schema"] == 1
    assert document["profile"] == "ci"
    assert document["examples"] > 0
    assert document["started"] <= document["finished"]
    outcomes = {(r["claim"], r["subject"]): r for r in document["records"]}
    held = outcomes["optimizer.state_dict.mmap", "torch.optim.SGD"]
    assert (held["outcome"], held["device"], held["example"], held["repro"]) == ("holds", "cpu", None, None)
    violated = outcomes["optimizer.load.matches-by-identity", "torch.optim.SGD"]
    assert violated["outcome"] == "violated"
    assert violated["expected"] is True
    assert violated["example"].startswith("Case(subject='torch.optim.SGD'")
    assert "momentum_buffer" in violated["reason"]
    assert (result.parent / violated["repro"]).is_file()


def test_a_recorded_reproducer_exits_1_while_the_violation_is_present(recorded, tmp_path):
    records = json.loads(recorded.read_text())["records"]
    (record,) = [r for r in records if r["subject"] == "torch.optim.Adam" and r["outcome"] == "violated"]
    done = run_python(str(recorded.parent / record["repro"]), cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.startswith("torch ")
    assert "VIOLATED: optimizer.load.matches-by-identity" in done.stdout


def test_not_applicable_subjects_are_recorded_with_their_reason(recorded):
    document = json.loads(recorded.read_text())
    (record,) = [r for r in document["records"] if r["claim"] == "optimizer.flags.restored"]
    assert record["outcome"] == "not-applicable"
    assert record["reason"].startswith(f"torch {document['torch']} refuses every flag of Muon: ")
    assert all(f"{flag}=True: TypeError" in record["reason"] for flag in ("foreach", "fused", "maximize"))


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the outcome recorded where no CUDA device exists")
def test_cuda_claims_without_cuda_are_not_run(recorded):
    records = [r for r in json.loads(recorded.read_text())["records"] if r["claim"].startswith("device.")]
    assert {r["outcome"] for r in records} == {"not-run"}
    assert {r["reason"] for r in records} == {"no CUDA device"}
    assert {r["claim"] for r in records} >= {"device.cuda.optimizer.resume.bitwise", "device.cpu-to-cuda.state-on-cuda"}


def test_a_known_violation_that_no_longer_shows_is_recorded_fixed_and_turns_the_run_red(tmp_path):
    known = tmp_path / "known.toml"
    known.write_text(
        '[[violation]]\nclaim = "optimizer.state_dict.roundtrip"\nsubjects = ["torch.optim.SGD"]\n'
        'reason = "an entry for a claim that holds"\ndifferences = ["value *"]\nkind = "bug"\n'
    )
    result = tmp_path / "result.json"
    done = run_python(
        "-m",
        "pytest",
        "-q",
        "props/test_state_dict.py::test_loaded_state_dict_equals_the_saved_one[SGD]",
        f"--compat-expected={known}",
        f"--compat-json={result}",
    )
    assert done.returncode == 1, done.stdout[-3000:]
    (record,) = json.loads(result.read_text())["records"]
    assert record["outcome"] == "fixed"
    assert record["reason"].startswith("fixed on torch ")
    assert "an entry for a claim that holds" in record["reason"]


def _run_with_entry(tmp_path, test, spec, claim_id, differences):
    """Return the record of ``test`` run on the broken ``spec`` with one known entry expecting ``differences``."""
    known = tmp_path / "known.toml"
    subject = f"broken_optimizers.{spec.title().replace('_', '')}"
    known.write_text(
        f'[[violation]]\nclaim = "{claim_id}"\nsubjects = ["{subject}"]\nreason = "the entry under test"\n'
        f'kind = "bug"\ndifferences = {differences!r}\n'.replace("'", '"')
    )
    result = tmp_path / "result.json"
    done = run_python(
        "-m",
        "pytest",
        "-q",
        f"props/{test}",
        "--spec",
        f"tests/broken_optimizers.py:{spec}",
        "--compat-subjects",
        "third-party",
        f"--compat-expected={known}",
        f"--compat-json={result}",
    )
    (record,) = [r for r in json.loads(result.read_text())["records"] if r["subject"] == subject]
    return done, record


def test_an_entry_covers_exactly_the_difference_it_describes(tmp_path):
    test = "test_hyperparameters.py::test_loaded_hyperparameters_override_the_constructor"
    done, record = _run_with_entry(
        tmp_path, test, "IGNORES_SAVED_LR", "optimizer.hyperparameters.restored", ["value param_groups[*].lr"]
    )
    assert done.returncode == 0, done.stdout[-3000:]
    assert (record["outcome"], record["expected"]) == ("violated", True)
    assert record["signature"] == ["value param_groups[*].lr"]


def test_an_entry_for_a_value_at_another_path_does_not_cover_the_violation(tmp_path):
    test = "test_hyperparameters.py::test_loaded_hyperparameters_override_the_constructor"
    done, record = _run_with_entry(
        tmp_path, test, "IGNORES_SAVED_LR", "optimizer.hyperparameters.restored", ["value param_groups[*].momentum"]
    )
    assert done.returncode == 1
    assert (record["outcome"], record["expected"]) == ("violated", False)
    assert record["reason"].startswith(
        "not the known violation (expected value param_groups[*].momentum; found value param_groups[*].lr)"
    )


def test_an_entry_for_a_value_difference_does_not_cover_a_crash(tmp_path):
    test = "test_resume.py::test_resumed_training_equals_uninterrupted_training_bitwise"
    done, record = _run_with_entry(tmp_path, test, "REFUSES_TO_LOAD", "optimizer.resume.bitwise", ["value params[*]"])
    assert done.returncode == 1
    assert (record["outcome"], record["expected"]) == ("violated", False)
    assert record["signature"] == ["raises RuntimeError"]
