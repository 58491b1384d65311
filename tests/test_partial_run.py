"""A real one-release matrix over a copy of the published report: the other releases stay as published."""

import json
import shutil

import pytest
from conftest import ROOT, run_python

from compat.catalog import versions

NEWEST = versions.SUPPORTED[-1]
PROJECT = ("compat", "props", "reports", "pyproject.toml", "README.md")


@pytest.mark.slow
def test_a_one_release_matrix_keeps_every_other_releases_outcomes_and_reproducers(tmp_path):
    """`python -m compat matrix --torch NEWEST` on a copy of the project replaces that release's cells only.

    The run is real (its own venv, the suite on one claim to keep it short); every outcome of the
    other releases and the reproducer of every finding they alone show are as published, byte for byte.
    """
    copy = tmp_path / "project"
    for name in PROJECT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", ".report.new"))
        else:
            shutil.copy2(source, copy / name)
    published = json.loads((copy / "reports" / "matrix.json").read_text())
    done = run_python(
        "-m", "compat", "matrix", "--torch", NEWEST, "--jobs", "1", "--allow-new",
        cwd=copy, timeout=900, env={"PYTEST_ADDOPTS": "-k lr_is_saved_in_param_groups"},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    after = json.loads((copy / "reports" / "matrix.json").read_text())

    def others(matrix):  # the other releases' outcomes, and the zoo's (third-party, on NEWEST too)
        kept = [{k: v for k, v in o.items() if k != "finding"} for o in matrix["outcomes"] if not _rerun(o)]
        return sorted(kept, key=json.dumps)

    assert others(after) == others(published)
    assert {o["claim"] for o in after["outcomes"] if _rerun(o)} <= {
        "answer.lr-in-state-dict",
        *(c for c in (o["claim"] for o in published["outcomes"]) if c.startswith("crossversion.")),
    }

    def scripts(matrix, folder):
        alone = [
            f for f in matrix["findings"] if f.get("repro") and all(p.split("->")[-1] != NEWEST for p in f["verified"])
        ]
        return {(folder / f["repro"]).read_bytes() for f in alone}

    assert scripts(published, ROOT / "reports") <= scripts(after, copy / "reports")
    assert not (copy / ".matrix" / f"torch-{NEWEST}").exists()


def _loaders(finding):
    """Return the releases a finding shows on (across releases, the loading ones)."""
    return {place.split("->")[-1] for place in finding["verified"]}


def _rerun(outcome):
    """Return whether the run replaced this outcome: torch's own subjects on NEWEST."""
    return outcome["torch"] == NEWEST and outcome["subject"].startswith("torch.")
