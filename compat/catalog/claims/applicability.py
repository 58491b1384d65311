"""When a claim applies: one function per condition, each returning why not (None where it applies)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compat.catalog import probe
from compat.catalog.schedulers import SchedulerSpec, takes_last_epoch
from compat.catalog.specs import OptimizerSpec

Applies = Callable[[Any, str], "str | None"]


def tensor_lr(spec: OptimizerSpec, version: str) -> str | None:
    return probe.tensor_lr_refused(spec, version)


def mmap(spec: OptimizerSpec, version: str) -> str | None:
    return probe.mmap_refused(version)


def flags(spec: OptimizerSpec, version: str) -> str | None:
    return probe.flags_refused(spec, version)


def dtypes(spec: OptimizerSpec, version: str) -> str | None:
    return probe.dtypes_refused(spec, version)


def device_flags(spec: OptimizerSpec, version: str) -> str | None:
    from compat.run import resumption  # imports torch: only when a claim is checked

    return resumption.device_flags_absent(spec, version)


def step(spec: OptimizerSpec, version: str) -> str | None:
    from compat.run import resumption  # imports torch: only when a claim is checked

    return resumption.step_absent(spec, version)


def has_partner(spec: OptimizerSpec, version: str) -> str | None:
    from compat.run import savers  # imports torch: only when a claim is checked

    refused = savers.sparse_refusal(spec.target)
    if refused is None:
        return None
    return f"{spec.name} trains on sparse gradients, which the classes a user would switch from refuse ({refused})"


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
