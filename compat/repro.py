"""Stand-alone reproducers: one plain-torch script per violation, written beside the results."""

from __future__ import annotations

import re
from pathlib import Path

from compat.case import Case
from compat.claims import Claim
from compat.recorder import write_atomically


def repro_script(claim: Claim, case: Case) -> str:
    """Return the plain-torch script that reproduces ``claim`` on ``case`` (exit 1 if violated)."""
    return case.to_script(claim.script_check, claim.id)


def repro_name(claim: Claim, case: Case) -> str:
    """Return the file name of the reproducer of ``claim`` for ``case``'s subject and devices."""
    device = case.device if case.device == case.load_device else f"{case.device}-to-{case.load_device}"
    return re.sub(r"[^A-Za-z0-9_.-]", "_", f"{claim.id}--{case.name}--{device}") + ".py"


def write_repro(claim: Claim, case: Case, folder: Path) -> Path:
    """Write the reproducer into ``folder`` and return its path."""
    path = folder / repro_name(claim, case)
    write_atomically(path, repro_script(claim, case))
    return path
