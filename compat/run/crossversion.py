"""Checkpoints saved by one torch release and loaded by another.

Each release saves a deterministic fixture per subject (``save_fixtures``): the pinned case of
the subject trained ``steps_before`` steps, its optimizer (and scheduler) state, the parameters,
and the continuation it computed itself (parameters after ``steps_before + steps_after`` steps,
and the lr trajectory for schedulers). Another release loads the fixture into fresh objects built
from the same pinned case, trains on, and compares with that continuation.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import torch

from compat.catalog import claims, schedulers, specs, versions
from compat.catalog.case import Case
from compat.catalog.versions import release_of
from compat.run import engine, formats, scheduling
from compat.run.examples import pinned_case

FORMAT = 1
TOLERANCE = {"rtol": 1e-5, "atol": 1e-7}  # crossversion.optimizer.resume.close
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


def restored(spec: specs.OptimizerSpec | schedulers.SchedulerSpec, fixture: dict[str, Any]) -> tuple[Any, ...]:
    """Return (case, optimizer, scheduler or None, params) rebuilt here and loaded from ``fixture``."""
    case = fixture_case(spec)
    params = engine.parameters(case, fixture["params"])
    opt = engine.optimizer(case, params, case.fresh_kwargs, overrides=False)
    scheduler = scheduling.build(case.scheduler, opt) if case.scheduler else None
    try:
        opt.load_state_dict(fixture["optimizer"])
        if scheduler is not None:
            scheduler.load_state_dict(fixture["scheduler"])
    except Exception as error:
        raise engine.TorchRefused(f"load_state_dict raised {engine.error_line(error)}") from error
    return case, opt, scheduler, params


def resumed(spec: specs.OptimizerSpec | schedulers.SchedulerSpec, fixture: dict[str, Any]) -> dict[str, Any]:
    """Return the params (and lr trajectory) after training on from ``fixture`` here."""
    case, opt, scheduler, params = restored(spec, fixture)
    try:
        if scheduler is None:
            engine.train(case, opt, params, case.steps_before, case.steps_after)
            return {"params": [p.detach() for p in params]}
        lrs = scheduling.train(case, opt, scheduler, params, case.steps_before, case.steps_after)
    except Exception as error:
        raise engine.TorchRefused(f"training on after the load raised {engine.error_line(error)}") from error
    return {"params": [p.detach() for p in params], "lrs": lrs}


def uninterrupted(spec: specs.OptimizerSpec) -> list[torch.Tensor]:
    """Return the params this release computes training the fixture case of ``spec`` without interruption."""
    try:
        return engine.uninterrupted(fixture_case(spec)).params
    except Exception as error:
        raise engine.TorchRefused(f"training without interruption raised {engine.error_line(error)}") from error


def close(expected: list[torch.Tensor], actual: list[torch.Tensor]) -> list[str]:
    """Return the params not within TOLERANCE of the expected ones (by index)."""
    return [
        f"params[{i}]: max difference {float((e.double() - a.double()).abs().max()) if e.numel() else 0.0:.3g}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True))
        if not torch.allclose(e.double(), a.double(), **TOLERANCE)
    ]
