"""Resuming under what the plain round trip keeps fixed: a default dtype, flags another device wrote.

A case's ``default_dtype`` puts its whole run under ``torch.set_default_dtype``; its
``written_flags`` are set in every param group of the saved dict before it is loaded, the way a
checkpoint a CUDA run wrote carries ``fused``, ``capturable`` or ``foreach``, while everything
runs on the CPU. This module runs such cases and says where torch refused them. Plain Python over
real torch, like the engine.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import torch

from compat.catalog import probe, specs, versions
from compat.catalog.case import Case, Group, Layout, Param, SaveLoad
from compat.catalog.specs import OptimizerSpec
from compat.run import engine

# The flags a run on an accelerator writes into its param groups and a CPU run may not be able to
# honour. NOTE: [flag rules]: foreach and fused are never True together.
DEVICE_FLAGS: tuple[str, ...] = ("foreach", "fused", "capturable")


@contextmanager
def default_dtype(name: str | None) -> Iterator[None]:
    """Run the block under ``torch.set_default_dtype(name)`` (None: torch's); the previous default is restored."""
    if name is None:
        yield
        return
    previous = torch.get_default_dtype()
    torch.set_default_dtype(engine.DTYPES[name])
    try:
        yield
    finally:
        torch.set_default_dtype(previous)


@functools.cache
def _default_group(spec: OptimizerSpec) -> tuple[dict[str, Any], str]:
    """Return the param group ``spec`` builds with its defaults (all but its params), and torch's refusal to build it.

    Read, never changed: the constructor's defaults as its param groups hold them, keys and values.
    """
    case = _one_param_case(spec, (), "float32", None)
    try:
        opt = engine.optimizer(case, engine.parameters(case), case.kwargs)
    except Exception as error:  # whatever torch raises is its refusal, reported as one line
        return {}, f"torch {versions.installed()} refuses to build {spec.name}: {engine.error_line(error)}"
    return {key: value for key, value in opt.param_groups[0].items() if key != "params"}, ""


def device_flags(spec: OptimizerSpec) -> tuple[str, ...]:
    """Return the DEVICE_FLAGS the class writes into its param groups on the installed torch (measured)."""
    group, _ = _default_group(spec)
    return tuple(flag for flag in DEVICE_FLAGS if flag in group)


def _checked_release(version: str) -> None:
    if versions.release(version) != versions.release(versions.installed()):
        raise ValueError(f"this is measured on the installed torch {versions.installed()}, not on {version}")


def device_flags_absent(spec: OptimizerSpec, version: str) -> str | None:
    """Return why no checkpoint of ``spec`` carries a device flag on ``version`` (its groups hold none), or None."""
    _checked_release(version)
    group, refusal = _default_group(spec)
    if refusal or device_flags(spec):
        return refusal or None
    held = ", ".join(sorted(group))
    return f"the param groups of {spec.name} hold none of {', '.join(DEVICE_FLAGS)} on torch {version} (only {held})"


def flag_combinations(spec: OptimizerSpec) -> list[dict[str, bool]]:
    """Return the flag sets a CUDA run of ``spec`` can write: each flag alone and together, never fused with foreach."""
    present = device_flags(spec)
    combinations = []
    for size in range(1, len(present) + 1):
        for chosen in itertools.combinations(present, size):
            if not {"foreach", "fused"} <= set(chosen):
                combinations.append(dict.fromkeys(chosen, True))
    return combinations


def default_flags(spec: OptimizerSpec) -> dict[str, Any]:
    """Return the DEVICE_FLAGS a run of ``spec`` that passes none of them writes: the constructor's defaults.

    Measured on the installed torch by building the class on the CPU; the constructor stores the
    same values on any device (the implementation is chosen when step() runs, not written).
    """
    group, _ = _default_group(spec)
    return {flag: group[flag] for flag in device_flags(spec)}


def pinned_flags(spec: OptimizerSpec) -> dict[str, bool]:
    """Return the flags a pinned case writes: capturable if the groups hold it, else fused, else foreach."""
    present = device_flags(spec)
    chosen = next((flag for flag in ("capturable", "fused", "foreach") if flag in present), None)
    return {chosen: True} if chosen else {}


def cpu_flags(spec: OptimizerSpec, flags: dict[str, bool]) -> dict[str, bool]:
    """Return the part of ``flags`` the CPU runs: each flag the probe saw build and step on CPU params."""
    taken = probe.flags(spec, "cpu")
    return {flag: value for flag, value in flags.items() if flag in taken}


def with_flags(state_dict: dict[str, Any], flags: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of ``state_dict`` whose every param group holds ``flags``."""
    copied = engine.snapshot(state_dict)
    for group in copied["param_groups"]:
        group.update(flags)
    return copied


@dataclass
class Resumed:
    """A run resumed from a checkpoint: torch's refusal (empty if none), the groups' flags, the params reached."""

    refusal: str
    flags: list[dict[str, Any]]
    params: list[torch.Tensor]


def _resumed(case: Case, state_dict: dict[str, Any], params: list[torch.Tensor]) -> Resumed:
    """Return the run that loads ``state_dict`` into a fresh optimizer and trains ``steps_after`` steps."""
    fresh = engine.parameters(case, params, device=case.load_device, dtype=case.load_dtype)
    opt = engine.optimizer(case, fresh, case.fresh_kwargs, overrides=False)
    try:
        opt.load_state_dict(state_dict)
    except Exception as error:  # whatever torch raises is its refusal, reported as one line
        refusal = f"load_state_dict raised {engine.error_line(error)}"
    else:
        refusal = training_refusal(case, opt, fresh)
    flags = [{flag: group.get(flag, "<absent>") for flag in DEVICE_FLAGS} for group in opt.param_groups]
    return Resumed(refusal, flags, [p.detach() for p in fresh])


def resumed_from_another_device(case: Case) -> tuple[Resumed, Resumed]:
    """Return the runs resumed from the case's checkpoint carrying the written flags the CPU runs, and all of them.

    The first is what the checkpoint would do had the CPU written it with the same implementation;
    the second what it does as a CUDA run wrote it.
    """
    original, params = engine.checkpoint(case)
    on_disk = {"optimizer": original.state_dict(), "params": [p.detach() for p in params]}
    loaded = engine.through_storage(on_disk, case.save_load, case.load_device)
    spec = specs.get(case.subject)
    on_cpu = with_flags(loaded["optimizer"], cpu_flags(spec, case.written_flags))
    written = with_flags(loaded["optimizer"], case.written_flags)
    return _resumed(case, on_cpu, loaded["params"]), _resumed(case, written, loaded["params"])


def step_dtype(value: Any) -> str:
    """Return a ``step``'s dtype (``float32``), or the type of a step kept as a number (``int``)."""
    if isinstance(value, torch.Tensor):
        return str(value.dtype).replace("torch.", "")
    return type(value).__name__


def step_dtypes(state: dict[int, dict[str, Any]]) -> dict[int, str]:
    """Return the dtype of ``step`` for every position of a state dict's ``state`` that keeps one."""
    return {
        position: step_dtype(entry["step"])
        for position, entry in state.items()
        if isinstance(entry, dict) and "step" in entry
    }


@dataclass
class StepDtypes:
    """The dtypes of ``step`` by position: uninterrupted, saved, right after loading, after training on.

    ``untrainable``: torch's refusal to train the case at all under its default dtype (then nothing
    else is measured); ``refusal``: its refusal to train on after the load.
    """

    uninterrupted: dict[int, str] = field(default_factory=dict)
    saved: dict[int, str] = field(default_factory=dict)
    loaded: dict[int, str] = field(default_factory=dict)
    resumed: dict[int, str] = field(default_factory=dict)
    untrainable: str = ""
    refusal: str = ""


def step_dtypes_through(case: Case) -> StepDtypes:
    """Return the dtypes ``step`` has around the case's round trip, all under its default dtype.

    The saving optimizer trains on past the save as the uninterrupted run (the checkpoint is a copy).
    """
    with default_dtype(case.default_dtype):
        try:
            trip = engine.roundtrip(case)
            engine.train(case, trip.original, trip.original_params, case.steps_before, case.steps_after)
        except engine.TorchRefused:
            raise
        except Exception as error:  # whatever torch raises is its refusal, reported as one line
            return StepDtypes(untrainable=f"the uninterrupted run raised {engine.error_line(error)}")
        loaded = step_dtypes(engine.state_by_position(trip.optimizer))
        refusal = training_refusal(case, trip.optimizer, trip.params)
        resumed = step_dtypes(engine.state_by_position(trip.optimizer))
    straight = step_dtypes(engine.state_by_position(trip.original))
    return StepDtypes(straight, step_dtypes(trip.saved["state"]), loaded, resumed, "", refusal)


def _one_param_case(spec: OptimizerSpec, flags: tuple[tuple[str, bool], ...], dtype: str, default: str | None) -> Case:
    kwargs = spec.repaired({"lr": probe.PROBE_LR, **spec.example_kwargs, **dict(flags)})
    shape = (3, 2) if spec.param_ndim == 2 else (3,)
    return Case(
        subject=spec.target,
        kwargs=kwargs,
        fresh_kwargs=kwargs,
        layout=Layout((Param(shape, dtype),), (Group((0,)),)),
        steps_before=2,
        save_load=SaveLoad(medium="buffer", weights_only=False),
        default_dtype=default,
    )


@functools.cache
def _refusal_under(spec: OptimizerSpec, flags: tuple[tuple[str, bool], ...], dtype: str, default: str) -> str:
    case = _one_param_case(spec, flags, dtype, default)
    try:
        with default_dtype(default):
            engine.checkpoint(case)
    except Exception as error:  # whatever torch raises is its refusal, reported as one line
        arguments = ", ".join(f"{k}={v}" for k, v in flags)
        tried = f"{spec.name}({arguments}) on {dtype} params under default dtype {default}"
        return f"torch {versions.installed()} refuses {tried}: {engine.error_line(error)}"
    return ""


def refusal_under_default(spec: OptimizerSpec, kwargs: dict[str, Any], dtypes: set[str], default: str | None) -> str:
    """Return torch's refusal to train ``dtypes`` params with the flags of ``kwargs`` under ``default`` ("" if none).

    Under torch's own default the probe has measured it already; this measures another default once per combination.
    """
    if default in (None, "float32"):
        return ""
    flags = tuple(sorted((f, bool(kwargs[f])) for f in specs.FLAGS if kwargs.get(f) is not None))
    return next((r for r in (_refusal_under(spec, flags, d, default) for d in sorted(dtypes)) if r), "")


@functools.cache
def no_step_because(spec: OptimizerSpec) -> str | None:
    """Return why ``spec`` keeps no ``step`` in its per-parameter state on the installed torch, or None (measured)."""
    case = _one_param_case(spec, (), "float32", None)
    try:
        opt, _ = engine.checkpoint(case)
    except Exception as error:  # whatever torch raises is its refusal, reported as one line
        return f"torch {versions.installed()} refuses to train {spec.name}: {engine.error_line(error)}"
    per_parameter = [entry for key, entry in opt.state.items() if isinstance(key, torch.Tensor)]
    if any(isinstance(entry, dict) and "step" in entry for entry in per_parameter):
        return None
    return f"{spec.name} keeps no step in its per-parameter state on torch {versions.installed()} (after 2 steps)"


def step_absent(spec: OptimizerSpec, version: str) -> str | None:
    """Return why the step-dtype claim does not apply to ``spec`` on ``version``, or None."""
    _checked_release(version)
    return no_step_because(spec)


def training_refusal(case: Case, opt: torch.optim.Optimizer, params: list[torch.Tensor]) -> str:
    """Return how torch refused the ``steps_after`` steps after loading (step number and error), or ""."""
    for index in range(case.steps_after):
        try:
            engine.train(case, opt, params, case.steps_before + index, 1)
        except Exception as error:  # whatever torch raises is its refusal, reported as one line
            return f"optimizer.step() {index + 1} after load_state_dict raised {engine.error_line(error)}"
    return ""


def idle_positions(case: Case) -> dict[str, Any]:
    """Return ``idle``: the positions (as state_dict() numbers params) of the params that never get a grad."""
    flat = [i for group in case.layout.groups for i in group.params]
    return {"idle": [n for n, i in enumerate(flat) if case.layout.params[i].role != "trained"]}


def trains_on(case: Case) -> dict[str, Any]:
    """Return nothing to add; raise Inapplicable where torch refuses to train the uninterrupted run at all."""
    with default_dtype(case.default_dtype):
        try:
            engine.uninterrupted(case)
        except Exception as error:  # whatever torch raises is its refusal, reported as one line
            raise engine.Inapplicable(f"torch refuses to train the case at all: {engine.error_line(error)}") from error
    return {}
