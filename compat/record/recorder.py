"""Outcomes of a run and the result file they are written to (schema 1).

A result file is written atomically (a temporary file renamed over the target), so an
interrupted run never leaves a partial file where a complete one was.
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from compat.catalog import schedulers, specs

SCHEMA = 1
Outcome = Literal["holds", "violated", "fixed", "error", "not-applicable", "not-run"]
OUTCOMES: tuple[str, ...] = ("holds", "violated", "fixed", "error", "not-applicable", "not-run")


_ESCAPES = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")  # terminal colours and bold, as torch.load's messages carry


def plain_text(message: str) -> str:
    """Return ``message`` without terminal escape sequences, as a page or a bug report shows it."""
    return _ESCAPES.sub("", message)


@dataclass
class Record:
    """The outcome of one claim for one subject on one device."""

    claim: str
    subject: str
    torch: str
    device: str
    outcome: Outcome
    reason: str = ""
    example: str | None = None
    repro: str | None = None
    expected: bool = False
    seconds: float = 0.0
    saved_by: str | None = None
    repro_exit: int | None = None  # the reproducer's exit status on this release (compat.record.verify)
    repro_verdict: str | None = None  # "confirmed": it printed VIOLATED and exited 1; else what it did
    signature: list[str] | None = None  # a violation's kinds of difference and where (ClaimViolation.signature)
    example_source: str | None = None  # "search" (the search found and shrank it) or "pinned"
    why_pinned: str | None = None  # why a violation shows the pinned example (the search did not show it)
    conditions: list[str] | None = None  # the one-feature changes of the example that make it disappear
    kind: str | None = None  # a violation's kind of finding (its entry's, NOTE: [kinds of finding]), or new
    explanation: str | None = None  # the reason its expected_outcomes.toml entry gives
    evidence: dict[str, str] | None = None  # the entry's quote of PyTorch {quote, where, since}
    upstream: dict[str, str | None] | None = None  # the entry's upstream report {url, state, fixed_in}
    link: str | None = None  # the address a reader follows: the upstream report, or the docs page quoted
    inherited: str | None = None  # the torch method a third-party class has the violation from, when it inherits it

    def __post_init__(self) -> None:
        self.reason = plain_text(self.reason)


@dataclass
class Run:
    """A run's provenance and its records."""

    profile: str
    started: str = field(default_factory=lambda: now())
    finished: str | None = None
    examples: int = 0  # claim-examples: a case checked against k claims counts k
    cases: int = 0  # the cases drawn or pinned
    records: list[Record] = field(default_factory=list)
    packages: dict[str, str] = field(default_factory=dict)  # third-party specs' distributions


def now() -> str:
    """Return the current UTC time in ISO 8601."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def project_commit() -> str:
    """Return this project's git commit (with ``+dirty`` for uncommitted changes), or ``unknown``."""
    root = Path(__file__).resolve().parents[2]
    try:
        commit = subprocess.run(
            ["git", "--no-optional-locks", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "--no-optional-locks", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def header(run: Run) -> dict[str, Any]:
    """Return the provenance header of a result file."""
    import hypothesis
    import torch

    return {
        "schema": SCHEMA,
        "torch": str(torch.__version__),
        "build": {
            "git": getattr(torch.version, "git_version", "unknown"),
            "cuda": torch.version.cuda,
            "debug": bool(torch.version.debug),
        },
        "device": torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu",
        "python": platform.python_version(),
        "platform": platform.platform(),
        "hypothesis": hypothesis.__version__,
        "profile": run.profile,
        "project_commit": project_commit(),
        "command": " ".join(sys.argv),
        "started": run.started,
        "finished": run.finished,
        "examples": run.examples,
        "cases": run.cases,
        "packages": run.packages,
    }


def document(run: Run) -> dict[str, Any]:
    """Return the whole result file as a JSON-ready dict."""
    return {**header(run), "records": [asdict(r) for r in run.records]}


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; results and reports are for reading
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write(run: Run, path: Path) -> None:
    """Write the run's result file to ``path`` atomically."""
    write_atomically(path, json.dumps(document(run), indent=1, sort_keys=False) + "\n")


def unwritable_because(path: Path) -> str | None:
    """Return why a result file cannot be written at ``path``, or None if it can."""
    if path.exists() and path.is_dir():
        return f"--compat-json {path} is a directory; give a file path"
    folder = path.parent if str(path.parent) else Path(".")
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        return f"--compat-json {path}: cannot write in {existing}"
    if path.exists() and not os.access(path, os.W_OK):
        return f"--compat-json {path}: file is not writable"
    return None


def third_party_packages() -> dict[str, str]:
    """Return {distribution: version} of the packages the registered non-torch specs come from."""
    from importlib.metadata import PackageNotFoundError, packages_distributions, version

    tops = {s.target.split(".")[0] for s in [*specs.specs().values(), *schedulers.specs().values()]} - {"torch"}
    distributions = packages_distributions()
    found = {}
    for top in sorted(tops):
        for distribution in distributions.get(top, []):
            try:
                found[distribution] = version(distribution)
            except PackageNotFoundError:
                continue
    return found
