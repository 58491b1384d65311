"""Known violations: which claims fail for which subjects on which torch releases, and why.

The data lives in ``expected_outcomes.toml`` beside this module (one file for the whole
project). The pytest plugin turns each entry that matches the installed torch into a strict
expected failure, so ``pytest props`` stays green and turns red when behaviour changes.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from compat.catalog import claims, inheritance, specs, versions

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

FILE = Path(__file__).with_name("expected_outcomes.toml")


class BadExpectations(ValueError):
    """The expected-outcomes file is malformed or names an unknown claim or release."""


# NOTE: [kinds of finding] The rubric is docs/kinds.md; every entry has one of these kinds.
#   documented  PyTorch's docs or docstrings say it: ``evidence`` quotes the sentence.
#   by-design   a source comment (not the docs) says it is meant: ``evidence`` quotes the comment.
#   bug         it contradicts the documentation, or upstream calls it a bug: ``upstream`` links the report.
#   limitation  upstream declines it, or a release lacks the feature (a later one may add it).
#   untriaged   reported (upstream, or only here) and not yet called a bug or intended by PyTorch.
#   workaround  a gap of a workaround this project measures (the ``repaired`` order), not of PyTorch.
KINDS = ("documented", "by-design", "bug", "limitation", "untriaged", "workaround")
QUOTED = ("documented", "by-design")
STATES = ("open", "closed", "merged", "not planned")
# The pinned examples an entry's ``example`` may name: the default case and its variants, each of which
# compat.run.examples.VARIANTS builds under the same name.
EXAMPLES = (
    "default",
    "float64",
    "float64-tensor-lr",
    "tensor-lr-early-save",
    "rounding-sensitive",
    "save-after-two",
    "save-after-four",
    "save-after-six",
    "sequential-inside-chained",
    "multistep-inside",
    "weight-decay",
    "shared-tensor-lr",
)


@dataclass(frozen=True)
class Evidence:
    """The sentence of PyTorch that says so: ``quote`` verbatim from ``where``, present from release ``since``.

    ``where`` is a dotted torch object whose ``inspect.getsource`` holds the quote (whitespace aside:
    a docstring wraps lines), or the address of a docs page that is not in the installed package.
    """

    quote: str
    where: str
    since: str

    @property
    def checkable(self) -> bool:
        """Return whether the quote can be looked for in the installed torch (``where`` names an object)."""
        return not self.where.startswith("https://")


@dataclass(frozen=True)
class Upstream:
    """The upstream report: its address, its state as read there, the first release with the fix (if any)."""

    url: str
    state: str
    fixed_in: str | None = None


@dataclass(frozen=True)
class Expectation:
    """One known violation: ``claim`` fails for ``subjects`` on releases ``since``..``until``."""

    claim: str
    subjects: tuple[str, ...]
    reason: str
    since: str = "1.13"
    until: str | None = None
    evidence: Evidence | None = None
    upstream: Upstream | None = None
    example: str = "default"
    saved_by_since: str = "1.13"
    saved_by_until: str | None = None
    # A torch method the violation comes from, e.g. "torch.optim.Optimizer.load_state_dict": the
    # entry then also covers any optimizer class outside torch that inherits it unchanged.
    inherits: str | None = None
    # The differences the violation consists of, as ClaimViolation.signature words them, ``*`` matching
    # anything: "value params[*]", "dtype state[*].mu_product", "raises KeyError" (required in the file).
    differences: tuple[str, ...] = ("*",)
    # What kind of finding it is (see NOTE: [kinds of finding]); required in the file.
    kind: str = "bug"

    def describes(self, signature: tuple[str, ...]) -> bool:
        """Return whether every difference in ``signature`` is one this entry expects."""
        return all(any(_matches(item, pattern) for pattern in self.differences) for item in signature)

    def covers(self, claim_id: str, subject: str, version: str, saved_by: str | None = None) -> bool:
        """Return whether this entry expects ``claim_id`` violated for ``subject`` on ``version``.

        ``saved_by``: for cross-version claims, the release that saved the checkpoint.
        """
        return (
            claim_id == self.claim
            and (any(fnmatch.fnmatchcase(subject, pattern) for pattern in self.subjects) or self.inherited_by(subject))
            and self.applies_to(version)
            and (
                saved_by is None
                or (
                    versions.at_least(saved_by, self.saved_by_since) and versions.at_most(saved_by, self.saved_by_until)
                )
            )
        )

    def inherited_by(self, subject: str) -> bool:
        """Return whether ``subject``'s class runs the ``inherits`` method: unchanged, or through ``super()``."""
        if self.inherits is None or specs.from_torch(subject):
            return False  # torch's own optimizers are listed by name, with their own ranges
        spec = specs.specs().get(subject)
        owner, _, method = self.inherits.rpartition(".")
        try:
            cls = spec.load() if spec else None
            base = specs.OptimizerSpec(target=owner, hyperparameters={}).load()
        except (ImportError, AttributeError):
            return False
        return isinstance(cls, type) and inheritance.runs(cls, base, method)

    def only_inherited_by(self, subject: str) -> bool:
        """Return whether this entry covers ``subject`` only through the torch method its class inherits.

        Such an entry predicts the violation from the method alone; the subject's own training may not
        show it (state replaced rather than updated in place, an override that checks more), so it is
        not strict and the pinned example need not show it.
        """
        return not any(fnmatch.fnmatchcase(subject, pattern) for pattern in self.subjects)

    def applies_to(self, version: str) -> bool:
        """Return whether ``version`` is within this entry's release range."""
        return versions.at_least(version, self.since) and versions.at_most(version, self.until)

    @property
    def link(self) -> str | None:
        """Return the address a reader follows: the upstream report, else a docs page the evidence quotes."""
        if self.upstream:
            return self.upstream.url
        return self.evidence.where if self.evidence and not self.evidence.checkable else None

    def describe(self) -> str:
        """Return the kind and reason with the upstream report, for an xfail reason."""
        return f"{self.kind}: {self.reason}" + (f" ({self.link})" if self.link else "")

    def explained(self, subject: str) -> dict[str, Any]:
        """Return what an outcome of ``subject`` it expects records of it.

        Kind, explanation, evidence, upstream and link, and the torch method the violation comes with
        when ``subject`` has it only by inheriting that method.
        """
        return {
            "kind": self.kind,
            "explanation": self.reason,
            "evidence": asdict(self.evidence) if self.evidence else None,
            "upstream": asdict(self.upstream) if self.upstream else None,
            "link": self.link,
            "inherited": self.inherits if self.only_inherited_by(subject) else None,
        }


def load(path: Path = FILE) -> list[Expectation]:
    """Return the expectations in ``path``; any malformed entry raises BadExpectations."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise BadExpectations(f"cannot read {path}: {error}") from error
    found = []
    for number, entry in enumerate(data.get("violation", []), start=1):
        where = f"{path.name} entry {number}"
        try:
            # "claims" lists several claims that one cause violates; "claim" names one.
            claim_ids = entry["claims"] if "claims" in entry else [entry["claim"]]
            for claim_id in claim_ids:
                claims.get(claim_id)
            for bound in ("since", "until", "saved_by_since", "saved_by_until"):
                if entry.get(bound):
                    versions.supported(entry[bound])
            # one cause, its fields read and checked once, then one expectation per claim it violates
            cause = Expectation(
                claim=claim_ids[0] if claim_ids else "",
                subjects=tuple(entry["subjects"]),
                reason=entry["reason"],
                since=entry.get("since", "1.13"),
                until=entry.get("until"),
                evidence=_evidence(entry),
                upstream=_upstream(entry),
                example=_variant(entry.get("example", "default")),
                saved_by_since=entry.get("saved_by_since", "1.13"),
                saved_by_until=entry.get("saved_by_until"),
                inherits=entry.get("inherits"),
                differences=_differences(entry),
                kind=_kind(entry),
            )
            found.extend(replace(cause, claim=claim_id) for claim_id in claim_ids)
            _fixed_after(entry)
        except KeyError as error:
            raise BadExpectations(f"{where}: missing or unknown {error}") from error
        except ValueError as error:
            raise BadExpectations(f"{where}: {error}") from error
    return found


def _differences(entry: dict) -> tuple[str, ...]:
    found = entry.get("differences")
    if not found or not all(isinstance(d, str) for d in found):
        raise ValueError('lists no differences (what the violation consists of, e.g. "value params[*]")')
    return tuple(found)


def _kind(entry: dict[str, Any]) -> str:
    name = entry.get("kind")
    if name not in KINDS:
        raise ValueError(f"kind {name!r} is not one of {', '.join(KINDS)} (docs/kinds.md)")
    if "issue" in entry:
        raise ValueError(
            "has an issue key: write upstream = {url, state, fixed_in} or evidence = {quote, where, since}"
        )
    if name in QUOTED and not (entry.get("evidence") or {}).get("quote"):
        raise ValueError(f"is {name} without evidence.quote (the sentence of PyTorch that says so)")
    if name == "workaround" and entry.get("upstream"):
        raise ValueError("is workaround and links an upstream report: a gap of this project's repair is not PyTorch's")
    return name


def _evidence(entry: dict[str, Any]) -> Evidence | None:
    found = entry.get("evidence")
    if found is None:
        return None
    missing = [key for key in ("quote", "where", "since") if not found.get(key)]
    if missing:
        raise ValueError(f"evidence lacks {', '.join(missing)}")
    versions.supported(found["since"])
    return Evidence(quote=found["quote"], where=found["where"], since=found["since"])


def _upstream(entry: dict[str, Any]) -> Upstream | None:
    found = entry.get("upstream")
    if found is None:
        return None
    if not found.get("url") or found.get("state") not in STATES:
        raise ValueError(f"upstream needs url and a state of {', '.join(STATES)} (as read on the report itself)")
    if found.get("fixed_in"):
        versions.supported(found["fixed_in"])
    return Upstream(url=found["url"], state=found["state"], fixed_in=found.get("fixed_in"))


def _fixed_after(entry: dict[str, Any]) -> None:
    """Refuse an entry that expects the violation on a release its own upstream fix is in."""
    fixed_in = (entry.get("upstream") or {}).get("fixed_in")
    if not fixed_in:
        return
    saving = entry.get("saved_by_until")
    last = saving if saving else entry.get("until")
    if last is None or versions.at_least(last, fixed_in):
        which = "saved_by_until" if saving else "until"
        raise ValueError(
            f"expects the violation up to {last or 'the newest release'} ({which}), but upstream fixed it in {fixed_in}"
        )


def _matches(item: str, pattern: str) -> bool:
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), item) is not None


def _variant(name: str) -> str:
    if name not in EXAMPLES:
        raise ValueError(f"unknown pinned example {name!r}; known: {', '.join(EXAMPLES)}")
    return name


def expected(
    entries: list[Expectation], claim_id: str, subject: str, version: str, saved_by: str | None = None
) -> Expectation | None:
    """Return the entry expecting ``claim_id`` violated for ``subject`` on ``version``, or None."""
    return next((e for e in entries if e.covers(claim_id, subject, version, saved_by)), None)
