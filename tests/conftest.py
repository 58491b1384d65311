"""Shared helpers for the harness tests: run pytest or a script in a child process."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_python(*args: str, cwd: Path = ROOT, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Return the finished child ``python *args`` (output captured as text)."""
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture
def run_props():
    """Return a function running pytest (ci profile) on ``props`` or the given node ids in a child process."""

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        paths = [] if any(a.startswith("props/") for a in args) else ["props"]
        return run_python("-m", "pytest", *paths, "-q", "-p", "no:randomly", "--hypothesis-profile", "ci", *args)

    return run
