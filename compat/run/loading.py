"""Loading a state dict the optimizer was not built for: another class's, other shapes', one it refuses.

Plain Python over real torch, like ``compat.run.engine``. Three questions, one section each:
- atomic: a ``load_state_dict`` that raises, does it leave the optimizer as it was?
- shapes: is state saved for params of other shapes refused at the load?
- classes: what does a checkpoint of another optimizer class (Adam into SGD, AdamW into Adam)
  load into, and does training then go on as the saving class would?

The other classes' checkpoints come from ``compat.run.savers``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from compat.catalog.case import Case, Layout
from compat.run import engine
from compat.run.differ import Difference, differences
from compat.run.engine import error_line
from compat.run.savers import Saver, checkpoint_of, saver_optimizer, train_plain


def refusal(opt: torch.optim.Optimizer, state_dict: dict[str, Any]) -> str | None:
    """Return the error line ``opt.load_state_dict(state_dict)`` raised, or None if it loaded."""
    try:
        opt.load_state_dict(state_dict)
    except Exception as error:  # any refusal is the finding; the claims say which
        return error_line(error)
    return None


# --- what load_state_dict is given: other groups, permuted twins, a value the constructor refuses


def mismatched_groups(groups: list[list[int]]) -> list[list[int]]:
    """Return ``groups`` with one param dropped from the first group of two or more, else the first two merged."""
    changed = [list(g) for g in groups]
    for group in changed:
        if len(group) > 1:
            group.pop()
            return changed
    return [changed[0] + changed[1], *changed[2:]]


def twins(layout: Layout) -> tuple[int, int, int]:
    """Return (group, a, b): positions of two trained params of one shape and dtype in one group."""
    for g, group in enumerate(layout.groups):
        for a in range(len(group.params)):
            for b in range(a + 1, len(group.params)):
                i, j = layout.params[group.params[a]], layout.params[group.params[b]]
                if i.shape == j.shape and i.dtype == j.dtype and i.role == j.role == "trained":
                    return g, a, b
    raise ValueError(f"no two same-shaped trained params share a group in {layout}")


REJECTED_CANDIDATES: tuple[tuple[str, Any], ...] = (
    ("lr", -1.0),
    ("eps", -1.0),
    ("weight_decay", -1.0),
    ("momentum", -1.0),
    ("betas", (1.5, 0.999)),
)


def rejected_value(case: Case) -> tuple[str, Any, type[Exception]] | None:
    """Return a (hyperparameter, value, the error the constructor refuses it with), if it refuses any.

    A TypeError means the constructor takes no such argument; any other error is its refusal, whatever
    its type (pytorch-optimizer raises its own NegativeLRError).
    """
    for key, value in REJECTED_CANDIDATES:
        try:
            engine.optimizer(case, engine.parameters(case), {**case.fresh_kwargs, key: value}, overrides=False)
        except TypeError:
            continue
        except Exception as error:
            return key, value, type(error)
    return None


# --- the values the load claims' checks take (compat/catalog/checks/load.py)


def other_groups(case: Case) -> dict[str, Any]:
    """Return the groups (positions) an optimizer is built with that differ from the checkpoint's in structure."""
    return {"groups": mismatched_groups([list(g.params) for g in case.layout.groups])}


def twin_positions(case: Case) -> dict[str, Any]:
    """Return two same-shaped params of one group (``twins``) and the case's groups with the two swapped."""
    g, a, b = twins(case.layout)
    groups = [list(group.params) for group in case.layout.groups]
    i, j = groups[g][a], groups[g][b]
    groups[g][a], groups[g][b] = j, i
    return {"twins": (i, j), "groups": groups}


def rejected(case: Case) -> dict[str, Any]:
    """Return a hyperparameter ``key``, a ``value`` the constructor refuses and its ``refusal`` (None: none refused)."""
    key, value, refusal = rejected_value(case) or (None, None, None)
    return {"key": key, "value": value, "refusal": refusal}


def shapes_tried(case: Case) -> dict[str, Any]:
    """Return the other shapes the params are given (``SHAPE_CHANGES``), each a list of one shape per param."""
    shapes = [tuple(p.shape) for p in case.layout.params]
    tried = [[change(s) for s in shapes] for change in SHAPE_CHANGES.values()]
    return {"shapes": [other for other in tried if other != shapes]}


# --- atomic: a load that raises leaves the optimizer as it was


# --- shapes: state saved for params of other shapes


def grown(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Return ``shape`` one row larger; a 0-d shape becomes (2,)."""
    return (shape[0] + 1, *shape[1:]) if shape else (2,)


def reshaped(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Return another shape of as many elements: reversed, else (n, 1) for 2-D or (1, n) (``shape`` if none)."""
    count = math.prod(shape)
    for other in (tuple(reversed(shape)), (count, 1) if len(shape) == 2 else (1, count)):
        if other != shape:
            return other
    return shape


SHAPE_CHANGES: dict[str, Callable[[tuple[int, ...]], tuple[int, ...]]] = {"grown": grown, "reshaped": reshaped}


def _has_shaped_tensor(value: Any) -> bool:
    if isinstance(value, torch.Tensor):
        return value.dim() > 0
    if isinstance(value, dict):
        return any(_has_shaped_tensor(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_has_shaped_tensor(v) for v in value)
    return False


# --- classes: a checkpoint of another optimizer class


@dataclass
class Switch:
    """What loading ``saver``'s checkpoint into the case's class did, and how training went on."""

    saver: str
    loader: str
    not_tried: str | None = None
    refused: str | None = None
    lrs: list[Any] = field(default_factory=list)
    constructor_lr: Any = None
    kept: list[str] = field(default_factory=list)
    lacking: list[str] = field(default_factory=list)
    weight_decay: list[Any] = field(default_factory=list)
    decoupled: list[Any] = field(default_factory=list)
    stepped: str | None = None
    drift: list[Difference] = field(default_factory=list)

    @property
    def holds(self) -> bool:
        """Return whether the load was refused, or training went on as the saving class's would."""
        return bool(self.not_tried or self.refused) or (self.stepped is None and not self.drift)

    def describe(self) -> str:
        """Return what happened for this pair, in one line."""
        pair = f"{self.saver} -> {self.loader}"
        if self.not_tried:
            return f"{pair}: not tried, {self.saver} cannot train this case ({self.not_tried})"
        if self.refused:
            return f"{pair}: refused by load_state_dict ({self.refused})"
        groups = f"loaded; groups are the checkpoint's (lr {self.lrs}, the constructor's {self.constructor_lr!r}"
        if self.weight_decay:
            groups += f", weight_decay {self.weight_decay}"
        if self.decoupled:
            groups += f", decoupled_weight_decay {self.decoupled}"
        groups += ")"
        if self.kept:
            groups += f", keeping {self.saver}'s {self.kept} that {self.loader} does not set"
        if self.lacking:
            groups += f", lacking {self.loader}'s own {self.lacking}"
        if self.stepped:
            return f"{pair}: {groups}; step() then raised {self.stepped}"
        if self.drift:
            first = self.drift[0].describe(f"{self.saver}'s own continuation", self.loader)
            return f"{pair}: {groups}; trains unlike {self.saver}: {first}"
        return f"{pair}: {groups}; trains on exactly as {self.saver} would (params bitwise)"


def _hyperparameters(opt: torch.optim.Optimizer) -> list[dict[str, Any]]:
    return [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]


def switch(case: Case, saver: Saver) -> Switch:
    """Return what loading ``saver``'s checkpoint into a fresh optimizer of the case's class does."""
    found = Switch(saver.name, case.name, constructor_lr=case.fresh_kwargs.get("lr"))
    try:
        state_dict, values = checkpoint_of(case, saver)
        own_params = engine.parameters(case, values)
        own = saver_optimizer(case, saver, own_params)
        own.load_state_dict(engine.snapshot(state_dict))
        train_plain(case, own, own_params, case.steps_before, case.steps_after)
    except Exception as error:  # the saving class refuses this case (Adam on sparse gradients)
        found.not_tried = error_line(error)
        return found
    params = engine.parameters(case, values)
    opt = engine.optimizer(case, params, case.fresh_kwargs, overrides=False)
    before = _hyperparameters(opt)
    found.refused = refusal(opt, engine.snapshot(state_dict))
    if found.refused:
        return found
    after = _hyperparameters(opt)
    found.lrs = [g.get("lr") for g in after]
    found.kept = sorted({k for b, a in zip(before, after, strict=True) for k in a if k not in b})
    found.lacking = sorted({k for b, a in zip(before, after, strict=True) for k in b if k not in a})
    found.weight_decay = [g["weight_decay"] for g in after if "weight_decay" in g]
    found.decoupled = [g["decoupled_weight_decay"] for g in after if "decoupled_weight_decay" in g]
    try:
        engine.train(case, opt, params, case.steps_before, case.steps_after)
    except Exception as error:
        found.stepped = error_line(error)
        return found
    found.drift = differences([p.detach() for p in own_params], [p.detach() for p in params], "params")
    return found
