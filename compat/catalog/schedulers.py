"""Scheduler specs and their registry: every LR scheduler the suite checks.

A scheduler spec says how to draw constructor arguments for one class (``space``), which of
them may be per-group lists, whether ``step()`` takes a metric, whether the class wraps child
schedulers, and which releases have it. The scheduler to build for a case is plain data
(``compat.catalog.case.Sched``); ``compat.run.scheduling`` builds and runs it.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal, get_args

from compat.catalog.case import Fn, Sched
from compat.catalog.space import Choice, Floats, Increasing, Ints, Space
from compat.catalog.specs import Importable, RegistryError

Kind = Literal["plain", "lambda", "plateau", "composite"]
# The ways users restore a scheduler with its optimizer (compat.run.scheduling.ORDER_STEPS says what each does).
Order = Literal[
    "scheduler-first",
    "built-after-load",
    "optimizer-only",
    "scheduler-only",
    "last-epoch",
    "last-epoch-count",
    "repaired",
]
RESTORE_ORDERS: tuple[Order, ...] = get_args(Order)


# eq=False: a spec is compared, hashed and memoised (props.strategies) as the object it is.
@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class SchedulerSpec(Importable):
    """How to draw, build and step one LR scheduler class."""

    target: str
    space: Mapping[str, Space] = field(default_factory=dict)
    per_group: tuple[str, ...] = ()
    kind: Kind = "plain"
    horizon: str | None = None
    child: bool = False
    since: str = "1.13"
    until: str | None = None
    example: Sched
    notes: str = ""

    def __repr__(self) -> str:
        return f"SchedulerSpec({self.target!r})"


_REGISTRY: dict[str, SchedulerSpec] = {}


def register(spec: SchedulerSpec) -> SchedulerSpec:
    """Add ``spec`` to the registry and return it; a second spec for one target is an error."""
    if not isinstance(spec, SchedulerSpec):
        raise RegistryError(f"register() takes a SchedulerSpec, got {type(spec).__name__}")
    if spec.target in _REGISTRY:
        raise RegistryError(f"scheduler spec {spec.target} is already registered")
    _REGISTRY[spec.target] = spec
    return spec


def specs() -> dict[str, SchedulerSpec]:
    """Return a copy of the registry, keyed by target."""
    return dict(_REGISTRY)


def get(name: str) -> SchedulerSpec:
    """Return the spec for a target or a class name; unknown names list the valid ones."""
    if name in _REGISTRY:
        return _REGISTRY[name]
    matches = [spec for spec in _REGISTRY.values() if spec.name == name]
    if len(matches) == 1:
        return matches[0]
    raise RegistryError(f"unknown scheduler {name!r}; registered: {', '.join(sorted(_REGISTRY))}")


def takes_last_epoch(cls: type) -> bool:
    """Return whether the scheduler class's constructor has a ``last_epoch`` parameter on this release."""
    return "last_epoch" in inspect.signature(cls.__init__).parameters


def children() -> list[SchedulerSpec]:
    """Return the specs a composite scheduler may wrap (drawn children of SequentialLR / ChainedScheduler)."""
    return [spec for spec in _REGISTRY.values() if spec.child]


_LR = "torch.optim.lr_scheduler."
GAMMA = Floats(0.5, 0.99)

register(
    SchedulerSpec(
        target=_LR + "StepLR",
        space={"step_size": Ints(1, 3), "gamma": GAMMA},
        child=True,
        example=Sched("StepLR", {"step_size": 2, "gamma": 0.5}),
    )
)
register(
    SchedulerSpec(
        target=_LR + "MultiStepLR",
        space={"milestones": Increasing(1, 6), "gamma": GAMMA},
        child=True,
        example=Sched("MultiStepLR", {"milestones": [2, 4], "gamma": 0.5}),
    )
)
register(
    SchedulerSpec(
        target=_LR + "ExponentialLR",
        space={"gamma": GAMMA},
        child=True,
        example=Sched("ExponentialLR", {"gamma": 0.9}),
    )
)
register(
    SchedulerSpec(
        target=_LR + "CosineAnnealingLR",
        space={"T_max": Ints(1, 8), "eta_min": Choice((0.0, 1e-4))},
        child=True,
        example=Sched("CosineAnnealingLR", {"T_max": 5, "eta_min": 0.0}),
    )
)
register(
    SchedulerSpec(
        target=_LR + "CosineAnnealingWarmRestarts",
        space={"T_0": Ints(1, 4), "T_mult": Ints(1, 2), "eta_min": Choice((0.0, 1e-4))},
        example=Sched("CosineAnnealingWarmRestarts", {"T_0": 2, "T_mult": 2, "eta_min": 0.0}),
    )
)
register(
    SchedulerSpec(
        target=_LR + "CyclicLR",
        space={
            "base_lr": Floats(1e-4, 1e-2),
            "max_lr": Floats(2e-2, 1.0),
            "step_size_up": Ints(1, 4),
            "mode": Choice(("triangular", "triangular2", "exp_range")),
            "gamma": Floats(0.8, 1.0),
            "cycle_momentum": Choice((True, False)),
        },
        per_group=("base_lr", "max_lr"),
        example=Sched("CyclicLR", {"base_lr": 0.01, "max_lr": 0.1, "step_size_up": 2, "cycle_momentum": True}),
        notes="cycle_momentum cycles SGD/RMSprop momentum or Adam's beta1",
    )
)
register(
    SchedulerSpec(
        target=_LR + "OneCycleLR",
        space={
            "max_lr": Floats(0.01, 1.0),
            "pct_start": Floats(0.1, 0.5),
            "anneal_strategy": Choice(("cos", "linear")),
            "three_phase": Choice((False, True)),
            "cycle_momentum": Choice((True, False)),
            "div_factor": Choice((25.0, 10.0)),
            "final_div_factor": Choice((1e4, 100.0)),
        },
        per_group=("max_lr",),
        horizon="total_steps",
        example=Sched("OneCycleLR", {"max_lr": 0.1, "total_steps": 10, "three_phase": True}),
        notes="total_steps is drawn above the steps the case takes (stepping past it raises)",
    )
)
register(
    SchedulerSpec(
        target=_LR + "LinearLR",
        space={"start_factor": Floats(0.1, 1.0), "end_factor": Floats(0.5, 1.0), "total_iters": Ints(1, 6)},
        child=True,
        example=Sched("LinearLR", {"start_factor": 0.25, "end_factor": 1.0, "total_iters": 4}),
    )
)
register(
    SchedulerSpec(
        target=_LR + "ConstantLR",
        space={"factor": Floats(0.1, 1.0), "total_iters": Ints(1, 6)},
        child=True,
        example=Sched("ConstantLR", {"factor": 0.5, "total_iters": 4}),
    )
)
register(
    SchedulerSpec(
        target=_LR + "PolynomialLR",
        space={"total_iters": Ints(1, 8), "power": Floats(0.5, 3.0)},
        child=True,
        example=Sched("PolynomialLR", {"total_iters": 6, "power": 2.0}),
    )
)
register(
    SchedulerSpec(
        target=_LR + "LambdaLR",
        kind="lambda",
        per_group=("lr_lambda",),
        child=True,
        example=Sched("LambdaLR", {"lr_lambda": Fn("lambda", 0.9)}),
        notes="lr_lambda is a plain function, a lambda or a callable object (drawn)",
    )
)
register(
    SchedulerSpec(
        target=_LR + "MultiplicativeLR",
        kind="lambda",
        per_group=("lr_lambda",),
        child=True,
        example=Sched("MultiplicativeLR", {"lr_lambda": Fn("lambda", 0.95)}),
        notes="lr_lambda is a plain function, a lambda or a callable object (drawn)",
    )
)
register(
    SchedulerSpec(
        target=_LR + "ReduceLROnPlateau",
        space={
            "mode": Choice(("min", "max")),
            "factor": Choice((0.5, 0.1)),
            "patience": Ints(0, 3),
            "threshold": Choice((1e-4, 0.1)),
            "threshold_mode": Choice(("rel", "abs")),
            "cooldown": Ints(0, 2),
            "min_lr": Choice((0.0, 1e-3)),
        },
        per_group=("min_lr",),
        kind="plateau",
        example=Sched("ReduceLROnPlateau", {"mode": "min", "factor": 0.5, "patience": 1, "cooldown": 1}),
        notes="step(metric): the metric sequence is drawn with the case",
    )
)
register(
    SchedulerSpec(
        target=_LR + "SequentialLR",
        kind="composite",
        example=Sched(
            "SequentialLR",
            {"milestones": [3]},
            (Sched("LinearLR", {"start_factor": 0.25, "total_iters": 3}), Sched("ExponentialLR", {"gamma": 0.9})),
        ),
        notes="children drawn from the chainable schedulers, one nested composite at most",
    )
)
register(
    SchedulerSpec(
        target=_LR + "ChainedScheduler",
        kind="composite",
        example=Sched(
            "ChainedScheduler",
            {},
            (Sched("ConstantLR", {"factor": 0.5, "total_iters": 2}), Sched("ExponentialLR", {"gamma": 0.9})),
        ),
        notes="children drawn from the chainable schedulers, one nested composite at most",
    )
)
register(
    SchedulerSpec(
        target="torch.optim.swa_utils.SWALR",
        space={"swa_lr": Floats(0.01, 0.5), "anneal_epochs": Ints(1, 5), "anneal_strategy": Choice(("cos", "linear"))},
        per_group=("swa_lr",),
        example=Sched("SWALR", {"swa_lr": 0.05, "anneal_epochs": 5, "anneal_strategy": "linear"}),
    )
)
