"""The matrix runner's choices (which releases, what is complete) and its bad input."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import run_python

from compat.catalog import versions
from compat.matrix import interpreters
from compat.matrix import runner as matrix

ROOT = Path(__file__).resolve().parent.parent


def test_an_unknown_release_is_one_error_before_anything_runs():
    done = run_python("-m", "compat", "matrix", "--torch", "2.6", "2.99")
    assert done.returncode == 2
    assert (
        done.stderr.strip() == "python -m compat matrix: error: unknown torch release 2.99; supported: 1.13, 2.0-2.15"
    )
    assert done.stdout == ""


def test_only_a_finished_schema_1_file_counts_as_complete(tmp_path):
    path = tmp_path / "2.6-cpu.json"
    assert not matrix.complete(path)
    path.write_text("{half")
    assert not matrix.complete(path)
    path.write_text(json.dumps({"schema": 1, "finished": None}))
    assert not matrix.complete(path)
    path.write_text(json.dumps({"schema": 1, "finished": "2026-11-28T00:00:00+00:00"}))
    assert matrix.complete(path)


def test_old_releases_get_their_install_quirks():
    assert "setuptools<70" in matrix.extra_requirements("2.1")
    assert "numpy<2" in matrix.extra_requirements("1.13")
    assert matrix.extra_requirements("2.6") == []


def test_explain_and_cite_refuse_an_unknown_claim_in_one_line():
    for command in ("explain", "cite"):
        done = run_python("-m", "compat", command, "optimizer.lr.saved")
        assert done.returncode == 2
        (line,) = done.stderr.strip().splitlines()
        assert line.startswith(f"python -m compat {command}: error: unknown claim 'optimizer.lr.saved'")


def test_cite_as_the_readme_types_it_gives_the_findings_kind_its_report_and_what_it_needs():
    """The published SequentialLR finding needs a tensor lr: the snippet says so beside its kind and its report."""
    done = run_python("-m", "compat", "cite", "scheduler.resume.lr-trajectory", "--subject", "SequentialLR")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    (kind,) = [line for line in lines if line.startswith("**Kind**: ")]
    assert kind.startswith("**Kind**: bug: ") and "https://github.com/pytorch/pytorch/issues/162359, closed" in kind
    (needs,) = [line for line in lines if line.startswith("**Needs**: ")]
    assert "only with a tensor lr" in needs


def test_cite_as_the_readme_types_it_prints_the_reproducer_the_kind_and_the_newest_violating_release():
    claim = "scheduler.resume.lr-trajectory.built-after-load"
    done = run_python("-m", "compat", "cite", claim, "--subject", "OneCycleLR")
    assert done.returncode == 0, done.stderr
    block = done.stdout[done.stdout.index("```python") :]
    assert f"VIOLATED: {claim}" in block
    assert "**Kind**: documented: " in done.stdout and "torch 2.15." in done.stdout


def test_cite_of_a_cross_release_claim_names_the_release_that_saved_the_checkpoint():
    done = run_python(
        "-m", "compat", "cite", "crossversion.scheduler.loads", "--subject", "OneCycleLR", "--torch", "2.13"
    )
    assert done.returncode == 0, done.stderr
    assert "**Environment**: saved by torch 2.3, loaded by torch 2.13." in done.stdout


def test_cite_of_an_older_saving_release_says_the_reproducer_saves_under_another():
    claim = "crossversion.optimizer.loads.weights-only"
    done = run_python("-m", "compat", "cite", claim, "--subject", "Adam", "--torch", "1.13", "--saved-by", "2.4")
    assert done.returncode == 0, done.stderr
    assert "**Environment**: saved by torch 2.4, loaded by torch 1.13." in done.stdout
    assert done.stdout.rstrip().endswith("shows the same violation for the checkpoint saved by torch 2.4.")


def test_explain_with_subject_and_release_fits_a_terminal_and_names_torchs_class_only():
    done = run_python("-m", "compat", "explain", "optimizer.state.restored", "--subject", "ASGD", "--torch", "2.13")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) <= 40
    assert "bug: ASGD, torch 1.13–2.15: " in done.stdout and "pytorch_optimizer" not in done.stdout


def test_report_refuses_a_folder_without_results(tmp_path):
    done = run_python("-m", "compat", "report", "--results", str(tmp_path), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert done.stderr.strip().endswith("no result files (*.json); run `nox -s matrix` first")


def test_new_fixed_and_error_outcomes_are_listed_one_line_each_and_known_ones_are_not(tmp_path):
    def record(claim, outcome, **extra):
        return {"claim": claim, "subject": "torch.optim.Adam", "outcome": outcome, "reason": "why", **extra}

    records = [
        record("optimizer.load.matches-by-identity", "violated", expected=True),
        record("optimizer.resume.bitwise", "violated", expected=False),
        record("optimizer.state.restored", "fixed"),
        record("optimizer.state_dict.roundtrip", "error"),
        record("crossversion.optimizer.loads", "violated", saved_by="2.5"),
        record("optimizer.flags.restored", "holds"),
    ]
    document = {"schema": 1, "finished": "2026-11-28T00:00:00+00:00", "records": records}
    (tmp_path / "2.6-cpu.json").write_text(json.dumps(document))
    assert matrix.unsettled(["2.6", "2.7"], tmp_path) == [
        "2.6 new: optimizer.resume.bitwise torch.optim.Adam: why",
        "2.6 fixed: optimizer.state.restored torch.optim.Adam: why",
        "2.6 error: optimizer.state_dict.roundtrip torch.optim.Adam: why",
        "2.6 new: crossversion.optimizer.loads torch.optim.Adam (saved by 2.5): why",
    ]


RECORDING_UV = """#!/bin/sh
echo "$UV_TORCH_BACKEND $*" >> "{record}"
if [ "$1" = venv ]; then
    for last in "$@"; do :; done
    mkdir -p "$last/bin" && ln -s "{python}" "$last/bin/python"
    exit 0
fi
exit 1
"""


def test_the_torch_backend_reaches_every_uv_install_of_a_release(tmp_path):
    """`--torch-backend cpu` is uv's own setting: the uv the matrix runs (a recording stand-in here) sees it."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "compat", project / "compat", ignore=shutil.ignore_patterns("__pycache__"))
    bin_folder, record = tmp_path / "bin", tmp_path / "uv-calls"
    bin_folder.mkdir()
    (bin_folder / "uv").write_text(RECORDING_UV.format(record=record, python=sys.executable))
    (bin_folder / "uv").chmod(0o755)
    environment = {**os.environ, "PATH": f"{bin_folder}:{os.environ['PATH']}", "PYTHONPATH": str(project)}
    environment.pop("UV_TORCH_BACKEND", None)
    command = [sys.executable, "-m", "compat", "matrix", "--torch", "2.15", "--jobs", "1", "--torch-backend", "cpu"]
    done = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, check=False)
    assert done.returncode != 0  # the stand-in uv refuses to install: one error line, nothing recorded
    calls = record.read_text().splitlines()
    assert any(call.startswith("cpu pip install") and "torch==2.15.*" in call for call in calls), calls
    assert all(call.startswith("cpu ") for call in calls)


def test_a_release_gets_this_python_where_it_has_wheels_for_it_else_the_newest_it_has():
    assert interpreters.interpreter("2.6", host=(3, 11)) == sys.executable
    assert interpreters.interpreter("1.13", host=(3, 12)) == "3.11"  # 1.13 has no cp312 wheels
    assert interpreters.interpreter("2.15", host=(3, 10)) == "3.15"
    assert versions.pythons("2.2") == ["3.12", "3.11", "3.10"]
    assert list(versions.PYTHONS) == list(versions.SUPPORTED)


def test_a_release_without_a_python_says_which_would_do_and_how_to_get_one():
    line = interpreters.no_python("1.13", "uv venv failed (exit 2): No interpreter found for Python 3.11")
    assert line.startswith("torch 1.13 has wheels for CPython 3.10-3.11 only, this is 3.")
    assert line.endswith("`uv python install 3.11` (or run the matrix from such a Python)")
