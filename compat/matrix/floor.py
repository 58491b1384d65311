"""The floor: the suite's own drawn cases, replayed as straight-line plain torch, timed beside the suite.

For one claim (``optimizer.resume.bitwise``) on torch's four most used optimizers, Hypothesis draws
cases with the property test's own strategy, as the test does (``ci``'s settings, more examples),
after the same search once untimed (the probes of its flags and dtypes run once per process).
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

from compat.matrix import bench_history

CLAIM = "optimizer.resume.bitwise"
SUBJECTS = ("SGD", "Adam", "AdamW", "RMSprop")


@dataclass
class Timings:
    """Seconds per example: drawing it, the suite's round trip on it, its plain-torch reproducer."""

    draws: list[float] = field(default_factory=list)
    round_trips: list[float] = field(default_factory=list)
    floor: list[float] = field(default_factory=list)
    wall: float = 0.0  # the whole Hypothesis run: draws, round trips and Hypothesis's own work

    def figures(self) -> dict[str, float]:
        """Return the figures by name, as the benchmark keeps them in ``bench/``."""
        count = len(self.draws)
        suite = self.wall / count
        floor = statistics.fmean(self.floor)
        return {
            "floor:draws_per_s": count / sum(self.draws),
            "floor:round_trips_per_s": count / sum(self.round_trips),
            "floor:suite_ms": suite * 1e3,
            "floor:floor_ms": floor * 1e3,
            "floor:suite_over_floor": suite / floor,
        }

    def lines(self, before: bench_history.Earlier | None = None) -> list[str]:
        """Return the figures, one per line, beside ``before``'s where it has them."""
        figures = self.figures()
        shown = [
            ("draws/s", "floor:draws_per_s", ""),
            ("round trips/s", "floor:round_trips_per_s", ""),
            ("suite per example, ms", "floor:suite_ms", "(Hypothesis run wall / examples)"),
            ("floor per example, ms", "floor:floor_ms", "(the case's reproducer, plain torch)"),
            ("suite / floor", "floor:suite_over_floor", "(target <= 1.5)"),
        ]
        return [f"floor: {CLAIM} on {', '.join(SUBJECTS)}, {len(self.draws)} drawn cases"] + [
            "  " + bench_history.row(label, name, figures[name], before, note, width=22) for label, name, note in shown
        ]


def timed_cases(examples: int) -> Timings:
    """Return the timings of ``examples`` cases per subject, drawn and checked as the property test does."""
    from compat.catalog import claims, specs
    from compat.record.repro import repro_script

    found = Timings()
    drawn: list[Any] = []
    for name in SUBJECTS:
        # the same search once untimed: the probes of the flags and dtypes its cases use run once per
        # process, and a props run shares them across hundreds of tests (derandomized: the same cases)
        _search(specs.get(name), examples, Timings(), [])()
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

    from compat.catalog import claims
    from compat.run import runs
    from props.strategies import cases

    resumes = claims.get("optimizer.resume.bitwise")

    @settings(settings.get_profile("ci"), max_examples=examples)
    @given(data=st.data())
    def search(data: st.DataObject) -> None:
        started = time.perf_counter()
        case = data.draw(cases(spec))
        drawn_at = time.perf_counter()
        runs.problems(resumes, case)
        found.draws.append(drawn_at - started)
        found.round_trips.append(time.perf_counter() - drawn_at)
        drawn.append(case)

    return search
