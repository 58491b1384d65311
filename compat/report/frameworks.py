"""Which training framework wrote a checkpoint, and how it restores the optimizer and scheduler.

PyTorch Lightning (a ``.ckpt`` dict with ``optimizer_states`` and ``lr_schedulers``), the Hugging
Face Trainer (a ``checkpoint-N`` folder: ``optimizer.pt``, ``scheduler.pt``, ``trainer_state.json``)
and accelerate (``save_state``: ``optimizer.bin``, ``scheduler.bin``, one per prepared object) all
build the optimizer and the scheduler in the resumed run first, then load both states into them:
the ``scheduler-first`` order of the matrix (compat.run.scheduling). Their own resumes were checked
against uninterrupted runs (tests/test_frameworks.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TRAINER_STATE = "trainer_state.json"
HF_FILES = ("optimizer.pt", "scheduler.pt")
ACCELERATE_FILE = re.compile(r"(optimizer|scheduler)(_\d+)?\.bin")
LIGHTNING_KEYS = ("optimizer_states", "lr_schedulers")


@dataclass(frozen=True)
class Framework:
    """A framework that wrote a checkpoint: its id, its name, the restore order it uses, and what says so."""

    id: str  # "lightning", "hf-trainer", "accelerate"
    name: str
    order: str
    seen: str  # what in the checkpoint shows it
    steps: dict[str, Any] = field(default_factory=dict)  # its own step counts: max_steps, global_step


LIGHTNING = ("lightning", "PyTorch Lightning")
HF_TRAINER = ("hf-trainer", "the Hugging Face Trainer")
ACCELERATE = ("accelerate", "accelerate")
ORDER = "scheduler-first"  # each builds both objects, then loads both states into them


def files_of_folder(folder: Path) -> list[Path]:
    """Return a framework folder's state files: the HF Trainer's .pt files, else accelerate's .bin files."""
    found = [folder / name for name in HF_FILES if (folder / name).is_file()]
    if found:
        return found
    return sorted((p for p in folder.iterdir() if ACCELERATE_FILE.fullmatch(p.name)), key=_accelerate_order)


def _accelerate_order(path: Path) -> tuple[str, int]:
    kind, _, number = path.stem.partition("_")
    return kind, int(number or 0)


def detected(path: Path, contents: Mapping[Path, Any]) -> Framework | None:
    """Return the framework whose layout ``path`` (a file or folder) has, given the content read from each file."""
    if path.is_dir():
        names = {p.name for p in contents}
        trainer = path / TRAINER_STATE
        if names & set(HF_FILES) and trainer.is_file():
            return Framework(*HF_TRAINER, ORDER, f"{', '.join(sorted(names))} beside {TRAINER_STATE}", _steps(trainer))
        if any(ACCELERATE_FILE.fullmatch(name) for name in names):
            return Framework(*ACCELERATE, ORDER, f"a save_state folder ({', '.join(sorted(names))})")
        return None
    content = next(iter(contents.values()), None)
    if isinstance(content, Mapping) and (
        "pytorch-lightning_version" in content or all(k in content for k in LIGHTNING_KEYS)
    ):
        version = content.get("pytorch-lightning_version")
        seen = f"a .ckpt of Lightning {version}" if version else f"a dict with {' and '.join(LIGHTNING_KEYS)}"
        steps = {k: content[k] for k in ("global_step", "epoch") if isinstance(content.get(k), int)}
        return Framework(*LIGHTNING, ORDER, seen, steps)
    return None


def _steps(trainer: Path) -> dict[str, Any]:
    """Return the step counts trainer_state.json holds (max_steps, global_step), or none where it is not JSON."""
    try:
        state = json.loads(trainer.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(state, dict):
        return {}
    return {k: state[k] for k in ("max_steps", "global_step") if isinstance(state.get(k), int)}
