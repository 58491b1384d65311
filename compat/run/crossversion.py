"""Checkpoints saved by one torch release and loaded by another.

Each release saves a deterministic fixture per subject (``save_fixtures``): the pinned case of
the subject trained ``steps_before`` steps, its optimizer (and scheduler) state, the parameters,
and the continuation it computed itself (parameters after ``steps_before + steps_after`` steps,
and the lr trajectory for schedulers). Another release loads the fixture into fresh objects built
from the same pinned case, trains on, and compares with that continuation.
"""

from __future__ import annotations

import functools
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import torch

from compat.catalog import claims, schedulers, specs, versions
from compat.catalog.case import Case
from compat.catalog.versions import release_of
from compat.run import engine, formats, runs, scheduling
from compat.run.examples import pinned_case

FORMAT = 1
# torch 1.13's weights_only unpickler cannot read a Python float: claims about what a checkpoint holds
# read it there with the release's default load (pickle, of a file this project wrote).
SAFE = True if versions.weights_only_reads_floats(versions.installed()) else None
# How the claims about loading read a checkpoint (torch.load's weights_only; None: the release's default).
# The others read it weights_only where the release can (SAFE).
READS: dict[str, bool | None] = {
    "crossversion.optimizer.loads": None,
    "crossversion.optimizer.loads.weights-only": True,
    "crossversion.scheduler.loads": None,
    "crossversion.scheduler.loads.weights-only": True,
    "crossversion.scheduler.resume": False,  # a scheduler's state may hold callables
}
_OPTIMIZER_CASE = "optimizer.resume.bitwise"
_SCHEDULER_CASE = "scheduler.resume.lr-trajectory"


def fixture_case(spec: specs.OptimizerSpec | schedulers.SchedulerSpec) -> Case:
    """Return the case a fixture of ``spec`` is made from, the same in every release."""
    kind = _SCHEDULER_CASE if isinstance(spec, schedulers.SchedulerSpec) else _OPTIMIZER_CASE
    return pinned_case(spec, claims.get(kind))


def fixture_path(folder: Path, release: str, spec: specs.OptimizerSpec | schedulers.SchedulerSpec) -> Path:
    """Return where ``release`` keeps its fixture of ``spec``."""
    return folder / release / f"{spec.name}.pt"


def payload(spec: specs.OptimizerSpec | schedulers.SchedulerSpec) -> dict[str, Any]:
    """Return the fixture of ``spec`` this release saves: state at the save point and its continuation."""
    case = fixture_case(spec)
    params = engine.parameters(case)
    opt = engine.optimizer(case, params, case.kwargs)
    payload: dict[str, Any] = {"format": FORMAT, "torch": versions.installed(), "subject": spec.target}
    if case.scheduler is None:
        engine.train(case, opt, params, 0, case.steps_before)
        continuation = {"params": engine.uninterrupted(case).params}
    else:
        scheduler = scheduling.build(case.scheduler, opt)
        scheduling.train(case, opt, scheduler, params, 0, case.steps_before)
        payload["scheduler"] = scheduler.state_dict()
        straight = scheduling.uninterrupted(case)
        continuation = {"params": straight.params, "lrs": straight.trajectory}
    payload.update(optimizer=opt.state_dict(), params=[p.detach() for p in params], continuation=continuation)
    return payload


def refusal_path(path: Path) -> Path:
    """Return where the reason lies when torch could not save the fixture at ``path``."""
    return path.with_suffix(".refused.txt")


def save_fixtures(folder: Path) -> list[Path]:
    """Write this release's fixture of every present subject into ``folder/<release>/``; return the paths.

    A subject torch cannot checkpoint on this release gets ``<name>.refused.txt`` with the reason
    instead (a finding: other releases then have nothing of it to load). The formats of the states
    saved go into ``formats.json`` there (compat.run.formats).
    """
    release = release_of(versions.installed())
    written = []
    kept: dict[str, dict[str, Any]] = {}
    present = [s for s in [*specs.specs().values(), *schedulers.specs().values()] if not s.absent_because(release)]
    for spec in present:
        path = fixture_path(folder, release, spec)
        path.parent.mkdir(parents=True, exist_ok=True)
        refusal_path(path).unlink(missing_ok=True)
        try:
            saved = payload(spec)
            with _replacing(path) as temporary:
                torch.save(saved, temporary)
        except Exception as error:
            path.unlink(missing_ok=True)
            refusal_path(path).write_text(
                f"torch {release} cannot save it: {engine.error_line(error)}\n", encoding="utf-8"
            )
            continue
        written.append(path)
        kept[spec.target] = saved
    with _replacing(folder / release / formats.FILE) as temporary:
        temporary.write_text(json.dumps(formats.fixture_formats(kept), indent=1) + "\n", encoding="utf-8")
    return written


@contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary file beside ``path`` that replaces it once the block is through; else it is removed."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(handle)
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def releases_with_fixtures(folder: Path | None, own: str) -> list[str]:
    """Return the releases other than ``own`` that left fixtures in ``folder``, oldest first."""
    if folder is None or not folder.is_dir():
        return []
    found = [p.name for p in folder.iterdir() if p.is_dir() and p.name != own and p.name in versions.SUPPORTED]
    return sorted(found, key=versions.release)


def load_fixture(path: Path, weights_only: bool | None) -> dict[str, Any]:
    """Return a fixture this project wrote, loaded with ``weights_only`` (None: the release's default)."""
    options = {} if weights_only is None else {"weights_only": weights_only}
    try:
        return torch.load(path, **options)
    except Exception as error:
        mode = "default" if weights_only is None else weights_only
        raise engine.TorchRefused(
            f"torch.load({path.name}, weights_only={mode}) raised {engine.error_line(error)}"
        ) from error


class Fixture:
    """The runs a cross-version check takes (compat/catalog/checks/crossversion.py), from another release's checkpoint.

    ``loaded`` is the checkpoint at ``path`` as torch.load reads it with ``weights_only``;
    ``continuation`` what the saving release computed on from the save point; ``fresh_params``,
    ``fresh`` and ``fresh_sched`` the objects built here and loaded from it (scheduler first);
    ``straight_params`` this release's own uninterrupted run; ``train``, ``m`` and ``n`` as
    compat.run.runs has them. Each is computed on first use; torch refusing to read or load the
    checkpoint, or to train the uninterrupted run, raises TorchRefused: the claim's violation.
    """

    def __init__(
        self, spec: specs.OptimizerSpec | schedulers.SchedulerSpec, path: Path, weights_only: bool | None
    ) -> None:
        self.case = fixture_case(spec)
        self.path = path
        self.weights_only = weights_only
        self.runs = runs.Runs(self.case)

    @property
    def m(self) -> int:
        """Return the number of steps after the load."""
        return self.runs.m

    @property
    def n(self) -> int:
        """Return the number of steps before the save."""
        return self.runs.n

    @property
    def train(self) -> Callable[..., Any]:
        """Return the training loop (compat.run.runs.Runs.train)."""
        return self.runs.train

    @functools.cached_property
    def loaded(self) -> dict[str, Any]:
        """Return the checkpoint as torch.load gave it back here."""
        return load_fixture(self.path, self.weights_only)

    @property
    def continuation(self) -> dict[str, Any]:
        """Return what the saving release computed on from the save point: params (and what each step used)."""
        return self.loaded["continuation"]

    @functools.cached_property
    def fresh_params(self) -> list[torch.Tensor]:
        """Return the params built here from the saved ones."""
        return engine.parameters(self.case, self.loaded["params"])

    @functools.cached_property
    def _resumed(self) -> tuple[torch.optim.Optimizer, Any]:
        case = self.case
        if case.scheduler is not None:
            return scheduling.resumed_objects(case, self.loaded, self.fresh_params, "scheduler-first")
        opt = engine.optimizer(case, self.fresh_params, case.fresh_kwargs, overrides=False)
        try:
            opt.load_state_dict(self.loaded["optimizer"])
        except Exception as error:
            raise engine.TorchRefused(f"load_state_dict raised {engine.error_line(error)}") from error
        return opt, None

    @property
    def fresh(self) -> torch.optim.Optimizer:
        """Return the optimizer built here and loaded from the checkpoint."""
        return self._resumed[0]

    @property
    def fresh_sched(self) -> Any:
        """Return the scheduler built here (before the optimizer's load) and loaded from the checkpoint."""
        return self._resumed[1]

    @functools.cached_property
    def straight_params(self) -> list[torch.Tensor]:
        """Return the params this release computes training the case without interruption."""
        try:
            return self.runs.straight_params
        except Exception as error:
            raise engine.TorchRefused(f"training without interruption raised {engine.error_line(error)}") from error

    def arguments(self, function: Callable[..., Any]) -> dict[str, Any]:
        """Return the value of each of ``function``'s parameters: the run it names."""
        return {name: getattr(self, name) for name in runs.parameters(function)}


def weights_only(claim: claims.Claim) -> bool | None:
    """Return how ``claim`` reads a checkpoint: torch.load's weights_only (None: the release's default)."""
    return READS.get(claim.id, SAFE)


def problems(claim: claims.Claim, fixture: Fixture) -> list[str]:
    """Return what ``claim``'s check finds wrong with ``fixture`` (nothing: it holds)."""
    check = runs.check_function(claim)
    return check(**fixture.arguments(check))
