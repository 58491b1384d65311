"""Whether a claim applies to a subject on the installed torch, and why not.

A claim does not apply where its subject is absent from the release, where its condition
(``Claim.applies``) gives a reason, or where the subject's optimizer lacks what the claim reads
(``Claim.needs``, measured by ``compat.run.anatomy``). A condition measured on torch is named in the
catalog as ``"<module>.<function>"`` of this package (``compat.catalog.claims.applicability``).
"""

from __future__ import annotations

import importlib

from compat.catalog.claims import Applies, Claim
from compat.catalog.schedulers import SchedulerSpec
from compat.catalog.specs import OptimizerSpec
from compat.run import anatomy, probe, savers

PACKAGE = "compat.run"


def condition(claim: Claim) -> Applies | None:
    """Return the function ``claim.applies`` is or names in ``compat.run``, or None where it applies everywhere."""
    if not isinstance(claim.applies, str):
        return claim.applies
    module, _, name = claim.applies.rpartition(".")
    return getattr(importlib.import_module(f"{PACKAGE}.{module}"), name)


def not_applicable_because(claim: Claim, spec: OptimizerSpec | SchedulerSpec, version: str) -> str | None:
    """Return why ``claim`` does not apply to ``spec`` on ``version``, or None."""
    absent = spec.absent_because(version)
    if absent:
        return absent
    applies = condition(claim)
    inapplicable = applies(spec, version) if applies else None
    if inapplicable or not isinstance(spec, OptimizerSpec):
        return inapplicable
    return next((lack for need in claim.needs if (lack := anatomy.lacks(spec, need))), None)


def mmap_refused(spec: OptimizerSpec, version: str) -> str | None:
    """Return why ``torch.load`` cannot memory-map a checkpoint on ``version`` (quoting torch), or None."""
    return probe.mmap_refused(version)


def partner_refused(spec: OptimizerSpec, version: str) -> str | None:
    """Return why no class a user would switch from trains on ``spec``'s sparse gradients, or None."""
    refused = savers.sparse_refusal(spec.target)
    if refused is None:
        return None
    return f"{spec.name} trains on sparse gradients, which the classes a user would switch from refuse ({refused})"
