"""Shared searches: one Hypothesis search per subject and strategy, each case it draws checked against many claims.

Most claims' property tests draw from the same strategy for a subject (``cases(subject)``,
``scheduler_cases(spec)``). The claims expected to hold that draw from one strategy share one search:
each case it draws is checked against every one of them, on the case's own runs (a claim's objects
are its own; only the uninterrupted run, which no check changes, is computed once per case). A claim
the shared search finds no violation of holds, checked on the cases it counts. One it finds violated,
or cannot check without an error, runs its own search, which finds and shrinks the violation as a
test on its own does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compat.catalog import claims
from compat.record import recorder
from compat.record.claim_tests import CURRENT_CLAIM
from compat.record.profiles import release_seed
from compat.run import runs
from compat.run.engine import Inapplicable, TorchRefused


@dataclass
class Checked:
    """What the shared search found for one claim: the cases it was checked on, and the first it failed on."""

    examples: int = 0
    failed: bool = False
    case: Any = None


class _Drawn(Exception):
    """Raised by the recording stand-in for ``st.data()`` once the test asked for its case's strategy."""

    def __init__(self, strategy: st.SearchStrategy[Any]) -> None:
        super().__init__("strategy recorded")
        self.strategy = strategy


class _Recording:
    def draw(self, strategy: st.SearchStrategy[Any], label: str | None = None) -> Any:
        raise _Drawn(strategy)


def strategy_of(inner: Callable[..., None], arguments: dict[str, Any], checked: claims.Claim) -> Any:
    """Return the strategy the claim's property test draws its case from (None if it draws none first)."""
    token = CURRENT_CLAIM.set(checked)
    try:
        inner(**arguments, data=_Recording())
    except _Drawn as drawn:
        return drawn.strategy
    except Exception:  # a test that fails before drawing runs on its own, where the failure shows
        return None
    finally:
        CURRENT_CLAIM.reset(token)
    return None


def sharing(
    items: Iterable[pytest.Item], spec: Any, strategy: Any, known: Callable[[str, str], bool]
) -> list[claims.Claim]:
    """Return the claims whose tests of ``spec`` draw from ``strategy`` and are expected to hold, in collection order.

    ``known(claim id, subject)`` says whether a known violation covers the cell (its test then runs on its own).
    """
    members = []
    for item in items:
        marker = item.get_closest_marker("claim")
        params = getattr(getattr(item, "callspec", None), "params", {})
        inner = getattr(getattr(getattr(item, "obj", None), "hypothesis", None), "inner_test", None)
        if marker is None or params.get("subject") is not spec or inner is None or "saved_by" in params:
            continue
        if item.get_closest_marker("skip") or item.get_closest_marker("xfail"):
            continue
        checked = claims.get(marker.args[0])
        if checked.device != "cpu" or known(checked.id, spec.target):
            continue
        arguments = {name: params[name] for name in item._fixtureinfo.argnames if name in params}
        if strategy_of(inner, arguments, checked) is strategy:
            members.append(checked)
    return members


class Traces:
    """The shared searches of one pytest run, each made once, on the first claim test that needs it."""

    def __init__(self, run: recorder.Run, release: str) -> None:
        self.run = run
        self.release = release
        self.found: dict[tuple[str, int], dict[str, Checked]] = {}

    def for_item(
        self,
        item: pytest.Function,
        checked: claims.Claim,
        spec: Any,
        arguments: dict[str, Any],
        known: Callable[[str, str], bool],
    ) -> Checked | None:
        """Return what the search the claim test ``item`` shares with others found for it (None: it shares none)."""
        strategy = strategy_of(item.obj.hypothesis.inner_test, arguments, checked)
        if strategy is None:
            return None
        seed = release_seed(self.run.profile, f"shared::{spec.target}::{item.originalname}", self.release)
        return self.checked(
            checked, spec.target, strategy, lambda: sharing(item.session.items, spec, strategy, known), seed
        )

    def checked(
        self,
        checked: claims.Claim,
        subject: str,
        strategy: Any,
        members: Callable[[], Iterable[claims.Claim]],
        seed: int | None,
    ) -> Checked:
        """Return what the shared search of ``subject`` over ``strategy`` found for ``checked``.

        ``members`` gives the claims that share it (``checked`` among them), called once per search.
        """
        key = (subject, id(strategy))
        if key not in self.found:
            self.found[key] = self._search(strategy, list(members()), seed)
        return self.found[key].get(checked.id, Checked(failed=True))  # a claim the search did not include

    def _search(self, strategy: Any, members: list[claims.Claim], seed: int | None) -> dict[str, Checked]:
        found = {claim.id: Checked() for claim in members}

        @given(data=st.data())
        def search(data: st.DataObject) -> None:
            case = data.draw(strategy, label="case")
            self.run.cases += 1
            shared = runs.Shared()
            for claim in members:
                if not found[claim.id].failed:
                    self._check(claim, case, shared, found[claim.id])

        search._hypothesis_internal_use_seed = seed  # type: ignore[attr-defined]
        search()
        return found

    def _check(self, claim: claims.Claim, case: Any, shared: runs.Shared, checked: Checked) -> None:
        try:
            problems = runs.problems(claim, case, shared)
        except Inapplicable:
            return
        except TorchRefused as refused:
            if refused.kind and refused.kind not in claim.refusals:
                return  # another claim's violation (NOTE: [refusals a claim owns]): this one cannot be checked here
            problems = [str(refused)]
        except (Exception, pytest.skip.Exception):  # its own search (or this case, run as its test) says what
            problems = ["raised"]
        checked.examples += 1
        self.run.examples += 1
        if problems:
            checked.failed, checked.case = True, case
