"""Stand-alone reproducers: one plain-torch script per violation, written beside the results."""

from __future__ import annotations

import re
from pathlib import Path

from compat.catalog.case import Case
from compat.catalog.claims import Claim
from compat.record.crossversion_script import two_step_script
from compat.record.recorder import write_atomically
from compat.record.script import function_script


def repro_script(claim: Claim, case: Case, saved_by: str | None = None) -> str:
    """Return the plain-torch script that reproduces ``claim`` on ``case`` (exit 1 if violated).

    A cross-version claim's script takes two steps: ``save`` under ``saved_by``, then the check.
    """
    if saved_by is None:
        return function_script(case, claim, owns_refusal=bool(claim.refusals))
    return two_step_script(case, claim, saved_by, repro_name(claim, case, saved_by))


def repro_name(claim: Claim, case: Case, saved_by: str | None = None) -> str:
    """Return the file name of the reproducer of ``claim`` for ``case``'s subject, devices and saving release."""
    device = case.device if case.device == case.load_device else f"{case.device}-to-{case.load_device}"
    origin = f"--saved-by-{saved_by}" if saved_by else ""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", f"{claim.id}--{case.name}{origin}--{device}") + ".py"


def write_repro(claim: Claim, case: Case, folder: Path, saved_by: str | None = None) -> Path:
    """Write the reproducer into ``folder`` and return its path."""
    path = folder / repro_name(claim, case, saved_by)
    write_atomically(path, repro_script(claim, case, saved_by))
    return path
