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
from typing import Any

import torch

from compat.catalog import specs, versions
from compat.catalog.case import Case, Group, Layout, Param, SaveLoad, TensorLr
from compat.catalog.specs import OptimizerSpec
from compat.run import engine, probe

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


def written_flags(case: Case) -> dict[str, Any]:
    """Return ``written_flags``: the flags set in the saved param groups (as a CUDA run writes them), and ``cpu_flags``.

    ``cpu_flags`` are those of them the installed torch runs on the CPU.
    """
    return {
        "written_flags": dict(case.written_flags),
        "cpu_flags": cpu_flags(specs.get(case.subject), case.written_flags),
    }


def group_lrs(case: Case) -> dict[str, Any]:
    """Return ``lrs``: the lr each param group is built with (a tensor lr by its value), and ``tensor_lr``.

    ``tensor_lr`` holds the positions of the groups built with a tensor lr.
    """
    given = [case.group_kwargs(index)["lr"] for index in range(len(case.layout.groups))]
    return {
        "lrs": [lr.value if isinstance(lr, TensorLr) else lr for lr in given],
        "tensor_lr": [index for index, lr in enumerate(given) if isinstance(lr, TensorLr)],
    }


def fresh_lr(case: Case) -> dict[str, Any]:
    """Return ``constructor_lr``: the lr the resumed code's constructor is given."""
    return {"constructor_lr": case.fresh_kwargs["lr"]}
