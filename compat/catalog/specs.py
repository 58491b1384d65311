"""Optimizer specs and the registry that holds them: the project's extension point.

A spec states what differs about one optimizer class: its constructor space, the flags it
accepts, the releases that have it, and what its training loop needs (a closure, sparse
gradients, 2-D parameters). Built-in specs (``compat.catalog.optimizers``) use the same ``register``
that third-party plugins use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from compat.catalog import versions
from compat.catalog.space import Space

FLOATING_DTYPES: tuple[str, ...] = ("float32", "float64", "bfloat16", "float16")

# NOTE: [flag rules]
# The boolean flags interact; every strategy and every reproducer follows these rules:
# - foreach, fused and differentiable pick the implementation (IMPLEMENTATIONS); at most one of
#   them is True (torch raises for fused+foreach and fused+differentiable; differentiable runs the
#   single-tensor path).
# - Which flags, param dtypes and lr kinds each implementation takes on a release and device is
#   measured by ``compat.run.probe`` (capturable on the CPU, fused on the CPU before 2.4, a tensor lr
#   with foreach, float16 CPU kernels before 2.2 ...), never written in a spec.
FLAGS: tuple[str, ...] = ("foreach", "fused", "capturable", "differentiable", "maximize")
IMPLEMENTATIONS: tuple[str, ...] = ("foreach", "fused", "differentiable")


def imported(target: str) -> Any:
    """Return what a dotted ``target`` names (``torch.optim.Adam``), importing its module."""
    module, _, attribute = target.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


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
        return imported(self.target)

    def absent_because(self, version: str) -> str | None:
        """Return why this class is not applicable on torch ``version``, or None if present.

        Whether the class exists is measured (imported), so the reason quotes the import's error;
        ``since`` and ``until`` narrow that where a class exists before or after the releases its
        spec is meant for.
        """
        try:
            self.load()
        except (ImportError, AttributeError) as error:
            return f"{self.target} cannot be imported: {type(error).__name__}: {error}"
        if not versions.at_least(version, self.since):
            return f"{self.target} is new in torch {self.since}"
        if not versions.at_most(version, self.until):
            return f"{self.target} was removed after torch {self.until}"
        return None


# eq=False: a spec is compared, hashed and memoised (``compat.run.probe``) as the object it is, so two
# variants of one class (the zoo tries several) never share a verdict.
@dataclass(frozen=True, kw_only=True, repr=False, eq=False)
class OptimizerSpec(Importable):
    """How to build, draw and train one optimizer class.

    Which hyperparameters, flags, param dtypes and lr kinds a release takes is not written here:
    ``compat.run.probe`` measures it on the installed torch.
    """

    target: str
    hyperparameters: Mapping[str, Space]
    since: str = "1.13"
    until: str | None = None
    grad: Literal["dense", "sparse"] = "dense"
    closure: bool = False
    single_group: bool = False
    param_ndim: int | None = None
    # The dtypes the layouts may draw, if the release takes them (the probe says which it does); a
    # spec narrows them where the class is not meant for the others.
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
    importlib.import_module("compat.catalog.optimizers")
