"""Faults injected into torch turn claims red: the suite notices what it claims to check.

Runs each property test's pinned example in this process, once on real torch and once with a
fault patched into ``torch.optim.Optimizer`` (``compat.matrix.faults``), and asserts the fault turns
the claims that should notice it from holding to failing. ``python -m compat.matrix.faults`` does the
same with the whole ``pytest props`` run.
"""

import importlib
import inspect
from pathlib import Path

import pytest

from compat.catalog import claims, schedulers, specs, versions
from compat.catalog.specs import get
from compat.matrix import faults
from compat.record.claim_tests import CURRENT_CLAIM, PinnedData
from compat.run.applicability import not_applicable_because
from compat.run.examples import pinned_case

PROPS = Path(__file__).resolve().parent.parent / "props"
TORCH = versions.installed()


def claim_tests():
    """Return (claim id, test function) for every CPU property test in props/."""
    found = []
    for path in sorted(PROPS.glob("test_*.py")):
        module = importlib.import_module(f"props.{path.stem}")
        for _, function in inspect.getmembers(module, inspect.isfunction):
            marks = [m for m in getattr(function, "pytestmark", []) if m.name == "claim"]
            if marks and claims.get(marks[0].args[0]).device == "cpu" and hasattr(function, "hypothesis"):
                found.append((marks[0].args[0], function))
    return found


def failing_claims(subject):
    """Return the claim ids whose pinned example fails for ``subject`` on the current torch."""
    spec = get(subject) if subject in specs.specs() else schedulers.get(subject)
    kind = "optimizers" if subject in specs.specs() else "schedulers"
    failing = set()
    for claim_id, function in claim_tests():
        checked = claims.get(claim_id)
        if checked.subjects != kind or not_applicable_because(checked, spec, TORCH):
            continue
        token = CURRENT_CLAIM.set(checked)
        try:
            function.hypothesis.inner_test(subject=spec, data=PinnedData(pinned_case(spec, checked)))
        except Exception:  # a ClaimViolation, or torch failing outright: either way the claim is red
            failing.add(claim_id)
        finally:
            CURRENT_CLAIM.reset(token)
    return failing


# The subject each fault is tried on, and the claims that must notice it (others may too).
NOTICED_BY = {
    "drop-state-buffer": ("torch.optim.Adam", {"optimizer.resume.bitwise"}),
    "reset-hyperparameters": (
        "torch.optim.Adam",
        {"optimizer.hyperparameters.restored", "optimizer.resume.bitwise"},
    ),
    "perturb-one-ulp": ("torch.optim.Adam", {"optimizer.state.restored"}),
    "reset-step": ("torch.optim.Adam", {"optimizer.state.restored", "optimizer.resume.bitwise"}),
    "scheduler-ignores-last-epoch": (
        "torch.optim.lr_scheduler.StepLR",
        {"scheduler.resume.lr-trajectory", "scheduler.resume.params-bitwise"},
    ),
    "scheduler-forgets-last-lr": ("torch.optim.lr_scheduler.StepLR", {"scheduler.last_lr.restored"}),
    "plateau-forgets-bad-epochs": (
        "torch.optim.lr_scheduler.ReduceLROnPlateau",
        {"scheduler.plateau.restored"},
    ),
    "scheduler-sets-epoch-zero-lr": (
        "torch.optim.lr_scheduler.StepLR",
        {"scheduler.resume.lr-trajectory.built-after-load", "scheduler.resume.params-bitwise.built-after-load"},
    ),
}


def test_every_fault_has_its_expected_detectors():
    assert set(NOTICED_BY) == set(faults.FAULTS)


@pytest.mark.parametrize("fault", sorted(faults.FAULTS))
def test_a_fault_turns_holding_claims_red(fault, monkeypatch):
    subject, noticed_by = NOTICED_BY[fault]
    healthy = failing_claims(subject)
    for owner, attribute, replacement in faults.FAULTS[fault]():
        monkeypatch.setattr(owner, attribute, replacement)
    turned_red = failing_claims(subject) - healthy
    assert turned_red >= noticed_by, f"{fault} turned only {sorted(turned_red)} red"
