"""What a subject's own objects hold, measured: the keys of its param groups and of its state_dict().

A claim names what it needs the subject's optimizer to hold (``compat.catalog.anatomy.NEEDS``); a
subject without it gets not-applicable with what was measured here, never a harness error. Each
subject is measured once per process on its own example: one param, the example's arguments, two steps.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

from compat.catalog.anatomy import LR, NEEDS
from compat.catalog.case import Case, Group, Layout, Param, SaveLoad
from compat.catalog.specs import OptimizerSpec
from compat.run import engine

_TORCH_LAYOUT = ("state", "param_groups")


@functools.cache
def _held(spec: OptimizerSpec) -> tuple[tuple[frozenset[str], ...], frozenset[str]] | None:
    """Return (each param group's keys, the state_dict()'s keys) after two steps on one param.

    None where the subject does not build, step and save here: the claims' own tests report why.
    """
    kwargs = spec.repaired({"lr": 0.01, **spec.example_kwargs})
    case = Case(
        subject=spec.target,
        kwargs=kwargs,
        fresh_kwargs=kwargs,
        layout=Layout((Param((3, 2) if spec.param_ndim == 2 else (3,), "float32"),), (Group((0,)),)),
        steps_before=2,
        save_load=SaveLoad(medium="buffer"),
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            opt = engine.checkpoint(case)[0]
            return tuple(frozenset(group) for group in opt.param_groups), frozenset(opt.state_dict())
    except Exception:  # whatever the subject raises, its claims' tests raise it again and report it
        return None


def _keys(keys: Any) -> str:
    return ", ".join(sorted(str(key) for key in keys)) or "nothing"


def lacks(spec: OptimizerSpec, need: str) -> str | None:
    """Return what ``spec``'s optimizer holds instead of ``need`` (one of NEEDS), or None when it holds it."""
    if need not in NEEDS:
        raise ValueError(f"unknown need {need!r}; known: {', '.join(NEEDS)}")
    held = _held(spec)
    if held is None:
        return None
    groups, saved = held
    if need == LR:
        if all(LR in group for group in groups):
            return None
        return f"{spec.name}'s param groups hold no 'lr' (they hold {_keys(frozenset().union(*groups) - {'params'})})"
    missing = [key for key in _TORCH_LAYOUT if key not in saved]
    if not missing:
        return None
    return (
        f"{spec.name}.state_dict() is not torch's layout: it has no {' or '.join(repr(k) for k in missing)} "
        f"(it holds {_keys(saved)})"
    )
