"""Plain-torch helpers a claim's check may call; a reproducer defines each one its check uses, from this source.

Nothing here imports this project: a reproducer copies these definitions as they are
(``inspect.getsource``), so the script and the property test run the same lines.
Every difference is one line, ``<kind> <path>: <what each side holds>``, its kind one of value,
dtype, shape, device, type, missing, extra, length, maxlen; a failure's signature is that kind and
path (``value state[*].exp_avg``), which ``compat/catalog/expected_outcomes.toml`` names.
"""

from __future__ import annotations

import math
from collections import deque

import torch

KINDS = ("value", "dtype", "shape", "device", "type", "missing", "extra", "length", "maxlen")


def differences(a, b, path="", names=("saved", "loaded")):
    """Return where ``a`` and ``b`` differ, one line each; tensors bitwise, with dtype, shape and device."""
    if isinstance(a, torch.Tensor) or isinstance(b, torch.Tensor):
        return tensor_differences(a, b, path, names)
    if type(a) is not type(b):
        return [f"type {path}: {names[0]} {short(a)}, {names[1]} {short(b)}"]
    if isinstance(a, dict):
        found = []
        for key in a:
            if key not in b:
                found.append(f"missing {joined(path, key)}: in {names[0]} ({short(a[key])}), not in {names[1]}")
            else:
                found += differences(a[key], b[key], joined(path, key), names)
        found += [f"extra {joined(path, k)}: not in {names[0]}, {names[1]} has {short(b[k])}" for k in b if k not in a]
        return found
    if isinstance(a, (list, tuple, deque)):
        if len(a) != len(b):
            return [f"length {path}: {names[0]} {len(a)}, {names[1]} {len(b)}"]
        if isinstance(a, deque) and a.maxlen != b.maxlen:
            return [f"maxlen {path}: {names[0]} {a.maxlen}, {names[1]} {b.maxlen}"]
        pairs = enumerate(zip(a, b, strict=True))
        return [line for i, (x, y) in pairs for line in differences(x, y, f"{path}[{i}]", names)]
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return []
    return [] if a == b else [f"value {path}: {names[0]} {short(a)}, {names[1]} {short(b)}"]


def joined(path, key):
    """Return the path of ``key`` inside ``path``: ``state[3].exp_avg``, ``param_groups[0].lr``."""
    if isinstance(key, str) and key.isidentifier():
        return f"{path}.{key}" if path else key
    return f"{path}[{key!r}]"


def tensor_differences(a, b, path, names):
    """Return how two tensors differ: type, dtype, shape or device first, else the bits of their values."""
    if not (isinstance(a, torch.Tensor) and isinstance(b, torch.Tensor)):
        return [f"type {path}: {names[0]} {short(a)}, {names[1]} {short(b)}"]
    for kind, x, y in (("dtype", a.dtype, b.dtype), ("shape", a.shape, b.shape), ("device", a.device, b.device)):
        if x != y:
            x, y = (str(tuple(v) if kind == "shape" else v).replace("torch.", "") for v in (x, y))
            return [f"{kind} {path}: {names[0]} {x}, {names[1]} {y}"]
    unequal = bits(a) != bits(b)
    if not bool(unequal.any()):
        return []
    if a.dim() == 0:
        return [f"value {path}: {names[0]} {short(a)}, {names[1]} {short(b)}"]
    first = int(unequal.flatten().nonzero()[0])
    x, y = a.detach().flatten()[first].item(), b.detach().flatten()[first].item()
    count = int(unequal.sum())
    where = f"at flat index {first}"
    return [f"value {path}: {names[0]} {x!r} {where}, {names[1]} {y!r} ({count} of {a.numel()} elements differ)"]


def bits(tensor):
    """Return the tensor's bit pattern as integers, so NaN equals NaN and -0.0 differs from 0.0."""
    flat = tensor.detach().cpu().contiguous()
    if flat.dtype.is_floating_point:
        return flat.view({1: torch.uint8, 2: torch.int16, 4: torch.int32, 8: torch.int64}[flat.element_size()])
    return flat


def short(value):
    """Return ``value`` in at most 80 characters (a tensor by its value, or its shape and dtype)."""
    if isinstance(value, torch.Tensor):
        dtype = str(value.dtype).replace("torch.", "")
        if value.dim() == 0:
            return f"tensor({value.item()!r}, dtype={dtype})"
        return f"tensor of shape {tuple(value.shape)}, {dtype}"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def changed(before, after, path=""):
    """Return the entries of a nested dict whose value is not what it was, one line each."""
    if isinstance(after, dict):
        inside = before if isinstance(before, dict) else {}
        return [line for k, v in after.items() for line in changed(inside.get(k), v, joined(path, k))]
    tensors = isinstance(before, torch.Tensor) and isinstance(after, torch.Tensor)
    same = torch.equal(before, after) if tensors else repr(before) == repr(after)
    return [] if same else [f"value {path}: before {short(before)}, after {short(after)}"]


def by_position(opt):
    """Return the optimizer's state keyed by position, as state_dict() numbers it."""
    flat = [p for group in opt.param_groups for p in group["params"]]
    return {i: opt.state[p] for i, p in enumerate(flat) if p in opt.state}


def first_line(error):
    """Return ``Type: first line of the message``."""
    return f"{type(error).__name__}: {(str(error).strip().splitlines() or [''])[0]}"


def hyperparameters(groups):
    """Return each param group without its params."""
    return [{k: v for k, v in g.items() if k != "params"} for g in groups]


def detached(params):
    """Return the params' values, detached from autograd."""
    return [p.detach() for p in params]
