"""Specs from outside this package: ``--spec MODULE:ATTRIBUTE`` and the entry-point group.

Both name an attribute that holds one spec or a list of specs (``OptimizerSpec`` or
``SchedulerSpec``). Each spec is checked before anything runs (its class imports; then
``compat.run.extensions`` trains its example and the edges of its space) and registered with the
same ``register`` the built-in specs use, so the whole suite covers it. A bad spec is one
``SpecError`` line naming it, never a traceback from inside Hypothesis.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import sys
from pathlib import Path
from typing import Any

from compat.catalog import schedulers, specs

ENTRY_POINT_GROUP = "torch_optim_compat.specs"
Spec = specs.OptimizerSpec | schedulers.SchedulerSpec


class SpecError(ValueError):
    """A spec that cannot be used; the message is one line naming it and where it came from."""


def _module(name: str) -> Any:
    """Import ``name``, a dotted module or a path to a ``.py`` file (then importable by its stem)."""
    if name.endswith(".py"):
        path = Path(name).resolve()
        if not path.is_file():
            raise SpecError(f"--spec {name}: no such file")
        loaded = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(loaded)
        sys.modules[path.stem] = module
        loaded.loader.exec_module(module)
        return module
    if str(Path.cwd()) not in sys.path:
        sys.path.insert(0, str(Path.cwd()))
    return importlib.import_module(name)


def specs_at(reference: str) -> list[tuple[Spec, str]]:
    """Return (spec, origin) for each spec ``MODULE:ATTRIBUTE`` names (a spec or a list of specs)."""
    module_name, colon, attribute = reference.partition(":")
    if not colon or not module_name or not attribute:
        raise SpecError(f"--spec {reference}: give MODULE:ATTRIBUTE, e.g. my_optimizers:SPECS")
    try:
        module = _module(module_name)
    except SpecError:
        raise
    except Exception as error:
        raise SpecError(f"--spec {reference}: cannot import {module_name}: {type(error).__name__}: {error}") from None
    if not hasattr(module, attribute):
        raise SpecError(f"--spec {reference}: {module_name} has no attribute {attribute!r}")
    return _checked_all(getattr(module, attribute), f"--spec {reference}")


def entry_point_specs() -> list[tuple[Spec, str]]:
    """Return (spec, origin) for the specs installed packages offer in the ``torch_optim_compat.specs`` group."""
    found = []
    for point in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        origin = f"entry point {point.name} = {point.value} ({point.dist.name if point.dist else '?'})"
        try:
            value = point.load()
        except Exception as error:
            raise SpecError(f"{origin}: cannot load: {type(error).__name__}: {error}") from None
        found += _checked_all(value, origin)
    return found


def _checked_all(value: Any, origin: str) -> list[tuple[Spec, str]]:
    items = list(value) if isinstance(value, list | tuple) else [value]
    if not items:
        raise SpecError(f"{origin}: holds no specs")
    return [(checked(item, origin), origin) for item in items]


def checked(spec: Any, origin: str) -> Spec:
    """Return ``spec`` if it is a spec whose class exists; raise SpecError naming it if not."""
    if not isinstance(spec, specs.OptimizerSpec | schedulers.SchedulerSpec):
        raise SpecError(f"{origin}: {spec!r} is a {type(spec).__name__}, not an OptimizerSpec or SchedulerSpec")
    where = f"spec {spec.target} ({origin})"
    try:
        cls = spec.load()
    except Exception as error:
        raise SpecError(f"{where}: the class does not exist: {type(error).__name__}: {error}") from None
    if not isinstance(cls, type):
        raise SpecError(f"{where}: {spec.target} is a {type(cls).__name__}, not a class")
    return spec


def found(references: list[str], *, entry_points: bool = True) -> list[tuple[Spec, str]]:
    """Return (spec, origin) for each spec ``references`` name, then (optionally) each installed entry point offers."""
    pairs = [pair for reference in references for pair in specs_at(reference)]
    if entry_points:
        pairs += entry_point_specs()
    return pairs


def register(spec: Spec, origin: str) -> bool:
    """Register ``spec`` in its registry; return False where this very spec is registered already.

    The same spec named twice (an entry point and ``--spec``) counts once; another spec for its class
    is a SpecError.
    """
    registry = specs if isinstance(spec, specs.OptimizerSpec) else schedulers
    existing = registry.specs().get(spec.target)
    if existing is spec:
        return False
    if existing is not None:
        raise SpecError(f"spec {spec.target} ({origin}): another spec for this class is already registered")
    registry.register(spec)
    return True
