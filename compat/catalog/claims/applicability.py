"""When a claim applies: one condition per way it may not, each giving why not (None where it applies).

A condition read off the spec is a function here. One measured on the installed torch is named by a
string, ``"<module>.<function>"`` of a function ``(spec, version)`` in ``compat.run``, which
``compat.run.applicability`` calls: the catalog imports no later stage.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compat.catalog.schedulers import SchedulerSpec, takes_last_epoch

Applies = Callable[[Any, str], "str | None"]

# Measured on the installed torch (compat.run): the probe's verdicts, a resumed run, the partners' steps.
tensor_lr = "probe.tensor_lr_refused"
mmap = "applicability.mmap_refused"
flags = "probe.flags_refused"
dtypes = "probe.dtypes_refused"
device_flags = "resumption.device_flags_absent"
step = "resumption.step_absent"
has_partner = "applicability.partner_refused"


def kind(kind: str, what: str) -> Applies:
    def applies(spec: SchedulerSpec, version: str) -> str | None:
        return None if spec.kind == kind else f"{spec.name} is not {what}"

    return applies


def takes_callables(spec: SchedulerSpec, version: str) -> str | None:
    if spec.kind == "lambda" or spec.name == "CyclicLR":
        return None
    return f"{spec.name} takes no schedule callable (lr_lambda or scale_fn)"


def takes_arguments(spec: SchedulerSpec, version: str) -> str | None:
    if spec.kind != "lambda":
        return None
    return f"{spec.name} takes no constructor argument but lr_lambda, whose forms the answer.scheduler-* claims check"


def takes_a_last_epoch(spec: SchedulerSpec, version: str) -> str | None:
    if spec.kind == "composite" or takes_last_epoch(spec.load()):
        return None
    return f"{spec.name}.__init__ takes no last_epoch argument on torch {version}"
