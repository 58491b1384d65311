"""The format of a saved state: the keys and step type a release writes for one class.

Each release's fixtures pass records the format of every state it saved (``formats.json`` beside
its fixtures); the report gathers them into ``reports/formats.json``; ``python -m compat check``
describes a user's checkpoint the same way and matches it against them to tell which classes
and releases can have written it.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping
from typing import Any

FILE = "formats.json"


def step_kind(value: Any) -> str | None:
    """Return how a state stores its step: ``tensor float32``, ``int``, ``float``, or None without one."""
    import torch  # here, so the report reads formats.FILE without importing torch

    if isinstance(value, torch.Tensor):
        return f"tensor {str(value.dtype).removeprefix('torch.')}"
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, numbers.Integral):
        return "int"
    if isinstance(value, numbers.Real):
        return "float"
    return None


def optimizer_format(state_dict: Mapping[str, Any]) -> dict[str, Any]:
    """Return the format of an optimizer's state dict: group keys, per-param state keys, step kind."""
    groups = state_dict.get("param_groups") or []
    states = [s for s in (state_dict.get("state") or {}).values() if isinstance(s, Mapping)]
    steps = {step_kind(s["step"]) for s in states if "step" in s} - {None}
    return {
        "group_keys": sorted({str(k) for g in groups if isinstance(g, Mapping) for k in g if k != "params"}),
        "state_keys": sorted({str(k) for s in states for k in s}),
        "step": sorted(steps)[0] if len(steps) == 1 else None,
    }


def scheduler_format(state_dict: Mapping[str, Any]) -> dict[str, Any]:
    """Return the format of a scheduler's state dict: its keys."""
    return {"keys": sorted(str(k) for k in state_dict)}


def fixture_formats(saved: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Return the formats of a release's fixtures (payloads by subject): its optimizer's or its scheduler's."""
    return {
        subject: (
            {"scheduler": scheduler_format(payload["scheduler"])}
            if "scheduler" in payload
            else {"optimizer": optimizer_format(payload["optimizer"])}
        )
        for subject, payload in saved.items()
    }
