"""``python -m compat check PATH``: what happens when this checkpoint is resumed on torch X, from the matrix.

For every optimizer and scheduler state in the file (or a Trainer folder), it names the classes and
releases that can have written it (compat.report.identify) and lists the findings of
``reports/matrix.json`` that apply when it is loaded on the target release: the cross-release ones
for each possible saving release, the device-flag ones where its groups carry flags, and with
``--order`` the ones of that restore order. One line per finding: kind, claim, why, what to do,
link, reproducer. Exit status: 0 nothing applies, 1 something does, 2 the input cannot be checked.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compat.catalog import claims, versions
from compat.matrix import merge
from compat.report import checkpoint_files, identify, lookup
from compat.report.answers import ranges, short
from compat.report.checkpoint_files import CheckpointError, Located, Opened
from compat.run import resumption

FLAG_CLAIMS = ("optimizer.load.flags-from-another-device", "optimizer.flags.restored")
ORDER_CLAIMS = ("scheduler.resume.lr-trajectory", "scheduler.resume.params-bitwise")


@dataclass(frozen=True)
class Applied:
    """One finding that applies to one state: for which saving releases (all it can come from, or these)."""

    where: str
    subject: str
    finding: str
    savers: tuple[str, ...]


@dataclass
class Checked:
    """The lines ``check`` prints, the states it identified and the findings that apply."""

    lines: list[str]
    refused: int  # files torch.load(weights_only=True) refused: the first finding of each
    identities: dict[str, identify.Identity] = field(default_factory=dict)  # by where the state lies
    applied: list[Applied] = field(default_factory=list)

    @property
    def applying(self) -> int:
        """Return how many findings apply: the refusals and the matrix's findings."""
        return self.refused + len(self.applied)

    @property
    def status(self) -> int:
        """Return the exit status: 1 when anything applies, else 0."""
        return 1 if self.applying else 0


def checked(path: Path, *, target: str, reports: Path, trust_pickle: bool = False, order: str | None = None) -> Checked:
    """Return what applies when the checkpoint at ``path`` is loaded on ``target``; CheckpointError if it cannot say."""
    matrix = _matrix(reports)
    table = identify.read_formats(reports)
    installed = versions.release_of(versions.installed())
    lines = [f"check: {path} loaded on torch {target} (read here with torch {versions.installed()})"]
    refused = 0
    states: list[Located] = []
    for file in checkpoint_files.files_of(path):
        found = checkpoint_files.opened(file, trust_pickle=trust_pickle)
        lines.append(f"{file}: {_how_read(found)}")
        if found.refusal:
            refused += 1
            lines.append(f"  [refused] {found.refusal} (torch {installed}). {_to_load(found)}")
            if not found.trusted:
                continue
        root = "checkpoint" if file == path else file.name
        in_file = checkpoint_files.located(found.content, root)
        if not in_file:
            raise CheckpointError(
                f"{file}: no optimizer or scheduler state in it; it holds {checkpoint_files.seen_keys(found.content)}"
            )
        states += in_file
    lines += _trainer_state(path, states)
    done = Checked(lines, refused)
    for state in states:
        identity = identify.identified(state, table)
        done.identities[state.where] = identity
        lines.append(f"{state.where}: {_identity_line(identity)}")
        lines += [f"  {note}" for note in identity.notes]
        if identity.ambiguity():
            lines.append(f"  {identity.ambiguity()}")
        for subject, savers in identity.candidates.items():
            label = f"{short(subject)}: " if len(identity.candidates) > 1 else ""
            if target in savers:
                lines.append(f"  {label}if saved by {target} itself, no cross-release finding applies")
            found_here = list(_applying(matrix, subject, savers, target, state, order))
            if not found_here:
                lines.append(f"  {label}no finding of the matrix applies on torch {target}")
            for finding, hit in found_here:
                only = "" if hit == [s for s in savers if s != target] or not hit else f" (if saved by {ranges(hit)})"
                lines.append(f"  {label}{_line(finding, only)}")
                done.applied.append(Applied(state.where, subject, finding["id"], tuple(hit)))
    lines.append(
        f"check: {done.applying} finding(s) apply" if done.applying else "check: nothing in the matrix applies"
    )
    return done


def _matrix(reports: Path) -> dict[str, Any]:
    path = reports / "matrix.json"
    try:
        matrix = _published(reports, path.stat().st_mtime_ns)
    except FileNotFoundError:
        matrix = None
    except merge.MergeError as error:
        raise CheckpointError(str(error)) from None
    if matrix is None:
        raise CheckpointError(f"{path} does not exist; run `python -m compat report` first")
    return matrix


@functools.lru_cache(maxsize=2)
def _published(reports: Path, modified: int) -> dict[str, Any] | None:
    """Return the published matrix, read once per version of matrix.json (30 MB: a third of a second)."""
    return merge.published(reports)


def _how_read(found: Opened) -> str:
    mode = "weights_only=False (--trust-pickle)" if found.trusted else "weights_only=True"
    if found.refusal and not found.trusted:
        mode = "not loaded: weights_only=True refused it"
    where = f", tensors saved on {', '.join(sorted(found.locations))}" if found.locations else ""
    return f"{mode}{', memory-mapped' if found.mapped else ''}{where}"


# Classes that only hold data: allowlisting one lets the unpickler build it and nothing else. Anything
# else a file names (getattr, io.open, a function, a bound method, functools.partial) is a callable that
# the file would then call with arguments of its choosing: never suggested (docs/kinds.md, remedies).
PLAIN_DATA = frozenset(
    {"collections.Counter", "collections.OrderedDict", "builtins.set", "builtins.frozenset", "builtins.complex"}
)


def _to_load(found: Opened) -> str:
    """Return what would make a refused file load: the plain-data classes to allowlist, else re-saving or trust."""
    data = [name for name in found.refused_globals if name in PLAIN_DATA]
    callables = [name for name in found.refused_globals if name not in PLAIN_DATA]
    look = "" if found.trusted else " Pass --trust-pickle to look inside it."
    if data and not callables:
        allow = f"torch.serialization.add_safe_globals([{', '.join(data)}])"
        return f"It holds only plain data torch does not allow by default: it loads after {allow}.{look}"
    named = f" ({', '.join(callables)})" if callables else ""
    return (
        f"It names a callable{named}: allowlisting it would let the file call it, so do not. Re-save the "
        "checkpoint without it on the release that wrote it, or load it with torch.load(weights_only=False) only "
        f"if you wrote the file yourself.{look}"
    )


def _trainer_state(path: Path, states: list[Located]) -> list[str]:
    """Return the Trainer folder's step beside its scheduler's last_epoch, where both are there."""
    trainer = path / checkpoint_files.TRAINER_STATE if path.is_dir() else None
    if trainer is None or not trainer.is_file():
        return []
    try:
        step = json.loads(trainer.read_text(encoding="utf-8")).get("global_step")
    except ValueError:
        return [f"{trainer.name}: not valid JSON; left aside"]
    epochs = [s.state.get("last_epoch") for s in states if s.kind == "scheduler"]
    line = f"{trainer.name}: global_step {step}"
    if epochs and step is not None and epochs[0] != step:
        line += f"; the scheduler's last_epoch is {epochs[0]}: a resumed run must step it from there"
    return [line]


def _identity_line(identity: identify.Identity) -> str:
    if not identity.candidates:
        return (
            f"{identity.kind} state whose keys no torch class writes on {ranges(list(versions.SUPPORTED))}: "
            "a third-party or custom class; the matrix has no cross-release data for it"
        )
    shown = "; ".join(f"{subject}, saved by torch {ranges(r)}" for subject, r in identity.candidates.items())
    return f"{identity.kind} {shown} (from its keys)"


def _applying(
    matrix: Mapping[str, Any], subject: str, savers: list[str], target: str, state: Located, order: str | None
) -> Iterator[tuple[Mapping[str, Any], list[str]]]:
    """Yield each finding of ``subject`` that applies to this state loaded on ``target``, with the savers it needs.

    A cross-release finding needs the saving releases among ``savers`` whose pair with ``target`` it
    shows on; the others apply on ``target`` whoever saved the file (an empty list).
    """
    others = [s for s in savers if s != target]
    flags_on = state.kind == "optimizer" and any(
        g.get(f) is True for g in state.state.get("param_groups", []) for f in resumption.DEVICE_FLAGS
    )
    wanted = (set(FLAG_CLAIMS) if flags_on else set()) | (_order_claims(order) if state.kind == "scheduler" else set())
    for finding in matrix["findings"]:
        if finding["subject"] != subject:
            continue
        if finding["claim"].startswith("crossversion."):
            hit = [s for s in others if f"{s}->{target}" in finding["pairs"]]
            if hit:
                yield finding, hit
        elif finding["claim"] in wanted and target in finding.get("own_scripts", {}):
            yield finding, []


def _order_claims(order: str | None) -> set[str]:
    if order is None:
        return set()
    suffix = "" if order == "scheduler-first" else f".{order}"
    return {f"{claim}{suffix}" for claim in ORDER_CLAIMS}


def _line(finding: Mapping[str, Any], only: str) -> str:
    claim = claims.get(finding["claim"])
    remedy = claim.remedy or "See the reproducer."
    repro = f" Reproducer: reports/{finding['repro']}" if finding.get("repro") else ""
    why = finding.get("explanation") or "a violation no entry describes yet"
    return f"[{finding['kind']}] {claim.id}{only}: {why}{lookup.said(finding)}{lookup.needs(finding)}. {remedy}{repro}"
