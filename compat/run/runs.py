"""The runs of one case, each computed on first use, under the name a claim's check gives its parameter.

A claim's check (``compat/catalog/checks``) is a plain-torch function whose parameters name what it
compares: ``opt`` (the saving optimizer after N steps), ``loaded`` (what torch.load gave back),
``fresh`` (the resumed optimizer after load_state_dict), ``straight`` (the uninterrupted run after
N+M steps), ``train`` (the seeded training loop), ... ``Runs`` computes each of them for a case, once,
the way its reproducer (``compat.record.script``) writes them, and ``problems`` calls the check with them.
The objects it hands out are live: the check may train or load into them, as its script does.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch

from compat.catalog import claims, schedule_functions
from compat.catalog.case import Case
from compat.run import engine, resumption, scheduling

CHECKS = "compat.catalog.checks"
DATA = "compat.run"


def check_function(claim: claims.Claim) -> Callable[..., list[str]]:
    """Return the plain function ``claim.check`` names (``"state.restored"``: ``restored`` in ``checks/state.py``)."""
    module, _, name = claim.check.rpartition(".")
    return getattr(importlib.import_module(f"{CHECKS}.{module}"), name)


def data_function(claim: claims.Claim) -> Callable[[Case], dict[str, Any]] | None:
    """Return the function ``claim.data`` names in ``compat.run`` (the values its check takes besides runs), or None."""
    if not claim.data:
        return None
    module, _, name = claim.data.rpartition(".")
    return getattr(importlib.import_module(f"{DATA}.{module}"), name)


def parameters(function: Callable[..., Any]) -> list[str]:
    """Return the names of ``function``'s parameters, in order."""
    return list(inspect.signature(function).parameters)


class Runs:
    """The runs and objects of ``case`` a check asks for; ``order`` is how a scheduler case resumes."""

    def __init__(self, case: Case, order: scheduling.Order = "scheduler-first", shared: Shared | None = None) -> None:
        self.case = case
        self.order = order
        self.scheduled = case.scheduler is not None
        self.shared = shared

    @property
    def m(self) -> int:
        """Return the number of steps after the load."""
        return self.case.steps_after

    @property
    def n(self) -> int:
        """Return the number of steps before the save."""
        return self.case.steps_before

    @functools.cached_property
    def initial(self) -> list[torch.Tensor]:
        """Return the params as they were before training (copies)."""
        return [p.detach().clone() for p in engine.parameters(self.case)]

    @functools.cached_property
    def _saving(self) -> tuple[list[torch.Tensor], torch.optim.Optimizer, Any]:
        case = self.case
        params = engine.parameters(case)
        opt = engine.optimizer(case, params, case.kwargs)
        sched = scheduling.build(case.scheduler, opt) if self.scheduled else None
        self.train(opt, *([sched] if self.scheduled else []), params, case.steps_before)
        return params, opt, sched

    @property
    def params(self) -> list[torch.Tensor]:
        """Return the saving run's params after N steps."""
        return self._saving[0]

    @property
    def opt(self) -> torch.optim.Optimizer:
        """Return the saving run's optimizer after N steps."""
        return self._saving[1]

    @property
    def sched(self) -> Any:
        """Return the saving run's scheduler after N steps."""
        return self._saving[2]

    @functools.cached_property
    def _checkpoint(self) -> dict[str, Any]:
        on_disk: dict[str, Any] = {"optimizer": self.opt.state_dict(), "params": [p.detach() for p in self.params]}
        if self.scheduled:
            on_disk["scheduler"] = self.sched.state_dict()
        return engine.through_storage(on_disk, self.case.save_load, self.case.load_device)

    @property
    def loaded(self) -> dict[str, Any]:
        """Return what torch.load gave back: the optimizer's dict (scheduled: ``optimizer`` and ``scheduler``)."""
        if self.scheduled:
            return {k: v for k, v in self._checkpoint.items() if k != "params"}
        return self._checkpoint["optimizer"]

    def moved(self, params: list[torch.Tensor]) -> list[torch.Tensor]:
        """Return copies of ``params`` as the resumed run holds them: on the load device and dtype."""
        return engine.parameters(self.case, params, device=self.case.load_device, dtype=self.case.load_dtype)

    @functools.cached_property
    def fresh_params(self) -> list[torch.Tensor]:
        """Return the resumed run's params: the saved ones as loaded."""
        return self.moved(self._checkpoint["params"])

    def build(self, params: list[torch.Tensor], groups: list[list[int]] | None = None) -> torch.optim.Optimizer:
        """Return the optimizer the resumed code builds over ``params`` (its own arguments; ``groups`` of positions)."""
        return engine.optimizer(self.case, params, self.case.fresh_kwargs, overrides=False, groups=groups)

    def build_saving(self, params: list[torch.Tensor], groups: list[list[int]] | None = None) -> torch.optim.Optimizer:
        """Return the optimizer the saving code builds over ``params`` (its arguments and group overrides)."""
        return engine.optimizer(self.case, params, self.case.kwargs, groups=groups)

    def build_sched(self, opt: torch.optim.Optimizer) -> Any:
        """Return the case's scheduler, as the saving code builds it, on ``opt``."""
        return scheduling.build(self.case.scheduler, opt)

    def build_newer_sched(self, opt: torch.optim.Optimizer) -> Any:
        """Return the scheduler newer code builds on ``opt``: other arguments, or other schedule callables."""
        case = self.case
        return scheduling.build(case.fresh_scheduler or schedule_functions.with_other_factors(case.scheduler), opt)

    @functools.cached_property
    def _resumed(self) -> tuple[torch.optim.Optimizer, Any]:
        if not self.scheduled:
            opt, _ = engine.restored(self.case, self._checkpoint, self.fresh_params)
            return opt, None
        return scheduling.resumed_objects(self.case, self._checkpoint, self.fresh_params, self.order)

    @property
    def fresh(self) -> torch.optim.Optimizer:
        """Return the resumed optimizer: built and loaded (with a scheduler, in ``order``)."""
        return self._resumed[0]

    @property
    def fresh_sched(self) -> Any:
        """Return the resumed scheduler, built and loaded in ``order``."""
        return self._resumed[1]

    @functools.cached_property
    def _straight(self) -> tuple[list[torch.Tensor], torch.optim.Optimizer, Any]:
        if self.shared is None:
            return self._uninterrupted()
        if self.shared.straight is None:
            self.shared.straight = self._uninterrupted()
        return self.shared.straight

    def _uninterrupted(self) -> tuple[list[torch.Tensor], torch.optim.Optimizer, Any]:
        case = self.case
        params = engine.parameters(case)
        opt = engine.optimizer(case, params, case.kwargs)
        if not self.scheduled:
            self.train(opt, params, case.steps_before + case.steps_after)
            return params, opt, None
        sched = scheduling.build(case.scheduler, opt)
        trajectory = self.train(opt, sched, params, case.steps_before + case.steps_after)
        return params, opt, trajectory[case.steps_before :]

    @property
    def straight_params(self) -> list[torch.Tensor]:
        """Return the uninterrupted run's params after N+M steps."""
        return self._straight[0]

    @property
    def straight(self) -> torch.optim.Optimizer:
        """Return the uninterrupted run's optimizer after N+M steps."""
        return self._straight[1]

    @property
    def expected(self) -> scheduling.Trajectory:
        """Return what each uninterrupted step from the save point on used (lr, cycled momentum), and the next one."""
        return self._straight[2]

    @property
    def train(self) -> Callable[..., Any]:
        """Return the training loop ``train(opt, params, steps, start=0)`` (scheduled: ``train(opt, sched, ...)``).

        It runs the case's seeded steps from global step ``start``; with a scheduler it returns what
        each step used and what the next one would.
        """
        case = self.case
        if self.scheduled:
            return lambda opt, sched, params, steps, start=0: scheduling.train(case, opt, sched, params, start, steps)
        return lambda opt, params, steps, start=0: engine.train(case, opt, params, start, steps)

    def arguments(self, function: Callable[..., Any], data: dict[str, Any]) -> dict[str, Any]:
        """Return the value of each of ``function``'s parameters: from ``data`` where it has one, else a run."""
        return {name: data[name] if name in data else getattr(self, name) for name in parameters(function)}


@dataclass
class Shared:
    """What the claims checked on one case share: the uninterrupted run, which no check changes."""

    straight: tuple[list[torch.Tensor], torch.optim.Optimizer, Any] | None = None


def problems(claim: claims.Claim, case: Case, shared: Shared | None = None) -> list[str]:
    """Return what ``claim``'s check finds wrong on ``case`` (nothing: it holds), under the case's default dtype.

    With ``shared``, the uninterrupted run is the one other claims checked on the same case computed.
    """
    check = check_function(claim)
    setup = data_function(claim)
    with resumption.default_dtype(case.default_dtype):
        data = setup(case) if setup else {}
        runs = Runs(case, claim.order or "scheduler-first", shared)
        return check(**runs.arguments(check, data))


LIVE = frozenset(
    {
        "initial", "params", "opt", "sched", "loaded", "fresh_params", "fresh", "fresh_sched",
        "straight_params", "straight", "expected", "train", "build", "build_saving", "moved", "build_sched",
        "build_newer_sched",
    }
)  # fmt: skip
"""The runs: objects a reproducer builds (``compat.record.script``); any other parameter is a value it writes."""
