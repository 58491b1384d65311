"""``python -m compat check PATH``: what happens when this checkpoint is resumed on torch X, from the matrix.

For every optimizer and scheduler state in the file (a plain dict, Lightning's ``.ckpt``, a Hugging
Face Trainer or accelerate folder), it names the classes and releases that can have written it
(compat.report.identify) and lists what applies when it is loaded on the target release: the
matrix's cross-release findings for each possible saving release, the device-flag findings whose
flags the file's groups hold, the findings of the restore order (the framework's own where it
recognises one, or ``--order``), each only where the file meets its conditions
(compat.report.applicable), and what a scheduler state shows by itself (compat.report.pitfalls).
One line per distinct finding, naming the classes it applies to. Exit status: 0 nothing applies,
1 something does, 2 the input cannot be checked.
"""

from __future__ import annotations

import functools
import json
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from compat.catalog import claims, versions
from compat.matrix import merge
from compat.report import advice, applicable, checkpoint_files, frameworks, identify, lookup, pitfalls
from compat.report.answers import ranges, short
from compat.report.checkpoint_files import CheckpointError, Located

FLAG_CLAIMS = ("optimizer.load.flags-from-another-device", "optimizer.flags.restored")
ORDER_CLAIMS = ("scheduler.resume.lr-trajectory", "scheduler.resume.params-bitwise")
UNRUN_FLAGS = frozenset({"fused", "capturable"})  # a device-flag finding whose outcome names none: either
WIDTH = 100  # text lines are wrapped to this width
SAME_CALLABLE = "Pass the resumed run the same function and arguments as the run that saved it."


@dataclass(frozen=True)
class Applied:
    """One finding (or a claim the file itself shows) that applies to one state and one candidate class."""

    where: str
    subject: str
    finding: str  # the matrix finding's id, or the claim's id for what the file shows
    savers: tuple[str, ...]  # the saving releases it needs (empty: whoever saved the file)
    claim: str = ""
    kind: str = ""
    why: str = ""
    because: str = ""
    means: str = ""  # what it means for a resume with changed code (what the file shows)
    remedy: str = ""
    repro: str | None = None
    link: str | None = None


@dataclass
class Checked:
    """What ``check`` read, identified and found: its text lines, and the same as data (``as_json``)."""

    target: str
    read: list[str] = field(default_factory=list)  # what each file gave, and the refusals
    refused: int = 0  # files torch.load(weights_only=True) refused: the first finding of each
    framework: frameworks.Framework | None = None
    order: str | None = None  # the restore order whose findings apply: --order, else the framework's
    identities: dict[str, identify.Identity] = field(default_factory=dict)  # by where the state lies
    applied: list[Applied] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # globals read as inert placeholders (nothing ran)

    @property
    def applying(self) -> int:
        """Return how many things apply: the refusals and the distinct findings."""
        return self.refused + len(grouped(self.applied))

    @property
    def status(self) -> int:
        """Return the exit status: 1 when anything applies, else 0."""
        return 1 if self.applying else 0

    @property
    def lines(self) -> list[str]:
        """Return the text ``check`` prints, each line wrapped to WIDTH, the summary first."""
        return [wrapped for line in self._lines() for wrapped in _wrapped(line)]

    def _lines(self) -> list[str]:
        things = f"{self.applying} thing(s) to do" if self.applying else "nothing in the matrix applies"
        lines = [f"check: resume on torch {self.target}: {things}", *self.read]
        if self.framework:
            own = self.order == self.framework.order
            listed = ", whose findings are listed (--order to choose another)" if own else ""
            lines.append(
                f"framework: {self.framework.name} ({self.framework.seen}); it restores in the "
                f"{self.framework.order} order{listed}"
            )
        if self.order and (not self.framework or self.order != self.framework.order):
            lines.append(f"restore order: {self.order} (--order), its findings are listed")
        groups = grouped(self.applied)
        for where, identity in self.identities.items():
            lines.append(f"{where}: {_identity_line(identity)}")
            lines += [f"  {note}" for note in identity.notes]
            if identity.ambiguity():
                lines.append(f"  {identity.ambiguity()}")
            found = [group for group in groups if group[0].where == where]
            if not found:
                lines.append(f"  no finding of the matrix applies on torch {self.target}")
            lines += [f"  {_line(group, identity)}" for group in found]
        return lines

    def as_json(self) -> dict[str, Any]:
        """Return the same as data, for tools (``check --json``)."""
        return {
            "target": self.target,
            "framework": self.framework.id if self.framework else None,
            "order": self.order,
            "states": [
                {"where": where, "kind": identity.kind, "candidates": identity.candidates}
                for where, identity in self.identities.items()
            ],
            "findings": [
                {
                    "claim": first.claim,
                    "kind": first.kind,
                    "where": first.where,
                    "subjects": [a.subject for a in group],
                    "savers": sorted({s for a in group for s in a.savers}, key=versions.release),
                    "why": first.why,
                    "because": first.because,
                    "means": first.means,
                    "remedy": first.remedy,
                    "repro": first.repro,
                    "link": first.link,
                }
                for group in grouped(self.applied)
                for first in group[:1]
            ],
            "refused": self.refused,
            "replaced": self.replaced,
            "status": self.status,
        }


def grouped(applied: list[Applied]) -> list[list[Applied]]:
    """Return ``applied`` as one group per distinct finding of a state: same claim, kind, why and condition."""
    groups: dict[tuple[str, ...], list[Applied]] = {}
    for a in applied:
        groups.setdefault((a.where, a.claim, a.kind, a.why, a.because), []).append(a)
    return list(groups.values())


def checked(path: Path, *, target: str, reports: Path, trust_pickle: bool = False, order: str | None = None) -> Checked:
    """Return what applies when the checkpoint at ``path`` is loaded on ``target``; CheckpointError if it cannot say."""
    matrix = _matrix(reports)
    table = identify.read_formats(reports)
    installed = versions.release_of(versions.installed())
    done = Checked(target, [f"read: {path} (here with torch {versions.installed()})"])
    states: list[Located] = []
    contents: dict[Path, Any] = {}
    for file in checkpoint_files.files_of(path):
        found = checkpoint_files.opened(file, trust_pickle=trust_pickle)
        done.read.append(f"{file}: {advice.how_read(found)}")
        done.replaced += found.replaced
        if found.refusal:
            # refused where torch.load defaults to weights_only=True (2.6 on); what can run code is a danger anywhere
            default = checkpoint_files.refusal_applies(target)
            done.refused += 1 if default or any(n not in advice.PLAIN_DATA for n in found.refused_globals) else 0
            tag = "refused" if default else "loads by default there"
            done.read.append(f"  [{tag}] {found.refusal} (torch {installed}). {advice.to_load(found, target)}")
        if found.content is None:
            continue
        contents[file] = found.content
        root = "checkpoint" if file == path else file.name
        in_file = checkpoint_files.located(found.content, root)
        if not in_file:
            raise CheckpointError(
                f"{file}: no optimizer or scheduler state in it (looked {checkpoint_files.DEPTH} dicts or lists deep); "
                f"it holds {checkpoint_files.seen_keys(found.content)}"
            )
        states += in_file
    done.framework = frameworks.detected(path, contents)
    done.order = order or (done.framework.order if done.framework else None)
    done.read += _steps_line(done.framework, states)
    steps = done.framework.steps if done.framework else {}
    facts_of = {s.where: applicable.facts(s.state) for s in states if s.kind == "optimizer"}
    examples = _flag_outcomes(matrix)
    for state in states:
        identity = identify.identified(state, table)
        done.identities[state.where] = identity
        # a scheduler's findings read the facts of the optimizer saved with it (its lr, its groups)
        facts = facts_of.get(state.where) if state.kind == "optimizer" else next(iter(facts_of.values()), None)
        for subject, savers in identity.candidates.items():
            done.applied += _applying(matrix, subject, savers, target, state, done.order, facts, examples)
        if state.kind == "scheduler":
            done.applied += _shown(matrix, identity, state, target, steps)
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


def _steps_line(framework: frameworks.Framework | None, states: list[Located]) -> list[str]:
    """Return the framework's step counts beside the scheduler's last_epoch, where it has them."""
    if framework is None or not framework.steps:
        return []
    source = frameworks.TRAINER_STATE if framework.id == "hf-trainer" else "the checkpoint"
    line = f"{source}: " + ", ".join(f"{k} {v}" for k, v in framework.steps.items())
    step = framework.steps.get("global_step")
    epochs = [s.state.get("last_epoch") for s in states if s.kind == "scheduler"]
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
    matrix: Mapping[str, Any],
    subject: str,
    savers: list[str],
    target: str,
    state: Located,
    order: str | None,
    facts: applicable.Facts | None,
    examples: Mapping[tuple[str, str], Mapping[str, Any]],
) -> Iterator[Applied]:
    """Yield each finding of ``subject`` that applies to this state loaded on ``target``, and why.

    A cross-release finding needs the saving releases among ``savers`` whose pair with ``target`` it
    shows on; the others apply on ``target`` whoever saved the file. Each applies only where the
    file's ``facts`` (its optimizer state's) meet its conditions and the flags it needs.
    """
    others = [s for s in savers if s != target]
    wanted = set(FLAG_CLAIMS) if state.kind == "optimizer" else _order_claims(order)
    for finding in matrix["findings"]:
        if finding["subject"] != subject:
            continue
        if finding["claim"].startswith("crossversion."):
            hit = [s for s in others if f"{s}->{target}" in finding["pairs"]]
            if not hit:
                continue
            because = f"saved by torch {ranges(hit)}, loaded by {target}"
        elif finding["claim"] in wanted and target in finding.get("own_scripts", {}):
            hit, because = [], ""
        else:
            continue
        flags = frozenset()
        if finding["claim"] in FLAG_CLAIMS:
            shown = examples.get((finding["id"], target), {})
            flags = applicable.failing_flags(shown.get("reason", ""), shown.get("example")) or UNRUN_FLAGS
        if facts is not None:
            holds, said = applicable.applies(finding.get("conditions") or [], flags, facts)
            if not holds:
                continue
            because = "; ".join(part for part in (because, said) if part)
        yield _from_finding(finding, state.where, subject, hit, because)


def _from_finding(finding: Mapping[str, Any], where: str, subject: str, hit: list[str], because: str) -> Applied:
    claim = claims.get(finding["claim"])
    why = (finding.get("explanation") or "a violation no entry describes yet") + lookup.said(finding)
    return Applied(
        where,
        subject,
        finding["id"],
        tuple(hit),
        claim=claim.id,
        kind=finding["kind"],
        why=why + lookup.needs(finding),
        because=because,
        remedy=claim.remedy or "See the reproducer.",
        repro=f"reports/{finding['repro']}" if finding.get("repro") else None,
        link=finding.get("link"),
    )


def _shown(
    matrix: Mapping[str, Any], identity: identify.Identity, state: Located, target: str, steps: Mapping[str, Any]
) -> list[Applied]:
    """Return what the scheduler state shows by itself: each claim once per candidate class it concerns.

    The callables not saved are answers of the matrix (they hold: this is what torch does); the
    constructor arguments it imposes apply where the matrix has that finding for the class on ``target``.
    """
    found = []
    for seen in pitfalls.shown(state.state, steps):
        for subject in identity.candidates:
            if seen.claim == pitfalls.KEEPS_ARGUMENTS:
                finding = next(
                    (
                        f
                        for f in matrix["findings"]
                        if f["claim"] == seen.claim and f["subject"] == subject and target in f.get("own_scripts", {})
                    ),
                    None,
                )
                if finding is not None:
                    applied = _from_finding(finding, state.where, subject, [], seen.because)
                    found.append(replace(applied, means=seen.means))
                continue
            claim = claims.get(seen.claim)
            found.append(
                Applied(
                    state.where,
                    subject,
                    claim.id,
                    (),
                    claim=claim.id,
                    kind="answer",
                    why=claim.statement,
                    because=seen.because,
                    means=seen.means,
                    remedy=claim.remedy or SAME_CALLABLE,
                )
            )
    return found


def _flag_outcomes(matrix: Mapping[str, Any]) -> dict[tuple[str, str], Mapping[str, Any]]:
    """Return the violated outcomes of the device-flag claims by finding and release."""
    return {(o["finding"], o["torch"]): o for o in matrix["outcomes"] if o["claim"] in FLAG_CLAIMS and o.get("finding")}


def _order_claims(order: str | None) -> set[str]:
    if order is None:
        return set()
    suffix = "" if order == "scheduler-first" else f".{order}"
    return {f"{claim}{suffix}" for claim in ORDER_CLAIMS}


def _line(group: list[Applied], identity: identify.Identity) -> str:
    """Return one line for a distinct finding: kind, claim, the classes it concerns, why, because, what to do."""
    first = group[0]
    names = [short(a.subject) for a in group]
    concerns = f" ({', '.join(names)})" if len(identity.candidates) > 1 else ""
    because = f" Applies: {first.because}." if first.because else ""
    means = f" Means: {first.means}." if first.means else ""
    repro = f" Reproducer: {first.repro}" if first.repro else ""
    why = first.why.rstrip(".")
    return f"[{first.kind}] {first.claim}{concerns}: {why}.{because}{means} To do: {first.remedy}{repro}"


def _wrapped(line: str) -> list[str]:
    """Return ``line`` wrapped to WIDTH, its continuation indented four more than the line."""
    indent = " " * (len(line) - len(line.lstrip()))
    return textwrap.wrap(
        line, WIDTH, subsequent_indent=indent + "    ", break_long_words=False, break_on_hyphens=False
    ) or [line]


def printed(done: Checked, *, as_json: bool) -> str:
    """Return what ``check`` prints: its text lines, or the JSON document."""
    return json.dumps(done.as_json(), indent=1) if as_json else "\n".join(done.lines)
