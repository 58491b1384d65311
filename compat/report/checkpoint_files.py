"""A user's checkpoint, read safely: the files of a path, what torch.load gives, where the states lie in it.

``python -m compat check`` reads with ``torch.load(weights_only=True)`` (memory-mapped where the
file's format allows, so model weights it does not read stay on disk). A file that unpickler
refuses is not loaded at all unless the user passes ``--trust-pickle``; the refusal is then the
first thing ``check`` reports.
"""

from __future__ import annotations

import pickle
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import torch

from compat.run.engine import error_line

# torch.save's legacy (non-zip) format starts with a pickled magic number: protocol 2, LONG1, 10 bytes.
LEGACY_MAGIC = b"\x80\x02\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19."
# The Hugging Face Trainer's checkpoint folder: one file per state, beside trainer_state.json.
TRAINER_FILES = ("optimizer.pt", "scheduler.pt")
TRAINER_STATE = "trainer_state.json"
DEPTH = 4  # how deep in dicts and lists a state is looked for
UNSUPPORTED_GLOBAL = re.compile(r"Unsupported global: GLOBAL ([\w.]+)")


class CheckpointError(Exception):
    """The path cannot be checked: missing, not a torch checkpoint, corrupt, or holding no state."""


@dataclass
class Opened:
    """What reading one file gave: its content, or why weights_only=True refused it."""

    path: Path
    content: Any = None
    refusal: str | None = None  # one line: why torch.load(weights_only=True) refused it
    refused_globals: list[str] = field(default_factory=list)  # what torch named as not allowed
    trusted: bool = False  # read with weights_only=False, as --trust-pickle asked
    locations: set[str] = field(default_factory=set)  # the devices its tensors were saved on
    mapped: bool = False  # read with mmap=True


def files_of(path: Path) -> list[Path]:
    """Return the checkpoint files at ``path``: the file itself, or a Trainer folder's state files."""
    if path.is_dir():
        found = [path / name for name in TRAINER_FILES if (path / name).is_file()]
        if not found:
            listed = ", ".join(sorted(p.name for p in path.iterdir())[:12]) or "nothing"
            raise CheckpointError(f"{path}: a folder without {' or '.join(TRAINER_FILES)} (it holds {listed})")
        return found
    if not path.is_file():
        raise CheckpointError(f"{path}: no such file or folder")
    return [path]


def opened(path: Path, *, trust_pickle: bool = False) -> Opened:
    """Return ``path`` read with weights_only=True, or its refusal (read with weights_only=False if trusted)."""
    zipped = zipfile.is_zipfile(path)
    if not zipped and _starts_with(path, b"PK\x03\x04"):
        raise CheckpointError(f"{path}: a truncated or corrupt checkpoint (its zip archive has no central directory)")
    if not zipped and not _starts_with(path, LEGACY_MAGIC):
        raise CheckpointError(f"{path}: not a torch checkpoint (neither torch.save's zip format nor its legacy format)")
    found = Opened(path, mapped=zipped and _maps_files())
    try:
        found.content = _loaded(path, found, weights_only=True)
        return found
    except pickle.UnpicklingError as error:
        text = str(error)
        found.refused_globals = sorted(set(UNSUPPORTED_GLOBAL.findall(text)))
        found.refusal = _refusal_line(text, found.refused_globals)
    except Exception as error:
        raise CheckpointError(f"{path}: torch.load cannot read it: {error_line(error)}") from None
    if trust_pickle:
        try:
            found.content = _loaded(path, found, weights_only=False)
        except Exception as error:
            raise CheckpointError(
                f"{path}: torch.load(weights_only=False) cannot read it: {error_line(error)}"
            ) from None
        found.trusted = True
    return found


def _loaded(path: Path, found: Opened, *, weights_only: bool) -> Any:
    def onto_cpu(storage: Any, location: str) -> Any:
        found.locations.add(location)
        return storage

    options: dict[str, Any] = {"weights_only": weights_only, "map_location": onto_cpu}
    if found.mapped:
        options["mmap"] = True
    return torch.load(str(path), **options)


def _maps_files() -> bool:
    import inspect

    return "mmap" in inspect.signature(torch.load).parameters


def _starts_with(path: Path, prefix: bytes) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(prefix)) == prefix


def _refusal_line(text: str, refused: list[str]) -> str:
    if refused:
        return f"torch.load(weights_only=True) refuses it: it holds {', '.join(refused)}, not allowed by default"
    lines = [line.strip() for line in text.splitlines()]
    said = next((line for line in lines if "unsupported GLOBAL" in line or "WeightsUnpickler error" in line), lines[0])
    return f"torch.load(weights_only=True) refuses it: {said.removeprefix('Please file an issue with the following ')}"


@dataclass(frozen=True)
class Located:
    """One optimizer or scheduler state found in a checkpoint, and where."""

    where: str  # e.g. checkpoint["optimizer_states"][0]
    kind: Literal["optimizer", "scheduler"]
    state: Mapping[str, Any]


def is_optimizer_state(value: Any) -> bool:
    """Return whether ``value`` looks like ``optimizer.state_dict()``: state and param_groups with params."""
    if not isinstance(value, Mapping) or not isinstance(value.get("state"), Mapping):
        return False
    groups = value.get("param_groups")
    return isinstance(groups, list) and all(isinstance(g, Mapping) and "params" in g for g in groups)


def is_scheduler_state(value: Any) -> bool:
    """Return whether ``value`` looks like a scheduler's ``state_dict()`` (last_epoch, or composite children)."""
    return isinstance(value, Mapping) and ("last_epoch" in value or "_schedulers" in value)


def located(content: Any, root: str = "checkpoint") -> list[Located]:
    """Return every optimizer and scheduler state in ``content``, outermost first, in the order kept."""
    return list(_walk(content, root, DEPTH))


def _walk(value: Any, where: str, depth: int) -> Iterator[Located]:
    if is_optimizer_state(value):
        yield Located(where, "optimizer", value)
        return
    if is_scheduler_state(value):
        yield Located(where, "scheduler", value)
        return
    if depth == 0 or isinstance(value, torch.Tensor):
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(item, torch.Tensor):
                yield from _walk(item, f"{where}[{key!r}]", depth - 1)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _walk(item, f"{where}[{index}]", depth - 1)


def seen_keys(content: Any) -> str:
    """Return what ``content`` holds at its top level, for the line saying no state was found."""
    if isinstance(content, Mapping):
        keys = [repr(k) for k in list(content)[:20]]
        more = f" and {len(content) - 20} more" if len(content) > 20 else ""
        return f"a dict with keys {', '.join(keys)}{more}" if keys else "an empty dict"
    if isinstance(content, (list, tuple)):
        return f"a {type(content).__name__} of {len(content)} items, none a state"
    return f"a {type(content).__name__}"
