"""A user's checkpoint, read safely: the files of a path, what torch.load gives, where the states lie in it.

``python -m compat check`` reads with ``torch.load(weights_only=True)`` (memory-mapped where the
file's format allows, so model weights it does not read stay on disk). A file that unpickler
refuses is read again with inert placeholders for the globals it names (compat.report.unpickling:
nothing in it runs), or with ``weights_only=False`` if the user passes ``--trust-pickle``; the
refusal is then the first thing ``check`` reports.
"""

from __future__ import annotations

import contextlib
import pickle
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import torch

from compat.catalog import versions
from compat.report import frameworks, unpickling
from compat.run.engine import error_line

# torch.save's legacy (non-zip) format starts with a pickled magic number: protocol 2, LONG1, 10 bytes.
LEGACY_MAGIC = b"\x80\x02\x8a\x0al\xfc\x9cF\xf9 j\xa8P\x19."
DEPTH = 8  # how deep in dicts and lists a state is looked for (tensors are never entered)
UNSUPPORTED_GLOBAL = re.compile(r"Unsupported global: GLOBAL ([\w.]+)")
# Full unpickling's error for a class it cannot find, up to Python 3.13 and from 3.14 on: the module is
# this process's, so a class of the saving script is looked for in __main__ (compat.__main__ here).
CANNOT_GET = re.compile(r"Can't (?:get attribute|resolve path) '([\w.]+)' on <?module '([\w.]+)'")
# torch 2.6 made weights_only=True torch.load's default (serialization.py's _default_to_weights_only,
# absent in 2.5); on older releases a plain torch.load runs the file's pickle instead of refusing it.
WEIGHTS_ONLY_DEFAULT = "2.6"


class CheckpointError(Exception):
    """The path cannot be checked: missing, not a torch checkpoint, corrupt, or holding no state."""


@dataclass
class Opened:
    """What reading one file gave: its content, how it was read past a weights_only=True refusal, and why."""

    path: Path
    content: Any = None  # None only when weights_only=True refused it and the placeholder reading failed too
    refusal: str | None = None  # one line: why torch.load(weights_only=True) refused it
    refused_globals: list[str] = field(default_factory=list)  # the globals it does not allow, e.g. builtins.getattr
    trusted: bool = False  # read with weights_only=False, as --trust-pickle asked
    replaced: list[str] = field(default_factory=list)  # the globals read as inert placeholders (nothing ran)
    unimportable: str | None = None  # why --trust-pickle could not finish: a class not importable here
    unread: str | None = None  # why the placeholder reading failed
    locations: set[str] = field(default_factory=set)  # the devices its tensors were saved on
    mapped: bool = False  # read with mmap=True


def files_of(path: Path) -> list[Path]:
    """Return the checkpoint files at ``path``: the file itself, or a framework folder's state files."""
    if path.is_dir():
        found = frameworks.files_of_folder(path)
        if not found:
            listed = ", ".join(sorted(p.name for p in path.iterdir())[:12]) or "nothing"
            raise CheckpointError(
                f"{path}: a folder without optimizer.pt or scheduler.pt (the Hugging Face Trainer's) or optimizer.bin "
                f"or scheduler.bin (accelerate's) (it holds {listed})"
            )
        return found
    if not path.is_file():
        raise CheckpointError(f"{path}: no such file or folder")
    return [path]


def opened(path: Path, *, trust_pickle: bool = False) -> Opened:
    """Return ``path`` read with weights_only=True, else with placeholders (weights_only=False if trusted)."""
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
    except Exception as error:
        raise CheckpointError(f"{path}: torch.load cannot read it: {error_line(error)}") from None
    if trust_pickle:
        try:
            found.content = _loaded(path, found, weights_only=False)
            found.trusted = True
        except Exception as error:
            found.unimportable = _unimportable(error)
            if found.unimportable is None:
                raise CheckpointError(
                    f"{path}: torch.load(weights_only=False) cannot read it: {error_line(error)}"
                ) from None
    if not found.trusted:
        _read_past(found)
    found.refused_globals = _refused_names(path, text, found.replaced, zipped=zipped)
    found.refusal = _refusal_line(text, found.refused_globals)
    return found


def refusal_applies(target: str) -> bool:
    """Return whether a weights_only=True refusal applies on ``target``: whether its torch.load defaults to it."""
    return versions.at_least(target, WEIGHTS_ONLY_DEFAULT)


def _loaded(path: Path, found: Opened, *, weights_only: bool, pickle_module: Any = None) -> Any:
    def onto_cpu(storage: Any, location: str) -> Any:
        found.locations.add(location)
        return storage

    options: dict[str, Any] = {"weights_only": weights_only, "map_location": onto_cpu}
    if found.mapped:
        options["mmap"] = True
    if pickle_module is not None:
        options["pickle_module"] = pickle_module
    return torch.load(str(path), **options)


def _read_past(found: Opened) -> None:
    """Read ``found.path`` with inert placeholders for the globals it names: its content or why not, and which."""
    if not unpickling.honoured():
        found.unread = f"torch {torch.__version__}'s torch.load ignores pickle_module; it takes torch 2.0 or later"
        return
    reading = unpickling.Reading()
    try:
        found.content = _loaded(found.path, found, weights_only=False, pickle_module=reading)
    except Exception as error:  # a pickle may be malformed in any way; the reading's own refusals included
        found.unread = error_line(error)
    found.replaced = list(reading.replaced)


def _unimportable(error: Exception) -> str | None:
    """Return the line saying which global of the file full unpickling could not import here; None if not that."""
    if isinstance(error, ImportError) and error.name:
        return f"it names the module {error.name}, not installed here"
    match = CANNOT_GET.search(str(error)) if isinstance(error, AttributeError) else None
    if match is None:
        return None
    attribute, module = match.groups()
    if module == "__main__" or module.endswith(".__main__"):
        return f"it names __main__.{attribute}, a class of the script that saved it, not importable here"
    return f"it names {module}.{attribute}, which that module does not have here"


def _refused_names(path: Path, text: str, replaced: list[str], *, zipped: bool) -> list[str]:
    """Return the globals of ``path`` that weights_only=True does not allow, each as module.name.

    All of them where torch can list them (get_unsafe_globals_in_checkpoint, torch 2.6+, zip format);
    else the one its refusal names and those the placeholder reading replaced.
    """
    # torch names a builtin without "builtins." (GLOBAL getattr)
    named = {name if "." in name else f"builtins.{name}" for name in UNSUPPORTED_GLOBAL.findall(text)}
    lister = getattr(torch.serialization, "get_unsafe_globals_in_checkpoint", None)
    if lister is not None and zipped:
        with contextlib.suppress(Exception):  # it disassembles the pickle and stops at an opcode it does not know
            named.update(lister(str(path)))
    return sorted(named | set(replaced))


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
