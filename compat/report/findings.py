"""Findings: the violated outcomes that share claim, subject, device, kind of difference and cause, as one.

A finding is what the report shows once: its releases (or saving -> loading pairs), its kind
(NOTE: [kinds of finding], or new), the explanation, evidence and link of the entry that expects it, the
example, conditions and one reproducer of its oldest release (whose script runs on the newer ones;
across releases, the newest pair's).
``own_scripts`` keeps what each place's own reproducer did there; ``checks`` what the one shown
did on each place (``compat.record.verify --findings``).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from compat.catalog import schedulers as scheduler_specs
from compat.catalog import versions
from compat.catalog.specs import from_torch
from compat.report.answers import ranges, short

SCHEDULERS = "torch.optim.lr_scheduler."


@dataclass
class Finding:
    """Violated outcomes of one claim and subject on one device with one kind of difference and one cause."""

    claim: str
    subject: str
    device: str
    kind: str
    explanation: str
    link: str | None
    signature: tuple[str, ...]
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    evidence: dict[str, str] | None = None  # the quote of PyTorch a documented or by-design finding rests on
    upstream: dict[str, str | None] | None = None  # the upstream report {url, state, fixed_in}
    script: str | None = None  # its reproducer's path under reports/, once copied there
    checks: dict[str, str] = field(
        default_factory=dict
    )  # place -> verdict of that script run there (compat.record.verify)
    part: str | None = None  # the first place of a finding split off where another's reproducer did not show
    split_off: dict[str, str] = field(default_factory=dict)  # place -> verdict of this script where a part took over
    inherited: str | None = None  # the torch method a third-party class has this violation from (it inherits it)

    def summary(self) -> dict[str, Any]:
        """Return the finding as matrix.json holds it."""
        return {
            "id": self.id,
            "claim": self.claim,
            "subject": self.subject,
            "device": self.device,
            "kind": self.kind,
            "explanation": self.explanation,
            "link": self.link,
            "evidence": self.evidence,
            "upstream": self.upstream,
            **({"inherited": self.inherited} if self.inherited else {}),
            "signature": list(self.signature),
            "releases": self.releases,
            "pairs": [f"{s}->{t}" for s, t in self.pairs],
            "page": page(self.subject),
            "repro": self.script,
            "verified": {place: self.checks.get(place) for place in self.places},
            **({"split_off": self.split_off} if self.split_off else {}),
            "own_scripts": self.own_scripts,
            "conditions": self.shown.get("conditions"),
            "example_source": self.shown.get("example_source"),
        }

    @property
    def cause(self) -> tuple[str, str, str | None]:
        """Return what findings of one root cause share: kind, explanation and link (counted once on the pages)."""
        return self.kind, self.explanation, self.link

    @property
    def cross(self) -> bool:
        """Return whether the finding is about checkpoints saved by another release."""
        return "saved_by" in self.outcomes[0]

    @property
    def shown(self) -> dict[str, Any]:
        """Return the outcome whose example and reproducer the finding shows.

        The oldest release's that has a reproducer: its script passes only the arguments that release
        has, so it runs on the newer releases of the range too (a newer release's example may use a
        flag the older ones lack). Across releases, the newest pair's.
        """
        if self.cross:
            return next((o for o in reversed(self.outcomes) if o.get("repro")), self.outcomes[-1])
        return next((o for o in self.outcomes if o.get("repro")), self.outcomes[0])

    @property
    def id(self) -> str:
        """Return a stable id: claim, subject (short for torch's own), device, and a digest of difference and cause."""
        split = f"|{self.part}" if self.part else ""
        digest = hashlib.sha256(f"{self.signature}|{self.kind}|{self.explanation}{split}".encode()).hexdigest()[:6]
        name = short(self.subject) if from_torch(self.subject) else self.subject  # torch.optim.Muon is not the zoo's
        return f"{self.claim}--{name}--{self.device}--{digest}"

    @property
    def releases(self) -> str:
        """Return the releases it shows on (``2.1–2.15``) or, across releases, the loading ones."""
        return ranges([o["torch"] for o in self.outcomes])

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """Return the (saving, loading) release pairs of a cross-release finding."""
        return [(o["saved_by"], o["torch"]) for o in self.outcomes if "saved_by" in o]

    @property
    def repro(self) -> str | None:
        """Return the reproducer shown: the shown outcome's."""
        return self.shown.get("repro")

    @property
    def places(self) -> list[str]:
        """Return where it shows: releases, or ``saved->loaded`` pairs across releases."""
        return [_place(o) for o in self.outcomes]

    @property
    def own_scripts(self) -> dict[str, str | None]:
        """Return, per place, the verdict on the reproducer its own run wrote: ``confirmed`` or what it did."""
        return {_place(o): o.get("repro_verdict") for o in self.outcomes}


def _place(outcome: dict[str, Any]) -> str:
    return f"{outcome['saved_by']}->{outcome['torch']}" if "saved_by" in outcome else outcome["torch"]


def order(outcome: dict[str, Any]) -> tuple[tuple[int, ...], ...]:
    """Return the sort key of an outcome: its release, then the release that saved its checkpoint."""
    saver = versions.release(outcome["saved_by"]) if "saved_by" in outcome else ()
    return versions.release(outcome["torch"]), saver


def findings(matrix: dict[str, Any]) -> list[Finding]:
    """Return the matrix's violated outcomes as findings, torch's own subjects first, then by claim."""
    grouped: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for o in matrix["outcomes"]:
        if o["outcome"] != "violated":
            continue
        key = (
            o["claim"],
            o["subject"],
            o["device"],
            "saved_by" in o,
            o.get("kind", "new"),
            o.get("explanation", ""),
            o.get("link"),
            tuple(o.get("signature") or ()),
            json.dumps([o.get("evidence"), o.get("upstream")], sort_keys=True),
        )
        grouped[key].append(o)
    found = []
    for (claim, subject, device, _, kind, explanation, link, signature, _), outcomes in grouped.items():
        first = outcomes[0]
        found.append(
            Finding(
                claim,
                subject,
                device,
                kind,
                explanation,
                link,
                signature,
                sorted(outcomes, key=order),
                evidence=first.get("evidence"),
                upstream=first.get("upstream"),
                inherited=first.get("inherited"),
            )
        )
    return ordered(found)


def ordered(found: list[Finding]) -> list[Finding]:
    """Return ``found`` torch's own subjects first, then by subject and claim."""
    return sorted(found, key=lambda f: (not from_torch(f.subject), f.subject, f.claim, f.cross, f.id))


def joined(found: list[Finding], script: Callable[[Finding], bytes | None]) -> list[Finding]:
    """Return ``found`` with the findings that one reproducer shows joined into one.

    Findings of one claim, subject, device, kind and cause whose reproducers are the same script
    differ only in what a release names (a group key one release has and another lacks): one
    finding, its releases together, its differences the union of theirs.
    """
    kept: dict[tuple[Any, ...], Finding] = {}
    result = []
    for finding in found:
        content = script(finding)
        key = (
            finding.claim,
            finding.subject,
            finding.device,
            finding.cross,
            finding.kind,
            finding.explanation,
            content,
        )
        first = kept.get(key) if content is not None else None
        if first is None:
            kept[key] = finding
            result.append(finding)
            continue
        first.outcomes = sorted(first.outcomes + finding.outcomes, key=order)
        first.signature = tuple(sorted({*first.signature, *finding.signature}))
    return result


def unconfirmed(finding: Finding) -> Finding | None:
    """Return the part of ``finding`` its reproducer did not show, as a finding of its own, or None.

    Where the script was run on every place, confirmed on some and not on others whose own run's
    reproducer was confirmed there, those places are split off: they show the oldest of them.
    """
    if not finding.checks or any(finding.checks.get(place) is None for place in finding.places):
        return None
    rest = [
        o
        for o in finding.outcomes
        if o is not finding.shown
        and finding.checks[_place(o)] != "confirmed"
        and o.get("repro")
        and o.get("repro_verdict") == "confirmed"
    ]
    if not rest or len(rest) == len(finding.outcomes):
        return None
    finding.outcomes = [o for o in finding.outcomes if o not in rest]
    finding.split_off = {place: v for place, v in finding.checks.items() if place not in finding.places}
    finding.checks = {place: v for place, v in finding.checks.items() if place in finding.places}
    return replace(finding, outcomes=rest, script=None, checks={}, part=_place(rest[0]))


def is_scheduler(subject: str) -> bool:
    """Return whether ``subject`` is one of torch's LR schedulers (SWALR, in swa_utils, included)."""
    return subject in scheduler_specs.specs() or subject.startswith(SCHEDULERS)


def page(subject: str) -> str:
    """Return the path of ``subject``'s page under reports/: optimizers/Adam.md, schedulers/StepLR.md, third-party/."""
    if not from_torch(subject):
        return f"third-party/{subject}.md"
    return f"{'schedulers' if is_scheduler(subject) else 'optimizers'}/{short(subject)}.md"
