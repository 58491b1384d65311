"""How a failed claim test reads in pytest's output: the claim first, a few lines, the reproducer's path.

A claim test's failure is a finding, not a bug in a test: the reader needs the claim it violates,
on which subject, torch and device, the differences (at most ``SHOWN`` of them), the simplest
example, when it holds, and the stand-alone script, written to a file (the traceback of the suite's
own helpers and the script's 60 lines inline helped nobody). The ``FAILED`` line of pytest's
summary reads the first line too, so it names the claim.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compat.catalog import claims
from compat.catalog.case import Case
from compat.record.repro import write_repro
from compat.run.checks import ClaimViolation

SHOWN = 5  # differences shown; the reproducer prints them all


@dataclass(frozen=True)
class Crash:
    """Where and what the first line of a failure is, as pytest's short summary reads it (its ``reprcrash``)."""

    path: str
    lineno: int
    message: str


@dataclass(frozen=True)
class ShortFailure:
    """A failure's text, in the shape pytest renders a report's ``longrepr``."""

    lines: tuple[str, ...]
    reprcrash: Crash

    def toterminal(self, out: Any) -> None:
        """Write the lines to pytest's terminal writer."""
        for line in self.lines:
            out.line(line)

    def __str__(self) -> str:
        return "\n".join(self.lines)


def short_failure(
    checked: claims.Claim,
    subject: str,
    error: AssertionError,
    violation: ClaimViolation | None,
    script: Path | None,
    location: tuple[str, int],
) -> ShortFailure:
    """Return the failure of ``checked`` for ``subject``: ``error`` (a violation, or a known one gone), its script."""
    found = str(error).splitlines()
    head = f"{checked.id} violated by {subject}: {_without_context(found[0])}" if violation else found[0]
    lines = [head]
    if violation is not None:
        lines += [f"  {_without_context(line)}" for line in found[1:SHOWN]]
        lines += _example_lines(violation)
        if script is not None:
            lines.append(f"  reproducer: {_command(script, subject)} (prints VIOLATED: {checked.id} and exits 1)")
    return ShortFailure(tuple(lines), Crash(location[0], location[1], head))


def _example_lines(violation: ClaimViolation) -> list[str]:
    case: Case | None = violation.case
    if case is None:
        return []
    source = {"search": "found by the search, then simplified", "pinned": "the pinned example"}
    lines = [f"  example ({source.get(violation.example_source or '', 'drawn')}): {case!r}"]
    if violation.why_pinned:
        lines.append(f"  ({violation.why_pinned})")
    if violation.conditions:
        lines.append(f"  needs: {'; '.join(violation.conditions)}")
    return lines


def _without_context(line: str) -> str:
    """Return a difference's line without its ``[Adam, torch 2.6.0, cpu]`` suffix (the head line says it once)."""
    return re.sub(r" \[[^\[\]]*, torch [^\[\]]*\]$", "", line)


def _command(script: Path, subject: str) -> str:
    """Return the command that runs ``script``.

    The folder of ``subject``'s module goes on PYTHONPATH where a plain ``python`` would not find it
    (a spec given as a path to a .py file).
    """
    module = sys.modules.get(subject.partition(".")[0])
    where = getattr(module, "__file__", None)
    folder = Path(where).parent if where else None
    if folder is not None and Path(where).name == "__init__.py":
        folder = folder.parent
    found = folder is None or "site-packages" in folder.parts  # the script's own folder is on its sys.path, not ours
    return f"python {_shown(script)}" if found else f"PYTHONPATH={_shown(folder)} python {_shown(script)}"


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return relative if not relative.startswith("..") else str(path)


def written_script(checked: claims.Claim, case: Case | None, folder: Path, saved_by: str | None) -> Path | None:
    """Return the reproducer of ``case`` written into ``folder`` (None without a case)."""
    return write_repro(checked, case, folder, saved_by) if case is not None else None


def skipped_line(outcomes: list[str], unseen: int) -> str | None:
    """Return one line counting the cells not checked and the inherited violations that did not show (None if none).

    ``outcomes`` are the recorded outcomes of the run's cells, ``unseen`` its xpassed tests. pytest's
    own summary lists each on a line of its own only when asked (``-rs``, ``-rX``): a run over one
    optimizer skips a dozen cells (no CUDA, no other release's checkpoints, flags it refuses).
    """
    not_run, absent = outcomes.count("not-run"), outcomes.count("not-applicable")
    parts = []
    if not_run or absent:
        parts.append(f"{not_run + absent} cells skipped ({not_run} not-run, {absent} not-applicable; -rs says why)")
    if unseen:
        parts.append(f"{unseen} predicted or inherited violations did not show (-rX lists them)")
    return "torch-optim-compat: " + ", ".join(parts) if parts else None
