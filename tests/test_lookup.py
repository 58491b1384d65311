"""``explain`` and ``cite``: subjects resolved without guessing, findings cited, holding claims never cited."""

import json

import pytest
from conftest import RESULT_HEADER

from compat.report import lookup, write_report

TORCH_ASGD = "torch.optim.ASGD"
OTHER_ASGD = "pytorch_optimizer.optimizer.sgd.ASGD"
LION = ("pytorch_optimizer.optimizer.lion.Lion", "other_package.Lion")


def _record(claim, subject, torch, outcome, **extra):
    record = {"claim": claim, "subject": subject, "torch": torch, "device": "cpu", "outcome": outcome, "reason": "r"}
    return record | extra


@pytest.fixture(scope="module")
def matrix(tmp_path_factory):
    folder = tmp_path_factory.mktemp("results")
    files = {}
    for version in ("2.5.1+cpu", "2.6.0+cpu"):
        repro = f"repro/{version[:3]}-cpu/restored.py"
        (folder / repro).parent.mkdir(parents=True)
        (folder / repro).write_text("print('VIOLATED: optimizer.state.restored')\n")
        violated = {"expected": False, "repro": repro, "repro_exit": 1, "example": "Case()"}
        records = [
            _record("optimizer.state.restored", TORCH_ASGD, version, "violated", **violated),
            _record("optimizer.state.restored", OTHER_ASGD, version, "holds"),
            _record("answer.lr-in-state-dict", TORCH_ASGD, version, "holds"),
            *(_record("answer.lr-in-state-dict", lion, version, "holds") for lion in LION),
            _record("crossversion.optimizer.loads", TORCH_ASGD, version, "violated", saved_by="2.4", **violated),
            _record("crossversion.optimizer.loads", TORCH_ASGD, version, "holds", saved_by="2.0"),
        ]
        files[version[:3]] = RESULT_HEADER | {"torch": version, "records": records}
    for release, document in files.items():
        (folder / f"{release}-cpu.json").write_text(json.dumps(document))
    return write_report(folder, tmp_path_factory.mktemp("reports"))


def test_a_short_name_resolves_to_torchs_own_class_first():
    assert lookup.subject("ASGD", {TORCH_ASGD, OTHER_ASGD}) == TORCH_ASGD
    assert lookup.subject(OTHER_ASGD, {TORCH_ASGD, OTHER_ASGD}) == OTHER_ASGD


def test_a_short_name_two_third_party_classes_share_is_refused_with_the_candidates():
    with pytest.raises(lookup.NotFound, match=r"'Lion' is ambiguous: other_package.Lion, pytorch_optimizer"):
        lookup.subject("Lion", set(LION))
    with pytest.raises(lookup.NotFound, match=r"no subject 'Adamm' in the matrix; did you mean Adam\?"):
        lookup.subject("Adamm", {"torch.optim.Adam"})


def test_cite_defaults_to_the_newest_release_that_violates_and_names_the_torch_class(matrix, tmp_path):
    text = lookup.citation(matrix, "optimizer.state.restored", name="ASGD", torch=None, saved_by=None, reports=tmp_path)
    assert "**Subject**: `torch.optim.ASGD`" in text
    assert "torch 2.6.0+cpu" in text and "**Releases**: torch 2.5–2.6" in text
    assert "**Kind**: new finding" in text and "**Reproducer**" in text


def test_cite_on_a_claim_that_holds_gives_the_evidence_never_a_snippet(matrix, tmp_path):
    text = lookup.citation(matrix, "answer.lr-in-state-dict", name="ASGD", torch=None, saved_by=None, reports=tmp_path)
    assert text.startswith("Nothing to cite: answer.lr-in-state-dict holds for torch.optim.ASGD.")
    assert "Evidence: 2 outcomes that hold, torch 2.5–2.6" in text
    assert "**Claim**" not in text and "Reproducer" not in text
    held = lookup.citation(
        matrix, "optimizer.state.restored", name=OTHER_ASGD, torch="2.6", saved_by=None, reports=tmp_path
    )
    assert held.startswith(f"Nothing to cite: optimizer.state.restored holds for {OTHER_ASGD} on torch 2.6.")
    assert "Violated for other subjects: ASGD." in held


def test_cite_takes_the_saving_release_of_a_cross_release_claim(matrix, tmp_path):
    claim = "crossversion.optimizer.loads"
    text = lookup.citation(matrix, claim, name="ASGD", torch="2.5", saved_by="2.4", reports=tmp_path)
    assert "**Environment**: saved by torch 2.4, loaded by torch 2.5.1+cpu" in text
    assert "**Releases**: pairs (saved -> loaded) 2.4->2.5, 2.4->2.6" in text
    held = lookup.citation(matrix, claim, name="ASGD", torch=None, saved_by="2.0", reports=tmp_path)
    assert held.startswith(f"Nothing to cite: {claim} holds for torch.optim.ASGD.")
    assert "checkpoints saved by torch 2.0" in held
    with pytest.raises(lookup.NotFound, match="--saved-by is for cross-release claims"):
        lookup.citation(matrix, "optimizer.state.restored", name="ASGD", torch=None, saved_by="2.4", reports=tmp_path)


def test_explain_filters_by_subject_release_and_kind(matrix):
    text = lookup.explanation(matrix, "optimizer.state.restored", name="ASGD", torch="2.6", kind="new")
    assert "  new: ASGD, torch 2.5–2.6: no entry expects it" in text
    assert "new: ASGD" not in lookup.explanation(matrix, "optimizer.state.restored", name=None, torch=None, kind="bug")
