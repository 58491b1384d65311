"""Built-in specs: every optimizer in ``torch.optim``, registered like a plugin's would be.

A spec states the class and the space of its constructor arguments. Which releases have the
class, and which of its hyperparameters, flags, param dtypes and lr kinds a release takes, is
measured on the installed torch (an import, and ``compat.run.probe``), not written here.
"""

from __future__ import annotations

from typing import Any

from compat.catalog.space import Choice, Floats, Ints, Pair
from compat.catalog.specs import OptimizerSpec, register

LR = Floats(1e-4, 0.5, log=True)
EPS = Floats(1e-10, 1e-6, log=True)
WEIGHT_DECAY = Choice((0.0, 0.01, 0.1, 5e-4))
BETAS = Pair(Floats(0.0, 0.99), Floats(0.5, 0.9999))
MOMENTUM = Choice((0.0, 0.9, 0.5, 0.99))


def _nesterov_needs_momentum(kwargs: dict[str, Any]) -> dict[str, Any]:
    """SGD and Muon: nesterov needs momentum > 0 (and for SGD, dampening 0)."""
    if kwargs.get("nesterov"):
        kwargs["momentum"] = kwargs.get("momentum") or 0.9
        if "dampening" in kwargs:
            kwargs["dampening"] = 0.0
    return kwargs


register(
    OptimizerSpec(
        target="torch.optim.SGD",
        hyperparameters={
            "momentum": MOMENTUM,
            "dampening": Choice((0.0, 0.1, 0.5)),
            "weight_decay": WEIGHT_DECAY,
            "nesterov": Choice((False, True)),
        },
        repair=_nesterov_needs_momentum,
        example_kwargs={"momentum": 0.9},
    )
)

_ADAM_SPACE = {"betas": BETAS, "eps": EPS, "weight_decay": WEIGHT_DECAY, "amsgrad": Choice((False, True))}
register(
    OptimizerSpec(
        target="torch.optim.Adam",
        hyperparameters={**_ADAM_SPACE, "decoupled_weight_decay": Choice((False, True))},
    )
)
register(
    OptimizerSpec(
        target="torch.optim.AdamW",
        hyperparameters=_ADAM_SPACE,
    )
)
register(
    OptimizerSpec(
        target="torch.optim.RMSprop",
        hyperparameters={
            "alpha": Floats(0.5, 0.999),
            "eps": EPS,
            "weight_decay": WEIGHT_DECAY,
            "momentum": MOMENTUM,
            "centered": Choice((False, True)),
        },
    )
)
register(
    OptimizerSpec(
        target="torch.optim.Adagrad",
        hyperparameters={
            "lr_decay": Choice((0.0, 0.01)),
            "weight_decay": WEIGHT_DECAY,
            "initial_accumulator_value": Choice((0.0, 0.1)),
            "eps": EPS,
        },
    )
)
register(
    OptimizerSpec(
        target="torch.optim.Adadelta",
        hyperparameters={"rho": Floats(0.5, 0.99), "eps": EPS, "weight_decay": WEIGHT_DECAY},
    )
)
register(
    OptimizerSpec(
        target="torch.optim.Adamax",
        hyperparameters={"betas": BETAS, "eps": EPS, "weight_decay": WEIGHT_DECAY},
    )
)
register(
    OptimizerSpec(
        target="torch.optim.NAdam",
        hyperparameters={
            "betas": BETAS,
            "eps": EPS,
            "weight_decay": WEIGHT_DECAY,
            "momentum_decay": Choice((0.004, 0.01)),
            "decoupled_weight_decay": Choice((False, True)),
        },
    )
)
register(
    OptimizerSpec(
        target="torch.optim.RAdam",
        hyperparameters={
            "betas": BETAS,
            "eps": EPS,
            "weight_decay": WEIGHT_DECAY,
            "decoupled_weight_decay": Choice((False, True)),
        },
    )
)
register(
    OptimizerSpec(
        target="torch.optim.ASGD",
        hyperparameters={
            "lambd": Choice((1e-4, 1e-3)),
            "alpha": Choice((0.75, 0.5)),
            "t0": Choice((1e6, 1.0)),
            "weight_decay": WEIGHT_DECAY,
        },
    )
)
register(
    OptimizerSpec(
        target="torch.optim.Rprop",
        hyperparameters={
            "etas": Pair(Floats(0.1, 0.9), Floats(1.1, 2.0)),
            "step_sizes": Pair(Choice((1e-6, 1e-4)), Choice((50.0, 1.0))),
        },
    )
)
register(
    OptimizerSpec(
        target="torch.optim.SparseAdam",
        hyperparameters={"betas": BETAS, "eps": EPS},
        grad="sparse",
        param_ndim=2,
        notes="needs sparse gradients: trained through an embedding lookup with sparse=True",
    )
)
register(
    OptimizerSpec(
        target="torch.optim.LBFGS",
        hyperparameters={
            "max_iter": Ints(1, 4),
            "history_size": Ints(1, 10),
            "line_search_fn": Choice((None, "strong_wolfe")),
        },
        closure=True,
        single_group=True,
        example_kwargs={"max_iter": 4},
        # Not the half-precision dtypes: the probe builds and steps them, but the strong-Wolfe line
        # search then divides by a difference that rounds to zero in float16 (ZeroDivisionError in
        # _cubic_interpolate, 2.2-2.4), a breakdown of the values drawn, not a refusal a probe sees.
        param_dtypes=("float32", "float64"),
        mixed_dtypes=False,
        empty_params=False,
        notes="one param group only; step() takes a closure; flattens all params into one vector, "
        "so they share a dtype, and cannot step empty params (max of an empty gradient)",
    )
)
register(
    OptimizerSpec(
        target="torch.optim.Adafactor",
        hyperparameters={
            "beta2_decay": Choice((-0.8, -0.5)),
            "d": Choice((1.0, 2.0)),
            "weight_decay": WEIGHT_DECAY,
        },
        empty_params=False,
        notes="cannot step an empty param (divides by its numel)",
    )
)
register(
    OptimizerSpec(
        target="torch.optim.Muon",
        hyperparameters={
            "weight_decay": WEIGHT_DECAY,
            "momentum": Choice((0.95, 0.9, 0.0)),
            "nesterov": Choice((True, False)),
            "ns_steps": Ints(1, 5),
        },
        param_ndim=2,
        repair=_nesterov_needs_momentum,
        notes="2-D parameters only",
    )
)
