"""The project's git calls leave no trace in the user's repository: no index.lock, held or left behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMMIT = "from compat.record.recorder import project_commit; print(project_commit())"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="not-run: no git on this machine")


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """Return a git repository holding a copy of compat/, one commit, and a change (so status has work)."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "compat", copy / "compat", ignore=shutil.ignore_patterns("__pycache__"))
    git = ["git", "-C", str(copy), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "copy"], check=True)
    (copy / "compat" / "__init__.py").write_text((copy / "compat" / "__init__.py").read_text() + "\n")
    return copy


def commit_of(repository: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", COMMIT],
        cwd=repository,  # python -c puts the working folder first: the copy's compat, not this checkout's
        env={**os.environ, "PYTHONPATH": str(repository)},
        capture_output=True,
        text=True,
        check=False,
    )


def test_project_commit_works_while_the_index_lock_is_held(repository: Path) -> None:
    """With .git/index.lock held by another process (or left by a killed one), project_commit answers; lock kept."""
    lock = repository / ".git" / "index.lock"
    lock.write_text("held by another process")
    done = commit_of(repository)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.strip().endswith("+dirty") and len(done.stdout.strip()) == 40 + len("+dirty")
    assert lock.read_text() == "held by another process"


def test_project_commit_never_writes_the_index(repository: Path) -> None:
    """With the index's stat data stale, project_commit still does not refresh (write) it.

    A refresh takes .git/index.lock; a run killed during one leaves the lock, and every git command
    in the repository then fails. Not writing is what leaves no lock.
    """
    tracked = repository / "compat" / "cli.py"
    later = time.time() + 5
    os.utime(tracked, (later, later))  # same content, new mtime: a plain `git status` would rewrite the index
    index = repository / ".git" / "index"
    before = index.read_bytes()
    done = commit_of(repository)
    assert done.returncode == 0 and done.stderr == ""
    assert index.read_bytes() == before
    assert not (repository / ".git" / "index.lock").exists()
