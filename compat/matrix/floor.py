"""The floor: the suite's own drawn cases, replayed as straight-line plain torch, timed beside the suite.

For one claim (``optimizer.resume.bitwise``) on torch's four most used optimizers, Hypothesis draws
cases with the property test's own strategy, as the test does (``ci``'s settings, more examples),
after one warm-up case per optimizer (the probes of its flags and dtypes run once per process).
Timed separately: the draw, the round trip the property test runs on the case (the engine and its
comparison), and the same case's reproducer run as plain torch (compiled beforehand, no
Hypothesis, no harness). The suite's time per example over the floor's is what the harness costs.
Run from the repository root (it imports ``props.strategies``).
"""

from __future__ import annotations

import contextlib
import io
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CLAIM = "optimizer.resume.bitwise"
SUBJECTS = ("SGD", "Adam", "AdamW", "RMSprop")


@dataclass
class Timings:
    """Seconds per example: drawing it, the suite's round trip on it, its plain-torch reproducer."""

    draws: list[float] = field(default_factory=list)
    round_trips: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    wall: float = 0.0  # the whole Hypothesis run: draws, round trips and Hypothesis's own work

    def lines(self) -> list[str]:
        """Return the figures, one per line."""
        count = len(self.draws)
        suite = self.wall / count
        floor = statistics.fmean(self.floor)
        return [
            f"floor: {CLAIM} on {', '.join(SUBJECTS)}, {count} drawn cases",
            f"  draws/s              {count / sum(self.draws):8.1f}   "
            f"({statistics.fmean(self.draws) * 1e3:6.2f} ms each)",
            f"  round trips/s        {count / sum(self.round_trips):8.1f}   "
            f"({statistics.fmean(self.round_trips) * 1e3:6.2f} ms each)",
            f"  suite per example    {suite * 1e3:8.2f} ms (Hypothesis run wall / examples)",
            f"  floor per example    {floor * 1e3:8.2f} ms (the case's reproducer, plain torch)",
            f"  suite / floor        {suite / floor:8.2f}x  (target <= 1.5x)",
        ]


def timed_cases(examples: int) -> Timings:
    """Return the timings of ``examples`` cases per subject, drawn and checked as the property test does."""
    from compat.catalog import claims, specs
    from compat.record.repro import repro_script

    found = Timings()
    drawn: list[Any] = []
    for name in SUBJECTS:
        _search(specs.get(name), 1, Timings(), [])()  # the spec's one-time probes (its flags, dtypes) run here
        search = _search(specs.get(name), examples, found, drawn)
        started = time.perf_counter()
        search()
        found.wall += time.perf_counter() - started
    claim = claims.get(CLAIM)
    for case in drawn:
        code = compile(repro_script(claim, case), "<reproducer>", "exec")
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
            exec(code, {"__name__": "__main__"})
        found.floor.append(time.perf_counter() - started)
    return found


def _search(spec: Any, examples: int, found: Timings, drawn: list[Any]) -> Callable[[], None]:
    """Return the property test's search over ``spec`` under ci's settings, timing each draw and round trip."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from compat.run.checks import ClaimViolation, assert_resumes_bitwise
    from props.strategies import cases

    @settings(settings.get_profile("ci"), max_examples=examples)
    @given(data=st.data())
    def search(data: st.DataObject) -> None:
        started = time.perf_counter()
        case = data.draw(cases(spec))
        drawn_at = time.perf_counter()
        with contextlib.suppress(ClaimViolation):
            assert_resumes_bitwise(case)
        found.draws.append(drawn_at - started)
        found.round_trips.append(time.perf_counter() - drawn_at)
        drawn.append(case)

    return search
