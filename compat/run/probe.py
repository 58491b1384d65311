"""What the installed torch accepts: each combination a spec could draw, tried once.

A spec says what an optimizer class is (its constructor space, its training loop); which
releases take a flag, a param dtype, a tensor lr or a hyperparameter is measured here, never
written down. The probe builds the optimizer on two small parameters with the combination asked
about and steps it twice through the engine (the suite's own loop: sparse gradients, closures,
train modes), and records the verdict: accepted, or the refusal as ``Type: first line``.

Verdicts are memoised per spec object and process: each combination is tried once, lazily, when a
strategy, a pinned example or a claim first asks, and only on the installed release. What the
probe accepts is drawn and tested; a combination that builds and steps here but fails inside the
suite is a finding about torch, never a not-applicable.
"""

from __future__ import annotations

import functools
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from compat.catalog import versions
from compat.catalog.case import Case, Group, Layout, Param, SaveLoad, TensorLr
from compat.catalog.space import Choice, Floats, Ints, Pair, Space
from compat.catalog.specs import FLAGS, IMPLEMENTATIONS, OptimizerSpec
from compat.run import engine

PROBE_LR = 0.01
# The params a trial steps: a vector and a 0-d tensor (or two matrices), as the suite draws them.
# A 0-d bfloat16 param is what trips 2.0's NAdam (needs_dynamic_casting assert) where a vector steps.
PROBE_SHAPES: tuple[tuple[int, ...], ...] = ((3,), ())
PROBE_SHAPES_2D: tuple[tuple[int, ...], ...] = ((3, 2), (1, 1))
_STRATEGY = object()  # the value of a space given as a Hypothesis strategy: nothing to try without drawing
Arguments = tuple[tuple[str, Any], ...]  # constructor arguments of a trial, as sorted (name, value) pairs


@dataclass(frozen=True)
class Verdict:
    """What torch did with one combination: ``refusal`` is empty when it built and stepped."""

    tried: str
    refusal: str = ""
    kept: frozenset[str] = field(default_factory=frozenset)  # the flags every param group holds as True

    @property
    def accepted(self) -> bool:
        """Return whether the combination built and stepped."""
        return not self.refusal

    def because(self) -> str:
        """Return the not-applicable reason: the release, the combination and the refusal it saw."""
        return f"torch {versions.installed()} refuses {self.tried}: {self.refusal}"


def _simplest(space: Space) -> Any:
    """Return one value of ``space`` (its first option, its low end); _STRATEGY for a Hypothesis strategy."""
    if isinstance(space, Choice):
        return space.options[0]
    if isinstance(space, Floats | Ints):
        return space.low
    if isinstance(space, Pair):
        first, second = _simplest(space.first), _simplest(space.second)
        return _STRATEGY if first is _STRATEGY or second is _STRATEGY else (first, second)
    return _STRATEGY


def _described(spec: OptimizerSpec, kwargs: Mapping[str, Any], dtype: str, device: str) -> str:
    shown = ", ".join(f"{k}={'tensor' if isinstance(v, TensorLr) else v!r}" for k, v in kwargs.items() if k != "lr")
    lr = "lr=tensor" if isinstance(kwargs.get("lr"), TensorLr) else ""
    arguments = ", ".join(a for a in (lr, shown) if a)
    return f"{spec.name}({arguments}) on {dtype} {device} params"


@functools.cache
def _verdict(
    spec: OptimizerSpec, device: str, flags: Arguments, dtype: str, tensor_lr: bool, extra: Arguments
) -> Verdict:
    """Return the verdict of building ``spec`` with these arguments on the probe's params and stepping twice."""
    lr: float | TensorLr = TensorLr(PROBE_LR) if tensor_lr else PROBE_LR
    chosen = {**dict(extra), **dict(flags)}
    kwargs = spec.repaired({"lr": lr, **spec.example_kwargs, **chosen})
    shapes = PROBE_SHAPES_2D if spec.param_ndim == 2 else PROBE_SHAPES
    case = Case(
        subject=spec.target,
        kwargs=kwargs,
        fresh_kwargs=kwargs,
        layout=Layout(tuple(Param(shape, dtype) for shape in shapes), (Group(tuple(range(len(shapes)))),)),
        steps_before=2,
        save_load=SaveLoad(medium="buffer", weights_only=False),
        device=device,
        load_device=device,
    )
    tried = _described(spec, {"lr": lr, **chosen}, dtype, device)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecations and "not supported" notes: only raising refuses
            opt, _ = engine.checkpoint(case)
    except Exception as error:  # whatever torch raises is its refusal, reported as one line
        return Verdict(tried, engine.error_line(error))
    return Verdict(tried, kept=frozenset(f for f in FLAGS if all(group.get(f) is True for group in opt.param_groups)))


def _checked_release(version: str) -> None:
    if versions.release(version) != versions.release(versions.installed()):
        raise ValueError(f"the probe measures the installed torch {versions.installed()}, not {version}")


def _flag_items(kwargs: Mapping[str, Any]) -> Arguments:
    return tuple(sorted((f, bool(kwargs[f])) for f in FLAGS if kwargs.get(f) is not None))


def verdict(
    spec: OptimizerSpec,
    flags: Mapping[str, Any] | None = None,
    *,
    dtype: str = "float32",
    tensor_lr: bool = False,
    device: str = "cpu",
) -> Verdict:
    """Return the verdict on ``spec`` built with ``flags`` for ``dtype`` params.

    Only the flags of ``flags`` count (a whole kwargs dict may be given); None values are left out.
    """
    return _verdict(spec, device, _flag_items(flags or {}), dtype, tensor_lr, ())


def implementation(kwargs: Mapping[str, Any]) -> str | None:
    """Return the implementation flag ``kwargs`` turn on (NOTE: [flag rules]), or None for torch's default."""
    return next((f for f in IMPLEMENTATIONS if kwargs.get(f)), None)


def flags(spec: OptimizerSpec, device: str = "cpu") -> tuple[str, ...]:
    """Return the flags (NOTE: [flag rules]) ``spec`` builds and steps with when each alone is True.

    A class that takes ``**kwargs`` may swallow a flag it does not know: a flag counts only if the
    param groups then hold it as True.
    """
    return tuple(f for f in FLAGS if flag_verdict(spec, f, device).accepted)


@functools.cache
def flag_verdict(spec: OptimizerSpec, flag: str, device: str = "cpu") -> Verdict:
    """Return the verdict on ``spec`` with ``flag=True`` alone, refused too where the groups do not keep it."""
    found = verdict(spec, {flag: True}, device=device)
    if found.accepted and flag not in found.kept:
        return Verdict(found.tried, f"ignored: its param groups do not hold {flag}=True")
    return found


def implementations(
    spec: OptimizerSpec,
    device: str = "cpu",
    *,
    tensor_lr: bool = False,
    dtypes: tuple[str, ...] = ("float32",),
) -> tuple[str | None, ...]:
    """Return the implementations (None: torch's default) that step ``dtypes`` params with this lr kind."""
    present = flags(spec, device)
    return tuple(
        chosen
        for chosen in (None, *IMPLEMENTATIONS)
        if (chosen is None or chosen in present)
        and all(
            verdict(spec, {chosen: True} if chosen else {}, dtype=d, tensor_lr=tensor_lr, device=device).accepted
            for d in dtypes
        )
    )


def dtypes(spec: OptimizerSpec, kwargs: Mapping[str, Any] | None = None, device: str = "cpu") -> tuple[str, ...]:
    """Return the spec's param dtypes that build and step with the flags and lr kind of ``kwargs``."""
    kwargs = kwargs or {}
    tensor_lr = isinstance(kwargs.get("lr"), TensorLr)
    return tuple(
        d for d in spec.param_dtypes if verdict(spec, kwargs, dtype=d, tensor_lr=tensor_lr, device=device).accepted
    )


def dtypes_refused(spec: OptimizerSpec, version: str) -> str | None:
    """Return why ``spec`` cannot load its state into params of another dtype on ``version``, or None."""
    _checked_release(version)
    if len(dtypes(spec)) > 1:
        return None
    refused = [verdict(spec, dtype=d) for d in spec.param_dtypes if not verdict(spec, dtype=d).accepted]
    if not refused:
        return f"{spec.name}'s spec draws only {spec.param_dtypes[0]} params"
    return "; ".join(v.because() for v in refused)


def tensor_lr_refused(spec: OptimizerSpec, version: str) -> str | None:
    """Return why no implementation of ``spec`` takes a tensor lr on ``version`` (quoting torch), or None."""
    _checked_release(version)
    if implementations(spec, tensor_lr=True):
        return None
    return verdict(spec, tensor_lr=True).because()


def flags_refused(spec: OptimizerSpec, version: str) -> str | None:
    """Return why ``spec`` takes none of the flags on the CPU on ``version`` (each refusal quoted), or None."""
    _checked_release(version)
    if flags(spec):
        return None
    return f"torch {versions.installed()} refuses every flag of {spec.name}: " + "; ".join(
        f"{f}=True: {flag_verdict(spec, f).refusal}" for f in FLAGS
    )


def hyperparameters(spec: OptimizerSpec) -> dict[str, Space]:
    """Return the part of the spec's constructor space the installed torch takes."""
    refused = _refused_hyperparameters(spec)
    return {name: space for name, space in spec.hyperparameters.items() if name not in refused}


@functools.cache
def _refused_hyperparameters(spec: OptimizerSpec) -> frozenset[str]:
    """Return the hyperparameters the installed torch refuses, each tried alone at its simplest value.

    They are tried together first, and alone only if that is refused, so a spec whose every
    argument is taken costs one trial. A space given as a Hypothesis strategy has no value to try
    without drawing: it counts as taken.
    """
    simplest = {name: _simplest(space) for name, space in spec.hyperparameters.items()}
    plain = tuple(sorted(((name, value) for name, value in simplest.items() if value is not _STRATEGY), key=str))
    if _verdict(spec, "cpu", (), "float32", False, plain).accepted:
        return frozenset()
    return frozenset(
        name for name, value in plain if not _verdict(spec, "cpu", (), "float32", False, ((name, value),)).accepted
    )


@functools.cache
def _mmap_verdict() -> Verdict:
    """Return the verdict on ``torch.load(mmap=True)`` of a zip checkpoint just written to a file."""
    tried = "torch.load(mmap=True)"
    with tempfile.TemporaryDirectory(prefix="compat-probe-") as folder:
        path = Path(folder) / "checkpoint.pt"
        torch.save({"lr": PROBE_LR, "step": torch.zeros(2)}, str(path))
        try:
            torch.load(str(path), mmap=True, weights_only=False)
        except Exception as error:  # whatever torch raises is its refusal, reported as one line
            return Verdict(tried, engine.error_line(error))
    return Verdict(tried)


def mmap_refused(version: str) -> str | None:
    """Return why ``torch.load`` cannot memory-map a checkpoint on ``version`` (quoting torch), or None."""
    _checked_release(version)
    found = _mmap_verdict()
    return None if found.accepted else found.because()
