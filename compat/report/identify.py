"""Which classes and releases can have written a state: its format matched against reports/formats.json.

Every release of the matrix recorded the format of the states it saved (compat.run.formats): an
optimizer's param-group keys and how it stores its step, a scheduler's keys. A state in a user's
file is described the same way; the (class, release) pairs whose format it matches are what can
have written it. Several classes are listed, never one picked; keys no torch class writes are set
aside and said so.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compat.catalog import versions
from compat.report import applicable
from compat.report.checkpoint_files import Located
from compat.run import formats

ADAM, ADAMW = "torch.optim.Adam", "torch.optim.AdamW"
# Keys an LR scheduler writes into its optimizer's param groups (LRScheduler: initial_lr; OneCycleLR
# and CyclicLR: the lr and momentum bounds; SWALR: swa_lr): a group holding them was scheduled.
SCHEDULER_GROUP_KEYS = frozenset({"initial_lr", "max_lr", "min_lr", "max_momentum", "base_momentum", "swa_lr"})

Formats = dict[str, dict[str, dict[str, Any]]]
"""release -> class -> {"optimizer": format} or {"scheduler": format}."""


class FormatsMissing(Exception):
    """reports/formats.json is absent or unreadable: no release can be told from a file."""


def read_formats(reports: Path) -> Formats:
    """Return the formats every release of the matrix recorded, from ``reports/formats.json``."""
    path = reports / formats.FILE
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        return {release: dict(classes) for release, classes in document["releases"].items()}
    except FileNotFoundError:
        raise FormatsMissing(f"{path} does not exist; run `python -m compat report` after a matrix run") from None
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise FormatsMissing(f"{path}: not a formats file ({type(error).__name__}: {error})") from None


@dataclass
class Identity:
    """What a state can be: candidate classes with the releases that write its format, and what else was seen."""

    kind: str
    candidates: dict[str, list[str]]  # class -> releases, oldest first
    notes: list[str] = field(default_factory=list)

    def ambiguity(self) -> str | None:
        """Return the line naming the classes it could be, when more than one."""
        if len(self.candidates) < 2:
            return None
        names = [c.rpartition(".")[2] for c in self.candidates]
        return f"{' or '.join(names)}: their states have the same keys on these releases; findings of each follow"


def identified(state: Located, table: Formats) -> Identity:
    """Return the classes and releases whose recorded format ``state`` matches."""
    if state.kind == "scheduler":
        return _scheduler(state.state, table)
    return _optimizer(state.state, table)


def _optimizer(state: Mapping[str, Any], table: Formats) -> Identity:
    described = formats.optimizer_format(state)
    written = {
        k for entries in table.values() for e in entries.values() for k in e.get("optimizer", {}).get("group_keys", [])
    }
    keys = set(described["group_keys"])
    foreign = sorted(keys - written - SCHEDULER_GROUP_KEYS)
    scheduled = sorted(keys & SCHEDULER_GROUP_KEYS)
    keys -= set(foreign) | SCHEDULER_GROUP_KEYS
    candidates: dict[str, list[str]] = defaultdict(list)
    for release, entries in table.items():
        for subject, entry in entries.items():
            known = entry.get("optimizer")
            if known and set(known["group_keys"]) == keys and _same_step(described["step"], known["step"]):
                candidates[subject].append(release)
    candidates = _narrowed(candidates, set(described["state_keys"]), table)
    notes = _optimizer_notes(state, described)
    told = _decoupled(candidates, state)
    if told:
        candidates, said = told
        notes.append(said)
    if scheduled:
        notes.append(f"its param groups hold {', '.join(scheduled)}: an LR scheduler ran on it")
    if foreign:
        notes.append(f"set aside: group keys no torch optimizer writes ({', '.join(foreign)})")
    return Identity("optimizer", _ordered(candidates), notes)


def _narrowed(candidates: dict[str, list[str]], state_keys: set[str], table: Formats) -> dict[str, list[str]]:
    """Return the candidates whose saved states hold the file's state keys, where that leaves any."""
    if len(candidates) < 2 or not state_keys:
        return candidates
    holding = {
        subject: releases
        for subject, releases in candidates.items()
        if state_keys <= {k for r in releases for k in table[r][subject]["optimizer"]["state_keys"]}
    }
    return holding or candidates


def _decoupled(candidates: dict[str, list[str]], state: Mapping[str, Any]) -> tuple[dict[str, list[str]], str] | None:
    """Return Adam or AdamW alone, where the groups' decoupled_weight_decay tells them apart (2.7 on), and why.

    From 2.7 AdamW is Adam with decoupled_weight_decay=True and both write the flag: True is AdamW (or
    Adam built with the flag, the same algorithm), False is Adam. Before 2.7 neither writes it, and
    their states are alike key for key: both stay candidates.
    """
    if not {ADAM, ADAMW} <= candidates.keys():
        return None
    values = {g.get("decoupled_weight_decay") for g in state.get("param_groups", []) if isinstance(g, Mapping)}
    if values == {True}:
        kept, said = ADAMW, "decoupled_weight_decay=True: AdamW (or Adam built with it, the same algorithm)"
    elif values == {False}:
        kept, said = ADAM, "decoupled_weight_decay=False: Adam, not AdamW (which always writes True)"
    else:
        return None
    return {kept: candidates[kept]}, said


def _same_step(found: str | None, known: str | None) -> bool:
    """Return whether steps stored as ``found`` can come from a release that stores them as ``known``."""
    if found is None or known is None:  # a state never stepped, or a class without a step
        return True
    return found.split()[0] == known.split()[0]  # a tensor step's dtype follows the params on some releases


def _optimizer_notes(state: Mapping[str, Any], described: dict[str, Any]) -> list[str]:
    held = applicable.facts(state)
    notes = []
    if held.flags:
        notes.append(f"flags set in its param groups: {', '.join(f'{f}=True' for f in sorted(held.flags))}")
    if held.tensor_lr:
        notes.append("lr is a tensor")
    if held.dtypes:
        notes.append(f"state dtypes: {', '.join(sorted(held.dtypes))}; step stored as {described['step'] or 'nothing'}")
    notes.append(f"{held.groups} param group(s), state for {len(state.get('state', {}))} param(s)")
    return notes


def _scheduler(state: Mapping[str, Any], table: Formats) -> Identity:
    keys = set(formats.scheduler_format(state)["keys"])
    candidates: dict[str, list[str]] = defaultdict(list)
    for release, entries in table.items():
        for subject, entry in entries.items():
            known = entry.get("scheduler")
            if known and set(known["keys"]) == keys:
                candidates[subject].append(release)
    notes = [f"last_epoch {state['last_epoch']}"] if "last_epoch" in state else []
    return Identity("scheduler", _ordered(candidates), notes)


def _ordered(candidates: Mapping[str, list[str]]) -> dict[str, list[str]]:
    return {s: sorted(set(r), key=versions.release) for s, r in sorted(candidates.items())}
