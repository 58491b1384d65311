"""Compare two state dicts (or any nesting of dicts, sequences, tensors and scalars).

Every difference is named by its path (``param_groups[1].lr``, ``state[3].exp_avg_sq``) and
its kind (value, dtype, device, shape, type, missing, extra), so a failing claim says
exactly what was lost.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import Any

import torch

_BITS = {1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}


@dataclass(frozen=True)
class Difference:
    """One way ``actual`` differs from ``expected`` at ``path``."""

    path: str
    kind: str
    expected: str
    actual: str

    def describe(self, expected_name: str = "saved", actual_name: str = "loaded") -> str:
        """Return ``path: saved X, loaded Y`` (or the kind's wording)."""
        if self.kind == "missing":
            return f"{self.path}: in {expected_name} ({self.expected}), missing from {actual_name}"
        if self.kind == "extra":
            return f"{self.path}: not in {expected_name}, {actual_name} has {self.actual}"
        label = "" if self.kind == "value" else f" {self.kind}"
        return f"{self.path}:{label} {expected_name} {self.expected}, {actual_name} {self.actual}"


def differences(expected: Any, actual: Any, path: str = "") -> list[Difference]:
    """Return every difference between ``expected`` and ``actual``, tensors compared bitwise."""
    if isinstance(expected, torch.Tensor) or isinstance(actual, torch.Tensor):
        return _tensor_differences(expected, actual, path)
    if type(expected) is not type(actual):
        return [Difference(path, "type", _short(expected), _short(actual))]
    if isinstance(expected, dict):
        found = []
        for key in expected:
            if key not in actual:
                found.append(Difference(_join(path, key), "missing", _short(expected[key]), ""))
            else:
                found.extend(differences(expected[key], actual[key], _join(path, key)))
        found.extend(Difference(_join(path, k), "extra", "", _short(actual[k])) for k in actual if k not in expected)
        return found
    if isinstance(expected, (list, tuple, deque)):  # a deque: AdaShift keeps its recent grads in one
        if len(expected) != len(actual):
            return [Difference(path, "length", str(len(expected)), str(len(actual)))]
        if isinstance(expected, deque) and expected.maxlen != actual.maxlen:
            return [Difference(path, "maxlen", str(expected.maxlen), str(actual.maxlen))]
        return [
            d for i, (e, a) in enumerate(zip(expected, actual, strict=True)) for d in differences(e, a, f"{path}[{i}]")
        ]
    if isinstance(expected, float) and math.isnan(expected) and math.isnan(actual):
        return []
    if expected != actual:
        return [Difference(path, "value", _short(expected), _short(actual))]
    return []


def bits(tensor: torch.Tensor) -> torch.Tensor:
    """Return the tensor's bit pattern as integers (so NaN equals NaN and -0.0 differs from 0.0)."""
    flat = tensor.detach().cpu().contiguous()
    if flat.dtype.is_floating_point:
        return flat.view(_BITS[flat.element_size()])
    return flat


def _tensor_differences(expected: Any, actual: Any, path: str) -> list[Difference]:
    if not (isinstance(expected, torch.Tensor) and isinstance(actual, torch.Tensor)):
        return [Difference(path, "type", _short(expected), _short(actual))]
    for kind, e, a in (
        ("dtype", expected.dtype, actual.dtype),
        ("shape", tuple(expected.shape), tuple(actual.shape)),
        ("device", expected.device, actual.device),
    ):
        if e != a:
            return [Difference(path, kind, str(e).replace("torch.", ""), str(a).replace("torch.", ""))]
    unequal = bits(expected) != bits(actual)
    if not bool(unequal.any()):
        return []
    if expected.dim() == 0:
        return [Difference(path, "value", _short(expected), _short(actual))]
    count = int(unequal.sum())
    first = int(unequal.flatten().nonzero()[0])
    e, a = expected.detach().flatten()[first].item(), actual.detach().flatten()[first].item()
    return [
        Difference(
            path,
            "value",
            f"{e!r} at flat index {first}",
            f"{a!r} ({count} of {expected.numel()} elements differ)",
        )
    ]


def _join(path: str, key: Any) -> str:
    if isinstance(key, str) and key.isidentifier():
        return f"{path}.{key}" if path else key
    return f"{path}[{key!r}]"


def _short(value: Any) -> str:
    if isinstance(value, torch.Tensor):
        if value.dim() == 0:
            return f"tensor({value.item()!r}, dtype={str(value.dtype).replace('torch.', '')})"
        return f"tensor of shape {tuple(value.shape)}, {str(value.dtype).replace('torch.', '')}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
