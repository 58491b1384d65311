"""The claims catalog: every statement this project checks, with a stable, public id.

Ids never change once published; a claim that stops being checked stays here marked retired.
Each claim names the category (the ``props/test_<category>.py`` file that checks it), the
device it runs on, which subjects it applies to, and the name of its check: a plain-torch function in
``compat/catalog/checks/<category>.py`` that its property test calls and its reproducer prints. A claim
is one entry in the module of its category, ``compat/catalog/claims/<category>.py``; its property test
is in ``props/test_<category>.py``. Whether a claim applies to a subject on a release is
decided by ``compat.run.applicability``, which measures what the installed torch does.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Applies = Callable[[Any, str], "str | None"]


@dataclass(frozen=True, kw_only=True)
class Claim:
    """One statement about PyTorch, checked per subject, torch release and device."""

    id: str
    statement: str
    category: str
    device: str = "cpu"
    subjects: Literal["optimizers", "schedulers"] = "optimizers"
    # Why the claim does not apply to a subject on a release (None where it does): a function of
    # (spec, version), or ``"<module>.<function>"`` of one in compat.run where it runs torch
    # (compat.catalog.claims.applicability; compat.run.applicability decides).
    applies: Applies | str | None = None
    # What the subject's optimizer must hold for the claim's test to read it (compat.catalog.anatomy.NEEDS):
    # a subject without it is not-applicable, with what it holds instead (compat.run.anatomy measures it).
    needs: tuple[str, ...] = ()
    # The refusals this claim is about (NOTE: [refusals a claim owns] in compat.run.engine).
    refusals: tuple[str, ...] = ()
    # The check: ``"<module>.<function>"`` of a plain-torch function in compat/catalog/checks/<module>.py whose
    # parameters name the runs it compares (compat.run.runs) and the values ``data`` gives.
    check: str
    # ``"<module>.<function>"`` in compat.run: the values the check takes besides runs, from the case.
    data: str = ""
    # How a scheduler case resumes for this claim (compat.run.scheduling.Order); "" is scheduler-first.
    order: str = ""
    retired: bool = False
    # What to do where it is violated, one sentence (``python -m compat check`` prints it beside a finding).
    remedy: str = ""


class UnknownClaim(KeyError):
    """A claim id that is not in the catalog."""

    def __str__(self) -> str:
        return str(self.args[0])


# The categories in catalog order; each module lists its claims (imported here, after Claim exists).
from compat.catalog.claims import (  # noqa: E402
    answers,
    crossversion,
    device,
    hyperparameters,
    load,
    resume,
    scheduler_arguments,
    schedulers,
    state,
    state_dict,
)

_CATALOG: tuple[Claim, ...] = tuple(
    claim
    for module in (
        state_dict,
        hyperparameters,
        state,
        resume,
        load,
        answers,
        device,
        schedulers,
        scheduler_arguments,
        crossversion,
    )
    for claim in module.CLAIMS
)

CATALOG: dict[str, Claim] = {claim.id: claim for claim in _CATALOG}


def get(claim_id: str) -> Claim:
    """Return the claim with ``claim_id``; an unknown id names the closest valid ones."""
    try:
        return CATALOG[claim_id]
    except KeyError:
        near = difflib.get_close_matches(claim_id, [c.id for c in live()], n=3, cutoff=0.6)
        hint = f"did you mean {', '.join(near)}?" if near else "`python -m compat list claims` lists them"
        raise UnknownClaim(f"unknown claim {claim_id!r}; {hint}") from None


def live() -> list[Claim]:
    """Return the claims that are checked (not retired), in catalog order."""
    return [claim for claim in CATALOG.values() if not claim.retired]
