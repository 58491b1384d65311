"""Faults injected into torch turn claims red: the suite notices what it claims to check.

Runs each property test's pinned example in this process, once on real torch and once with a
fault patched into ``torch.optim.Optimizer`` (``compat.faults``), and asserts the fault turns
the claims that should notice it from holding to failing. ``python -m compat.faults`` does the
same with the whole ``pytest props`` run.
"""

import importlib
import inspect
from pathlib import Path

import pytest
import torch

from compat import claims, faults, versions
from compat.examples import pinned_case
from compat.plugin import PinnedData
from compat.specs import get

PROPS = Path(__file__).resolve().parent.parent / "props"
TORCH = versions.installed()


def claim_tests():
    """Return (claim id, test function) for every CPU property test in props/."""
    found = []
    for path in sorted(PROPS.glob("test_*.py")):
        module = importlib.import_module(f"props.{path.stem}")
        for _, function in inspect.getmembers(module, inspect.isfunction):
            marks = [m for m in getattr(function, "pytestmark", []) if m.name == "claim"]
            if marks and claims.get(marks[0].args[0]).device == "cpu":
                found.append((marks[0].args[0], function))
    return found


def failing_claims(subject):
    """Return the claim ids whose pinned example fails for ``subject`` on the current torch."""
    spec = get(subject)
    failing = set()
    for claim_id, function in claim_tests():
        checked = claims.get(claim_id)
        if checked.not_applicable_because(spec, TORCH):
            continue
        try:
            function.hypothesis.inner_test(subject=spec, data=PinnedData(pinned_case(spec, checked)))
        except Exception:  # a ClaimViolation, or torch failing outright: either way the claim is red
            failing.add(claim_id)
    return failing


# The claims that must notice each fault (others may notice it too).
NOTICED_BY = {
    "drop-state-buffer": {"optimizer.resume.bitwise"},
    "reset-hyperparameters": {"optimizer.hyperparameters.restored", "optimizer.resume.bitwise"},
    "perturb-one-ulp": {"optimizer.state.restored"},
    "reset-step": {"optimizer.state.restored", "optimizer.resume.bitwise"},
}


@pytest.fixture(scope="module")
def healthy():
    """Return the claims that already fail for Adam on unpatched torch (the known violations)."""
    return failing_claims("Adam")


def test_every_fault_has_its_expected_detectors():
    assert set(NOTICED_BY) == set(faults.FAULTS)


@pytest.mark.parametrize("fault", sorted(faults.FAULTS))
def test_a_fault_turns_holding_claims_red(fault, healthy, monkeypatch):
    for attribute, replacement in faults.FAULTS[fault]().items():
        monkeypatch.setattr(torch.optim.Optimizer, attribute, replacement)
    turned_red = failing_claims("Adam") - healthy
    assert turned_red >= NOTICED_BY[fault], f"{fault} turned only {sorted(turned_red)} red"
