"""Optimizer specs and the registry that holds them: the project's extension point.

A spec states what differs about one optimizer class: its constructor space, the flags it
accepts, the releases that have it, and what its training loop needs (a closure, sparse
gradients, 2-D parameters). Built-in specs (``compat.optimizers``) use the same ``register``
that third-party plugins use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from compat import versions
from compat.space import Space

FLOATING_DTYPES: tuple[str, ...] = ("float32", "float64", "bfloat16", "float16")
# Before 2.2 the CPU kernels of several optimizers lack float16 (addcmul, addcdiv, clamp) or
# assert on bfloat16 (needs_dynamic_casting); those are compute gaps, not checkpoint behaviour.
REDUCED_PRECISION_CPU_SINCE = "2.2"

# NOTE: [flag rules]
# The boolean flags interact; every strategy and every reproducer follows these rules:
# - foreach, fused and differentiable pick the implementation; at most one of them is True
#   (torch raises for fused+foreach and fused+differentiable; differentiable runs the
#   single-tensor path).
# - capturable needs the parameters on an accelerator: torch asserts it on CPU.
# - fused on CPU exists only from a release per optimizer (``fused_cpu_since``).
# - a tensor lr is refused by some implementations (``tensor_lr_forbids``).
FLAGS: tuple[str, ...] = ("foreach", "fused", "capturable", "differentiable", "maximize")


class Importable:
    """What every spec (optimizer or scheduler) shares: a dotted ``target`` present from ``since`` to ``until``."""

    target: str
    since: str
    until: str | None

    @property
    def name(self) -> str:
        """Return the class name, e.g. ``Adam``."""
        return self.target.rpartition(".")[2]

    def load(self) -> type:
        """Return the class, importing its module."""
        module, _, attribute = self.target.rpartition(".")
        return getattr(importlib.import_module(module), attribute)

    def absent_because(self, version: str) -> str | None:
        """Return why this class is not applicable on torch ``version``, or None if present."""
        if not versions.at_least(version, self.since):
            return f"{self.target} is new in torch {self.since}"
        if not versions.at_most(version, self.until):
            return f"{self.target} was removed after torch {self.until}"
        try:
            self.load()
        except (ImportError, AttributeError) as error:
            return f"{self.target} cannot be imported: {error}"
        return None


@dataclass(frozen=True, kw_only=True, repr=False)
class OptimizerSpec(Importable):
    """How to build, draw and train one optimizer class."""

    target: str
    hyperparameters: Mapping[str, Space]
    hyperparameters_since: Mapping[str, str] = field(default_factory=dict)
    flags: Mapping[str, str] = field(default_factory=dict)
    fused_cpu_since: str | None = None
    since: str = "1.13"
    until: str | None = None
    tensor_lr_since: str | None = None
    tensor_lr_forbids: Mapping[str, Any] = field(default_factory=dict)
    grad: Literal["dense", "sparse"] = "dense"
    closure: bool = False
    single_group: bool = False
    param_ndim: int | None = None
    param_dtypes: tuple[str, ...] = FLOATING_DTYPES
    mixed_dtypes: bool = True
    empty_params: bool = True
    repair: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    # A method the training loop calls before stepping, e.g. "train" for schedule-free optimizers
    # (they refuse step() in eval mode); None when the class has no modes.
    train_mode: str | None = None
    # Keys every param group gets, e.g. {"use_muon": True} for optimizers that route groups by a flag.
    group_keys: Mapping[str, Any] = field(default_factory=dict)
    example_kwargs: Mapping[str, Any] = field(default_factory=dict)
    notes: str = ""

    def __repr__(self) -> str:
        return f"OptimizerSpec({self.target!r})"

    def hyperparameters_on(self, version: str) -> dict[str, Space]:
        """Return the constructor space of the hyperparameters torch ``version`` accepts."""
        return {
            name: space
            for name, space in self.hyperparameters.items()
            if versions.at_least(version, self.hyperparameters_since.get(name, "1.13"))
        }

    def flags_on(self, version: str, device: str) -> tuple[str, ...]:
        """Return the flags this class accepts on torch ``version`` for ``device`` params."""
        present = []
        for flag, since in self.flags.items():
            if not versions.at_least(version, since):
                continue
            if flag == "capturable" and device == "cpu":
                continue
            if flag == "fused" and device == "cpu" and not versions.at_least(version, self.fused_cpu_since or "99.0"):
                continue
            present.append(flag)
        return tuple(present)

    def dtypes_on(self, version: str) -> tuple[str, ...]:
        """Return the param dtypes drawn on torch ``version`` (reduced precision from 2.2 on CPU)."""
        if versions.at_least(version, REDUCED_PRECISION_CPU_SINCE):
            return self.param_dtypes
        return tuple(d for d in self.param_dtypes if d in ("float32", "float64"))

    def accepts_tensor_lr(self, version: str) -> bool:
        """Return whether the constructor takes a tensor lr on torch ``version``."""
        return self.tensor_lr_since is not None and versions.at_least(version, self.tensor_lr_since)

    def repaired(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Return ``kwargs`` with the spec's own validity rules applied (see ``repair``)."""
        return self.repair(dict(kwargs)) if self.repair else dict(kwargs)


def from_torch(target: str) -> bool:
    """Return whether ``target`` is torch's own class; any other subject is third-party."""
    return target.startswith("torch.")


class RegistryError(ValueError):
    """A duplicate or unknown spec name."""


_REGISTRY: dict[str, OptimizerSpec] = {}


def register(spec: OptimizerSpec) -> OptimizerSpec:
    """Add ``spec`` to the registry and return it; a second spec for one target is an error."""
    if not isinstance(spec, OptimizerSpec):
        raise RegistryError(f"register() takes an OptimizerSpec, got {type(spec).__name__}")
    if spec.target in _REGISTRY:
        raise RegistryError(f"spec {spec.target} is already registered")
    _REGISTRY[spec.target] = spec
    return spec


def unregister(target: str) -> None:
    """Remove the spec for ``target`` if registered (probing candidates registers them one by one)."""
    _REGISTRY.pop(target, None)


def specs() -> dict[str, OptimizerSpec]:
    """Return a copy of the registry, keyed by target (``torch.optim.Adam``)."""
    _load_builtin()
    return dict(_REGISTRY)


def get(name: str) -> OptimizerSpec:
    """Return the spec for a target or a class name; unknown names list the valid ones."""
    _load_builtin()
    if name in _REGISTRY:
        return _REGISTRY[name]
    matches = [spec for spec in _REGISTRY.values() if spec.name == name]
    if len(matches) == 1:
        return matches[0]
    raise RegistryError(f"unknown optimizer {name!r}; registered: {', '.join(sorted(_REGISTRY))}")


def _load_builtin() -> None:
    importlib.import_module("compat.optimizers")
