"""The round-trip engine: build objects from a case, train, save, load, restore, train on.

Plain Python over real torch (no pytest, no Hypothesis), so a reproducer or another tool can
drive it. Every run is deterministic: parameter values and training targets come from
generators seeded by the case's seed, the parameter index and the step.
"""

from __future__ import annotations

import atexit
import functools
import io
import itertools
import os
import pickle
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from compat.catalog import specs
from compat.catalog.case import Case, SaveLoad, TensorLr
from compat.catalog.refusals import LOAD_STATE_DICT, SAVE, WEIGHTS_ONLY

DTYPES: dict[str, torch.dtype] = {
    "float32": torch.float32,
    "float64": torch.float64,
    "bfloat16": torch.bfloat16,
    "float16": torch.float16,
}


GLOBAL_RNG = 999  # the index whose seed torch's global generator gets before each step


def seed_for(case_seed: int, index: int, step: int) -> int:
    """Return the generator seed for parameter ``index`` at ``step`` (-1: initial values)."""
    return (case_seed * 1000 + index) * 1000 + step + 1


def _seeded(shape: tuple[int, ...], seed: int) -> torch.Tensor:
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed))


def constructor_value(value: Any, device: str) -> Any:
    """Return ``value`` as the constructor takes it (a TensorLr becomes a 0-d tensor)."""
    if isinstance(value, TensorLr):
        return torch.tensor(value.value, device=device)
    return value


def parameters(
    case: Case,
    values: list[torch.Tensor] | None = None,
    *,
    device: str | None = None,
    dtype: str | None = None,
) -> list[torch.Tensor]:
    """Return the case's parameters, seeded or copied from ``values``, ready to optimize.

    With ``differentiable=True`` torch runs the update under autograd and refuses to update a
    leaf that requires grad in place, so there no parameter requires grad; gradients come from
    ``gradients()`` either way.
    """
    differentiable = bool(case.kwargs.get("differentiable"))
    tensors = []
    for index, param in enumerate(case.layout.params):
        base = values[index] if values is not None else _seeded(param.shape, seed_for(case.seed, index, -1))
        tensor = base.detach().to(device=device or case.device, dtype=DTYPES[dtype or param.dtype]).clone()
        tensor.requires_grad_(param.role != "frozen" and not differentiable)
        tensors.append(tensor)
    return tensors


def optimizer(
    case: Case,
    params: list[torch.Tensor],
    kwargs: dict[str, Any],
    *,
    overrides: bool = True,
    groups: list[list[int]] | None = None,
) -> torch.optim.Optimizer:
    """Return the subject optimizer over ``params`` grouped as the layout says (or as ``groups`` of positions).

    With ``overrides`` group ``i`` gets the layout's group ``i``'s per-group arguments.
    """
    spec = specs.get(case.subject)
    device = str(params[0].device) if params else case.device
    chosen = [list(g.params) for g in case.layout.groups] if groups is None else groups
    entries = []
    for index, indices in enumerate(chosen):
        entry: dict[str, Any] = {"params": [params[i] for i in indices], **spec.group_keys}
        if overrides and index < len(case.layout.groups):
            entry.update({k: constructor_value(v, device) for k, v in case.layout.groups[index].overrides.items()})
        entries.append(entry)
    built = {k: constructor_value(v, device) for k, v in kwargs.items()}
    return spec.load()(entries, **built)


def targets(case: Case, step: int) -> list[torch.Tensor]:
    """Return the seeded targets that define the loss at ``step`` (one per parameter)."""
    return [_seeded(p.shape, seed_for(case.seed, i, step)) for i, p in enumerate(case.layout.params)]


def loss(case: Case, params: list[torch.Tensor], step: int) -> torch.Tensor:
    """Return the seeded quadratic loss at ``step`` over the parameters that train."""
    sparse = specs.get(case.subject).grad == "sparse"
    total = torch.zeros((), device=params[0].device)
    for index, (spec, param, target) in enumerate(zip(case.layout.params, params, targets(case, step), strict=True)):
        if spec.role != "trained":
            continue
        target = target.to(param.device)
        if sparse:
            rows = sparse_rows(case, index, step)
            picked = torch.nn.functional.embedding(rows.to(param.device), param, sparse=True)
            total = total + ((picked.float() - target[rows.to(param.device)]) ** 2).sum() / 2
        else:
            total = total + ((param.float() - target) ** 2).sum() / 2
    return total


def sparse_rows(case: Case, index: int, step: int) -> torch.Tensor:
    """Return the rows an embedding lookup touches for a sparse-gradient parameter."""
    rows = case.layout.params[index].shape[0]
    generator = torch.Generator().manual_seed(seed_for(case.seed, index, step) + 7)
    return torch.randint(0, rows, (max(1, rows // 2),), generator=generator)


def gradients(case: Case, params: list[torch.Tensor], step: int) -> tuple[torch.Tensor, list[torch.Tensor | None]]:
    """Return the loss at ``step`` and each parameter's gradient (None where it gets none).

    The loss is taken on detached views, so no autograd graph ever reaches the parameters.
    """
    views = [
        p.detach().requires_grad_(spec.role == "trained") for spec, p in zip(case.layout.params, params, strict=True)
    ]
    value = loss(case, views, step)
    if value.requires_grad:
        value.backward()
    return value.detach(), [view.grad for view in views]


def _seed_global_generators(seed: int) -> None:
    # torch.manual_seed also queues a lazy CUDA seeding that records a stack trace (7 ms a call on 2.15)
    torch.default_generator.manual_seed(seed)
    if torch.cuda.is_initialized():
        torch.cuda.manual_seed_all(seed)


def train(case: Case, opt: torch.optim.Optimizer, params: list[torch.Tensor], start: int, steps: int) -> None:
    """Run ``steps`` optimizer steps from global step ``start`` on the seeded loss."""
    spec = specs.get(case.subject)
    uses_closure = spec.closure
    if spec.train_mode and hasattr(opt, spec.train_mode):  # another class's optimizer has no such mode
        getattr(opt, spec.train_mode)()
    for step in range(start, start + steps):
        # an optimizer that draws from the global generator (power iteration, noise) draws the same
        # numbers at the same step in every run, as a resumed run that restores torch's rng state does
        _seed_global_generators(seed_for(case.seed, GLOBAL_RNG, step))

        def closure(step: int = step) -> torch.Tensor:
            opt.zero_grad(set_to_none=True)
            value, grads = gradients(case, params, step)
            for param, grad in zip(params, grads, strict=True):
                if grad is not None:
                    param.grad = grad
            return value

        if uses_closure:
            opt.step(closure)
        else:
            closure()
            opt.step()


def snapshot(value: Any) -> Any:
    """Return a deep copy of nested containers whose tensors are detached clones."""
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, dict):
        copied = value.copy()  # keeps the mapping's own type (a Counter stays a Counter)
        for key, item in value.items():
            copied[key] = snapshot(item)
        return copied
    if isinstance(value, deque):  # a live deque (AdaShift's grad queue) grows with training: copy it too
        return deque((snapshot(v) for v in value), maxlen=value.maxlen)
    if isinstance(value, (list, tuple)):
        return type(value)(snapshot(v) for v in value)
    return value


def map_location(options: SaveLoad, device: str) -> Any:
    """Return the ``map_location`` argument the options name, for loading onto ``device``."""
    if options.map_location == "none":
        return None
    if options.map_location == "cpu":
        return "cpu"
    if options.map_location == "device":
        return torch.device(device)
    return _to_device_callable(device)


def _to_device_callable(device: str) -> Callable[[Any, str], Any]:
    if device == "cpu":
        return lambda storage, location: storage
    return lambda storage, location: storage.to(device)


def save_options(options: SaveLoad) -> dict[str, Any]:
    """Return the keyword arguments ``torch.save`` gets under ``options``."""
    return {"_use_new_zipfile_serialization": False} if options.legacy_format else {}


def load_options(options: SaveLoad, device: str) -> dict[str, Any]:
    """Return the keyword arguments ``torch.load`` gets under ``options``."""
    kwargs: dict[str, Any] = {"weights_only": options.weights_only}
    location = map_location(options, device)
    if location is not None:
        kwargs["map_location"] = location
    if options.mmap:
        kwargs["mmap"] = True
    return kwargs


def error_line(error: BaseException) -> str:
    """Return ``Type: first line of the message``, the one line a refusal is reported with."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text.splitlines()[0] if text else ''}"


# NOTE: [refusals a claim owns]
# A refusal that has a claim of its own (Claim.refusals) is that claim's violation only: torch.load
# refusing a checkpoint under weights_only=True belongs to the weights_only claims, load_state_dict
# refusing the subject's own checkpoint to optimizer.resume.bitwise. Any other claim cannot be
# checked on such a case and leaves it (compat.record.claim_tests.reproducible). torch.save failing to write the
# checkpoint belongs to the round-trip claims and to the claims about saving callables: no other claim can be
# checked without a checkpoint, so it is counted once, not once per restore order. Refusals without a kind (a
# scheduler's load) stay the violation of whichever claim meets them.


class Inapplicable(Exception):
    """A claim cannot be checked on this case (its data function says why); its property test leaves the case."""


class TorchRefused(RuntimeError):
    """torch.save, torch.load or load_state_dict raised: a finding about torch, not a harness bug.

    ``kind`` is WEIGHTS_ONLY or LOAD_STATE_DICT where a claim owns the refusal (NOTE: [refusals a
    claim owns]), else "".
    """

    def __init__(self, message: str, kind: str = "") -> None:
        super().__init__(message)
        self.kind = kind


def _load_refusal(message: str, error: Exception, options: SaveLoad) -> TorchRefused:
    """Return the TorchRefused for ``torch.load`` raising ``error`` under ``options``."""
    kind = WEIGHTS_ONLY if options.weights_only and isinstance(error, pickle.UnpicklingError) else ""
    return TorchRefused(f"{message} raised {error_line(error)}", kind)


def through_storage(obj: Any, options: SaveLoad, device: str = "cpu") -> Any:
    """Return what ``torch.load`` gives back for ``obj`` saved and loaded under ``options``."""
    try:
        return _through_storage(obj, options, device)
    except TorchRefused:
        raise
    except Exception as error:
        raise TorchRefused(f"torch.save/torch.load raised {error_line(error)}") from error


def _through_storage(obj: Any, options: SaveLoad, device: str) -> Any:
    if options.medium == "buffer":
        buffer = io.BytesIO()
        _saved(obj, buffer, options)
        buffer.seek(0)
        try:
            return torch.load(buffer, **load_options(options, device))
        except Exception as error:
            raise _load_refusal("torch.load", error, options) from error
    with _scratch_file() as path:
        write_checkpoint(obj, path, options)
        return read_checkpoint(path, options, device)


def write_checkpoint(obj: Any, path: Path, options: SaveLoad) -> None:
    """Save ``obj`` to ``path`` with ``torch.save`` under ``options``; a refusal raises TorchRefused (SAVE)."""
    _saved(obj, str(path), options)


def _saved(obj: Any, target: Any, options: SaveLoad) -> None:
    try:
        torch.save(obj, target, **save_options(options))
    except Exception as error:
        raise TorchRefused(f"torch.save raised {error_line(error)}", SAVE) from error


def read_checkpoint(path: Path, options: SaveLoad, device: str = "cpu") -> Any:
    """Return what ``torch.load`` reads from ``path``; a file it cannot read raises TorchRefused.

    Only for files this project wrote: ``weights_only`` comes from ``options``.
    """
    try:
        return torch.load(str(path), **load_options(options, device))  # mmap wants a str before 2.3
    except Exception as error:
        raise _load_refusal(f"torch.load({path})", error, options) from error


@functools.cache
def _scratch_folder() -> Path:
    """Return this process's folder for checkpoints in flight, made once and removed at exit."""
    folder = Path(tempfile.mkdtemp(prefix=f"compat-{os.getpid()}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@contextmanager
def _scratch_file() -> Iterator[Path]:
    """Yield a fresh checkpoint path in the scratch folder, removed afterwards (a folder per file cost 1 ms)."""
    path = _scratch_folder() / f"checkpoint-{next(_CHECKPOINTS)}.pt"
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


_CHECKPOINTS = itertools.count()


def checkpoint(case: Case) -> tuple[torch.optim.Optimizer, list[torch.Tensor]]:
    """Return the original optimizer and parameters after ``steps_before`` steps."""
    params = parameters(case)
    opt = optimizer(case, params, case.kwargs)
    train(case, opt, params, 0, case.steps_before)
    return opt, params


def restored(
    case: Case, loaded: dict[str, Any], params: list[torch.Tensor] | None = None
) -> tuple[torch.optim.Optimizer, list[torch.Tensor]]:
    """Return fresh objects built with ``fresh_kwargs`` after loading the checkpoint (over ``params`` if given)."""
    if params is None:
        params = parameters(case, loaded["params"], device=case.load_device, dtype=case.load_dtype)
    opt = optimizer(case, params, case.fresh_kwargs, overrides=False)
    try:
        opt.load_state_dict(loaded["optimizer"])
    except Exception as error:
        raise TorchRefused(f"load_state_dict raised {type(error).__name__}: {error}", LOAD_STATE_DICT) from error
    return opt, params


@dataclass
class Trained:
    """Parameters and optimizer state at the end of a run."""

    params: list[torch.Tensor]
    state_dict: dict[str, Any]


def uninterrupted(case: Case) -> Trained:
    """Return the end of the run that trains ``steps_before + steps_after`` steps in one go."""
    params = parameters(case)
    opt = optimizer(case, params, case.kwargs)
    train(case, opt, params, 0, case.steps_before + case.steps_after)
    return Trained([p.detach() for p in params], snapshot(opt.state_dict()))
