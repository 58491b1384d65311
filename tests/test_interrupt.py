"""The matrix stopped mid-release (SIGINT to its group or to it alone, SIGTERM, SIGKILL), then run again.

The releases are stand-ins (tests/stand_in.py): the runner and CLI are the project's own, a release's
venv holds a python that only sleeps, so a run takes seconds. Each test runs on a copy of compat/.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STAND_IN = Path(__file__).resolve().parent / "stand_in.py"
COMMAND = ("matrix", "--torch", "2.4", "2.5", "--jobs", "1")

pytestmark = [
    pytest.mark.slow,  # about 25 s: each run drives two releases through the real runner
    pytest.mark.skipif(shutil.which("uv") is None, reason="not-run: the matrix needs uv on PATH"),
]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Return a copy of the project's code, with its own results/, reports/ and .matrix/."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "compat", copy / "compat", ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def started(project: Path, seconds: float) -> subprocess.Popen[str]:
    """Start the stand-in matrix over 2.4 and 2.5 as its own process group (as a shell starts a job)."""
    return subprocess.Popen(
        [sys.executable, str(STAND_IN), str(seconds), *COMMAND],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def wait_for(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def in_second_release(project: Path) -> bool:
    """Return whether 2.4 is recorded and 2.5's venv exists: the run is in the middle of 2.5."""
    return (project / "results" / "2.4-cpu.json").is_file() and (project / ".matrix" / "torch-2.5").is_dir()


def leftovers(project: Path) -> list[str]:
    """Return the partial files and venvs a stopped run must not leave."""
    found = [p.name for p in (project / "results").glob("*.partial*")]
    found += [p.name for p in (project / ".matrix").glob("torch-*")] if (project / ".matrix").is_dir() else []
    return found


@pytest.mark.parametrize(
    ("how", "status"),
    [("SIGINT to the group", 130), ("SIGINT to the runner", 130), ("SIGTERM", 143), ("SIGKILL", -9)],
)
def test_a_stopped_matrix_keeps_what_it_recorded_and_the_same_command_resumes(
    project: Path, how: str, status: int
) -> None:
    """Stopped in 2.5: 2.4 stays recorded, 2.5 is not, nothing partial is left; a rerun skips 2.4 and records 2.5."""
    run = started(project, 1.0)
    wait_for(lambda: in_second_release(project), "torch 2.5 to start")
    stopped_at = time.monotonic()
    if how == "SIGINT to the group":
        os.killpg(run.pid, signal.SIGINT)
    elif how == "SIGINT to the runner":
        os.kill(run.pid, signal.SIGINT)
    else:
        os.kill(run.pid, getattr(signal, how))
    out, err = run.communicate(timeout=30)
    assert run.returncode == status, err
    if how != "SIGKILL":
        assert time.monotonic() - stopped_at < 8
        assert "torch 2.4: recorded (results/2.4-cpu.json)" in out
        assert "torch 2.5: not recorded (a rerun runs it)" in out
        assert err.strip().splitlines()[-1].startswith("matrix: interrupted (")
        assert leftovers(project) == []
        assert not (project / ".matrix" / "matrix.lock").exists()
    assert not (project / "results" / "2.5-cpu.json").exists()
    assert not (project / "reports").exists()  # the report is rendered only from a run that went through

    again = started(project, 0.1)
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, err
    assert "[1/2] torch 2.4: skipped" in out
    assert (project / "results" / "2.5-cpu.json").is_file()
    assert (project / "reports" / "matrix.json").is_file()
    assert leftovers(project) == []
    threads = os.cpu_count() or 1  # --jobs 1: the release gets every CPU, through its environment
    assert f"OMP_NUM_THREADS={threads}" in (project / "results" / "logs" / "2.5.log").read_text()


def test_a_second_matrix_in_the_same_checkout_is_refused_naming_the_first(project: Path) -> None:
    """While one run holds the lock, a second exits 2 with one line naming its pid; a killed run's lock is taken."""
    first = started(project, 30.0)
    wait_for(lambda: (project / ".matrix" / "matrix.lock").is_file(), "the lock")
    second = started(project, 0.1)
    out, err = second.communicate(timeout=30)
    assert second.returncode == 2 and out == ""
    assert err.strip() == (
        f"python -m compat matrix: error: another matrix run (pid {first.pid}) is running in this checkout; "
        f"wait for it or stop it (if no such run exists, remove {project / '.matrix' / 'matrix.lock'})"
    )
    first.kill()
    first.communicate(timeout=30)
    third = started(project, 0.1)
    out, err = third.communicate(timeout=120)
    assert third.returncode == 0, err
