"""Shared helpers for the harness tests: run pytest or a script in a child process."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


RESULT_HEADER = {  # a result file's header, as a finished ci run on the CPU writes it (the torch field aside)
    "schema": 1,
    "build": {"git": "abcdef0123", "cuda": None, "debug": False},
    "device": "cpu",
    "python": "3.11.7",
    "platform": "Linux",
    "hypothesis": "6.100",
    "profile": "ci",
    "project_commit": "deadbeef",
    "command": "pytest props",
    "started": "2026-11-28T00:00:00+00:00",
    "finished": "2026-11-28T00:01:00+00:00",
    "examples": 10,
}


def run_python(
    *args: str, cwd: Path = ROOT, timeout: float = 600, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Return the finished child ``python *args`` (output captured as text; ``env`` adds variables)."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **env} if env else None,
    )


@pytest.fixture
def run_props():
    """Return a function running pytest (ci profile) on ``props`` or the given node ids in a child process."""

    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        paths = [] if any(a.startswith("props/") for a in args) else ["props"]
        command = ["-m", "pytest", *paths, "-q", "-p", "no:randomly", "--hypothesis-profile", "ci", *args]
        return run_python(*command, env=env)

    return run
