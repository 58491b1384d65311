"""Shared searches (compat.record.traces): the same outcomes as a search per claim, in fewer cases."""

import json

import pytest
from conftest import run_python

pytestmark = pytest.mark.slow  # each test starts the suite in a child pytest

BROKEN = "tests/broken_optimizers.py"


def _run(tmp_path, name, *extra):
    result = tmp_path / f"{name}.json"
    done = run_python(
        "-m", "pytest", "props", "-q", "-p", "no:randomly", "--hypothesis-profile=ci",
        f"--compat-json={result}", *extra,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stdout[-3000:] + done.stderr[-2000:]
    document = json.loads(result.read_text())
    outcomes = {(r["claim"], r["subject"]): r["outcome"] for r in document["records"]}
    return outcomes, document


def test_shared_searches_give_each_claim_the_outcome_its_own_search_gives(tmp_path):
    subjects = ("-k", "[SGD] or [StepLR] or [SequentialLR]")
    shared, shared_run = _run(tmp_path, "shared", *subjects)
    own, own_run = _run(tmp_path, "own", *subjects, "--compat-own-searches")
    assert shared == own
    assert {"holds", "violated"} <= set(shared.values())
    assert shared_run["cases"] < own_run["cases"]
    assert own_run["cases"] == own_run["examples"]


def test_a_violation_the_shared_search_finds_fails_its_claim(tmp_path):
    outcomes, _ = _run(tmp_path, "broken", "--spec", f"{BROKEN}:DROPS_BUFFER", "-k", "DropsBuffer")
    assert outcomes["optimizer.state_dict.complete", "broken_optimizers.DropsBuffer"] == "violated"
    assert outcomes["optimizer.resume.bitwise", "broken_optimizers.DropsBuffer"] == "violated"
