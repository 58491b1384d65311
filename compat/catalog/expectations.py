"""Known violations: which claims fail for which subjects on which torch releases, and why.

The data lives in ``expected_outcomes.toml`` beside this module (one file for the whole
project). The pytest plugin turns each entry that matches the installed torch into a strict
expected failure, so ``pytest props`` stays green and turns red when behaviour changes.
"""

from __future__ import annotations

import fnmatch
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from compat.catalog import claims, specs, versions

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

FILE = Path(__file__).with_name("expected_outcomes.toml")


class BadExpectations(ValueError):
    """The expected-outcomes file is malformed or names an unknown claim or release."""


@dataclass(frozen=True)
class Expectation:
    """One known violation: ``claim`` fails for ``subjects`` on releases ``since``..``until``."""

    claim: str
    subjects: tuple[str, ...]
    reason: str
    since: str = "1.13"
    until: str | None = None
    issue: str = ""
    example: str = "default"
    saved_by_since: str = "1.13"
    saved_by_until: str | None = None
    # A torch method the violation comes from, e.g. "torch.optim.Optimizer.load_state_dict": the
    # entry then also covers any optimizer class outside torch that inherits it unchanged.
    inherits: str | None = None
    # The differences the violation consists of, as ClaimViolation.signature words them, ``*`` matching
    # anything: "value params[*]", "dtype state[*].mu_product", "raises KeyError" (required in the file).
    differences: tuple[str, ...] = ("*",)
    # What kind of finding it is: "documented" (the docs or source say so), "bug" (an upstream issue,
    # or one worth filing) or "limitation" (a release that cannot do it); required in the file.
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
        """Return whether ``subject``'s class uses the ``inherits`` method unchanged."""
        if self.inherits is None or specs.from_torch(subject):
            return False  # torch's own optimizers are listed by name, with their own ranges
        spec = specs.specs().get(subject)
        owner, _, method = self.inherits.rpartition(".")
        try:
            cls = spec.load() if spec else None
            base = specs.OptimizerSpec(target=owner, hyperparameters={}).load()
        except (ImportError, AttributeError):
            return False
        return cls is not None and getattr(cls, method, None) is getattr(base, method)

    def applies_to(self, version: str) -> bool:
        """Return whether ``version`` is within this entry's release range."""
        return versions.at_least(version, self.since) and versions.at_most(version, self.until)

    def describe(self) -> str:
        """Return the reason with the upstream issue, for an xfail reason or a report."""
        return f"{self.reason} ({self.issue})" if self.issue else self.reason


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
            found.extend(
                Expectation(
                    claim=claim_id,
                    subjects=tuple(entry["subjects"]),
                    reason=entry["reason"],
                    since=entry.get("since", "1.13"),
                    until=entry.get("until"),
                    issue=entry.get("issue", ""),
                    example=_variant(entry.get("example", "default")),
                    saved_by_since=entry.get("saved_by_since", "1.13"),
                    saved_by_until=entry.get("saved_by_until"),
                    inherits=entry.get("inherits"),
                    differences=_differences(entry),
                    kind=_kind(entry.get("kind")),
                )
                for claim_id in claim_ids
            )
        except KeyError as error:
            raise BadExpectations(f"{where}: missing or unknown {error}") from error
        except ValueError as error:
            raise BadExpectations(f"{where}: {error}") from error
    return found


KINDS = ("documented", "bug", "limitation")


def _differences(entry: dict) -> tuple[str, ...]:
    found = entry.get("differences")
    if not found or not all(isinstance(d, str) for d in found):
        raise ValueError('lists no differences (what the violation consists of, e.g. "value params[*]")')
    return tuple(found)


def _kind(name: str | None) -> str:
    if name not in KINDS:
        raise ValueError(f"kind {name!r} is not one of {', '.join(KINDS)}")
    return name


def _matches(item: str, pattern: str) -> bool:
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*"), item) is not None


def _variant(name: str) -> str:
    from compat.run.examples import VARIANTS

    if name not in VARIANTS:
        raise ValueError(f"unknown pinned example {name!r}; known: {', '.join(VARIANTS)}")
    return name


def expected(
    entries: list[Expectation], claim_id: str, subject: str, version: str, saved_by: str | None = None
) -> Expectation | None:
    """Return the entry expecting ``claim_id`` violated for ``subject`` on ``version``, or None."""
    return next((e for e in entries if e.covers(claim_id, subject, version, saved_by)), None)
