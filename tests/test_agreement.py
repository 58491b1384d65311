"""The printed reproducer and the engine agree on drawn cases: each says violated exactly where the other does.

For a sample of claims and subjects, Hypothesis draws cases with the very strategy the claim's
property test draws (the test body runs on a recording stand-in for ``st.data()``); each case goes
through the engine (the property test's own check) and through its printed script, run here.
"""

import importlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compat.catalog import claims, schedulers, specs, versions
from compat.record import claim_tests
from compat.record.repro import repro_script
from compat.record.verify import CONFIRMED, exit_status, verdict_of
from compat.run.applicability import not_applicable_because
from compat.run.checks import ClaimViolation

TORCH = versions.installed()
MODULES = ("state_dict", "state", "hyperparameters", "resume", "load", "answers", "schedulers", "scheduler_arguments")
PAIRS = [
    ("optimizer.state_dict.roundtrip", "Adam"),
    ("optimizer.state_dict.is-snapshot", "SGD"),
    ("optimizer.hyperparameters.restored", "AdamW"),
    ("optimizer.flags.restored", "Adam"),
    ("optimizer.lr.tensor.preserved", "SGD"),
    ("optimizer.lr.type-follows-checkpoint", "Adam"),
    ("optimizer.load.flags-from-another-device.defaults", "NAdam"),
    ("optimizer.load.flags-from-another-device", "Adam"),
    ("optimizer.state.restored", "NAdam"),
    ("optimizer.state.dtype-follows-param", "Adagrad"),
    ("optimizer.resume.bitwise", "RMSprop"),
    ("optimizer.load.rejects-group-mismatch", "Adagrad"),
    ("optimizer.load.matches-by-identity", "Adam"),
    ("optimizer.load.leaves-argument-intact", "NAdam"),
    ("optimizer.load.does-not-alias-argument", "SGD"),
    ("optimizer.load.validates-hyperparameters", "Rprop"),
    ("optimizer.load.rejects-shape-mismatch", "Adamax"),
    ("optimizer.load.across-classes", "AdamW"),
    ("optimizer.load.atomic", "ASGD"),
    ("answer.lr-in-state-dict", "SGD"),
    ("answer.lr-not-in-per-param-state", "Adagrad"),
    ("answer.fresh-optimizer-uses-constructor-lr", "RMSprop"),
    ("scheduler.resume.lr-trajectory", "StepLR"),
    ("scheduler.resume.lr-trajectory.optimizer-only", "CosineAnnealingLR"),
    ("scheduler.resume.params-bitwise.scheduler-only", "ExponentialLR"),
    ("scheduler.resume.lr-trajectory.repaired", "OneCycleLR"),
    ("scheduler.resume.params-bitwise.last-epoch", "StepLR"),
    ("scheduler.last_lr.restored", "ReduceLROnPlateau"),
    ("scheduler.load.leaves-optimizer-lr", "MultiStepLR"),
    ("scheduler.load.leaves-argument-intact", "CyclicLR"),
    ("scheduler.composite.restored", "SequentialLR"),
    ("scheduler.plateau.restored", "ReduceLROnPlateau"),
    ("scheduler.load.keeps-constructor-arguments", "MultiStepLR"),
    ("scheduler.load.keeps-constructor-arguments", "ChainedScheduler"),
    ("answer.scheduler-lambda-not-saved", "CyclicLR"),
    ("answer.scheduler-callable-object-restored", "LambdaLR"),
    ("answer.scheduler-partial-not-saved", "MultiplicativeLR"),
    ("answer.scheduler-bound-method-not-saved", "LambdaLR"),
    ("answer.scheduler-callables-load-weights-only", "CyclicLR"),
    ("scheduler.state_dict.weights_only", "LambdaLR"),
]


def _tests() -> dict[str, object]:
    found = {}
    for module in MODULES:
        loaded = importlib.import_module(f"props.test_{module}")
        for function in vars(loaded).values():
            for mark in getattr(function, "pytestmark", []):
                if mark.name == "claim":
                    found[mark.args[0]] = function.hypothesis.inner_test
    return found


TESTS = _tests()


class Recording:
    """Stands in for ``st.data()``: draws through Hypothesis and keeps the case drawn."""

    def __init__(self, data: st.DataObject) -> None:
        self.data = data
        self.case = None

    def draw(self, strategy, label=None):
        self.case = self.data.draw(strategy, label=label)
        return self.case


def engine_verdict(claim_id: str, subject, data: st.DataObject):
    """Return (the case, True if the engine finds the claim violated, False if it holds)."""
    recording = Recording(data)
    token = claim_tests.CURRENT_CLAIM.set(claims.get(claim_id))
    try:
        TESTS[claim_id](subject=subject, data=recording)
    except ClaimViolation:
        return recording.case, True
    finally:
        claim_tests.CURRENT_CLAIM.reset(token)
    return recording.case, False


def script_verdict(text: str, claim_id: str, folder) -> tuple[bool, str]:
    """Return (whether the script printed the claim's VIOLATED line and exited 1, its output), run here."""
    path = folder / "repro.py"
    path.write_text(text)
    code, output = exit_status(path, [])
    return verdict_of(code, output, claim_id) == CONFIRMED, output


@pytest.mark.parametrize(("claim_id", "name"), PAIRS, ids=[f"{c}-{n}" for c, n in PAIRS])
def test_the_script_and_the_engine_agree_on_drawn_cases(claim_id, name, tmp_path):
    checked = claims.get(claim_id)
    subject = schedulers.get(name) if checked.subjects == "schedulers" else specs.get(name)
    if not_applicable_because(checked, subject, TORCH):
        pytest.skip(f"{claim_id} does not apply to {name} on torch {TORCH}")
    seen = []

    @settings(max_examples=6, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def agree(data):
        case, violated = engine_verdict(claim_id, subject, data)
        shown, output = script_verdict(repro_script(checked, case), claim_id, tmp_path)
        seen.append(violated)
        assert shown == violated, f"engine {'violated' if violated else 'holds'}, script:\n{output}\n{case!r}"

    agree()
    assert seen, "no case was drawn"
