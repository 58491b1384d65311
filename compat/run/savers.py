"""Checkpoints of other optimizer classes: which class's checkpoint a user loads into which, built how.

A class whose checkpoint is loaded into another (a ``Saver``) is built with the case's arguments
that its constructor takes as well (a user who switches class keeps the config) and trains on the
case's gradients; its own step() is called plainly.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import torch

from compat.catalog import specs
from compat.catalog.case import Case
from compat.catalog.specs import Importable
from compat.run import engine
from compat.run.engine import error_line


@dataclass(frozen=True)
class Saver(Importable):
    """A class whose checkpoint a user loads into another class, with ``kwargs`` of its own."""

    target: str
    kwargs: Mapping[str, Any] = field(default_factory=dict)


ADAM = Saver("torch.optim.Adam")
ADAMW = Saver("torch.optim.AdamW")
# SGD with momentum keeps state with no "step" entry, which most classes' __setstate__ reads.
SGD_MOMENTUM = Saver("torch.optim.SGD", {"momentum": 0.9})

# The classes whose checkpoint a user switching optimizer loads, per loading class. A class not
# listed (third-party ones included) gets Adam's, the class most checkpoints come from.
PARTNERS: dict[str, tuple[Saver, ...]] = {
    "torch.optim.Adam": (ADAMW, SGD_MOMENTUM, Saver("torch.optim.RMSprop")),
    "torch.optim.AdamW": (ADAM,),
    "torch.optim.SGD": (ADAM,),
    "torch.optim.Adadelta": (Saver("torch.optim.Adagrad"),),
    "torch.optim.ASGD": (SGD_MOMENTUM,),
    "torch.optim.Muon": (ADAMW,),
}


def partners(target: str) -> tuple[Saver, ...]:
    """Return the classes whose checkpoints are loaded into ``target`` (see PARTNERS)."""
    return PARTNERS.get(target, (ADAM,))


def foreign(target: str) -> tuple[Saver, ...]:
    """Return the other class whose checkpoint is loaded into ``target`` to make the load raise.

    SGD with momentum (its state has no step, which most classes' __setstate__ reads after the new
    state is in place); for SGD itself, Adam.
    """
    return (ADAM,) if target == SGD_MOMENTUM.target else (SGD_MOMENTUM,)


def taken(cls: type, kwargs: Mapping[str, Any]) -> dict[str, Any]:
    """Return the entries of ``kwargs`` that ``cls``'s constructor takes."""
    accepted = inspect.signature(cls).parameters
    return {k: v for k, v in kwargs.items() if k in accepted}


def saver_optimizer(case: Case, saver: Saver, params: list[torch.Tensor]) -> torch.optim.Optimizer:
    """Return ``saver``'s class over the case's groups, built with the case's arguments it takes."""
    cls = saver.load()
    device = str(params[0].device)
    groups = [
        {
            "params": [params[i] for i in group.params],
            **{k: engine.constructor_value(v, device) for k, v in taken(cls, group.overrides).items()},
        }
        for group in case.layout.groups
    ]
    kwargs = {k: engine.constructor_value(v, device) for k, v in taken(cls, case.kwargs).items()}
    return cls(groups, **{**kwargs, **saver.kwargs})


def arguments(case: Case, saver: Saver) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return ``saver``'s keyword arguments (the case's it takes, then its own) and its groups by position."""
    cls = saver.load()
    groups = [{"params": list(group.params), **taken(cls, group.overrides)} for group in case.layout.groups]
    return {**taken(cls, case.kwargs), **saver.kwargs}, groups


def foreign_saver(case: Case) -> dict[str, Any]:
    """Return the class whose checkpoint is loaded to make the load raise (``foreign``), its arguments and groups."""
    saver = foreign(case.subject)[0]
    kwargs, groups = arguments(case, saver)
    return {"saver": saver.load(), "saver_kwargs": kwargs, "saver_groups": groups}


def partner_savers(case: Case) -> dict[str, Any]:
    """Return (name in torch.optim, arguments, groups) of each class whose checkpoint a user switching class loads."""
    return {"savers": [(saver.name, *arguments(case, saver)) for saver in partners(case.subject)]}


def train_plain(case: Case, opt: torch.optim.Optimizer, params: list[torch.Tensor], start: int, steps: int) -> None:
    """Run ``steps`` plain ``opt.step()`` calls on the case's gradients (for another class than the subject)."""
    for step in range(start, start + steps):
        opt.zero_grad(set_to_none=True)
        _, grads = engine.gradients(case, params, step)
        for param, grad in zip(params, grads, strict=True):
            if grad is not None:
                param.grad = grad
        opt.step()


def checkpoint_of(case: Case, saver: Saver) -> tuple[dict[str, Any], list[torch.Tensor]]:
    """Return ``saver``'s state dict after ``steps_before`` steps, and its params; raises where it cannot train."""
    params = engine.parameters(case)
    opt = saver_optimizer(case, saver, params)
    train_plain(case, opt, params, 0, case.steps_before)
    return engine.snapshot(opt.state_dict()), [p.detach().clone() for p in params]


def sparse_refusal(target: str) -> str | None:
    """Return the line each partner of a sparse-gradient class raises when it steps on a sparse gradient.

    None when some partner steps (or ``target`` trains on dense gradients).
    """
    if specs.get(target).grad != "sparse":
        return None
    refusals = []
    for saver in partners(target):
        weight = torch.zeros(2, 2, requires_grad=True)
        torch.nn.functional.embedding(torch.tensor([0]), weight, sparse=True).sum().backward()
        try:
            saver.load()([weight], **saver.kwargs).step()
        except Exception as error:
            refusals.append(f"{saver.name}: {error_line(error)}")
            continue
        return None
    return "; ".join(refusals)
