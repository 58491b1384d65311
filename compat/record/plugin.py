"""The pytest plugin: claim markers, subject parametrization, pinned examples, recording.

Registered through the ``pytest11`` entry point. Options live in one group with the prefix
``--compat-``. Every test marked ``@claim(...)`` is run once per registered subject: absent
subjects are skipped as not-applicable, CUDA claims without CUDA as not-run, and known
violations (``compat/catalog/expected_outcomes.toml``) become strict expected failures. Before
Hypothesis draws, each test runs its pinned example, so a known violation never depends on
what Hypothesis happens to draw; the search runs after it either way, and a violation carries
the search's shrunk example where the search found one, with its conditions (compat.run.conditions).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis.errors import InvalidArgument

from compat.catalog import claims, expectations, schedulers, specs, versions
from compat.catalog.case import Case
from compat.record import failures, options, recorder, traces
from compat.record.claim_tests import (
    CURRENT_CLAIM,
    CURRENT_RUN,
    KnownViolationGone,
    NewViolation,
    PinnedData,
    formatted_plainly,
    outcome_of,
    run_pinned,
    simplest_shown,
    untraced,
)
from compat.record.profiles import release_seed  # importing it registers the Hypothesis profiles
from compat.record.repro import write_repro
from compat.run import engine
from compat.run.applicability import not_applicable_because
from compat.run.checks import ClaimViolation
from compat.run.examples import pinned_case

Subject = specs.OptimizerSpec | schedulers.SchedulerSpec
SUBJECTS = (specs.OptimizerSpec, schedulers.SchedulerSpec)


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the ``--compat-*`` options (and ``--spec``)."""
    options.add(parser)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Register the marker, validate options and start recording (before Hypothesis loads the profile)."""
    config.addinivalue_line("markers", "claim(id): the property test checks the claim with this id")
    config.addinivalue_line("markers", "compat_error(reason): the harness broke deciding this cell; it errors at setup")
    profile = config.getoption("hypothesis_profile", default=None)
    if profile is not None:
        try:
            settings.get_profile(profile)
        except InvalidArgument:
            choices = "ci, matrix, dev or thorough"
            raise pytest.UsageError(f"unknown Hypothesis profile {profile!r}; choose {choices}") from None
    json_path = config.getoption("compat_json")
    if json_path:
        problem = recorder.unwritable_because(Path(json_path))
        if problem:
            raise pytest.UsageError(problem)
    try:
        known = expectations.load()
        for path in config.getoption("compat_expected"):
            known += expectations.load(Path(path))
    except expectations.BadExpectations as error:
        raise pytest.UsageError(str(error)) from None
    from compat.catalog.extensions import SpecError
    from compat.run.extensions import register_external

    try:
        register_external(config.getoption("spec"))
    except SpecError as error:
        raise pytest.UsageError(str(error)) from None
    config.pluginmanager.register(Recording(config, known, profile or "dev"), "compat-recording")


_FIXTURE = "a cross-release cell checks the checkpoint the saving release wrote for its fixture case"


class Recording:
    """Parametrizes claim tests, runs pinned examples, and records every outcome."""

    def __init__(self, config: pytest.Config, known: list[expectations.Expectation], profile: str) -> None:
        self.config = config
        self.known = known
        self.torch = versions.installed()
        self.run = recorder.Run(profile=profile)
        CURRENT_RUN.set(self.run)
        shared = not config.getoption("compat_own_searches")
        self.traces = traces.Traces(self.run, versions.release_of(self.torch)) if shared else None
        self.generated: set[tuple[str, str]] = set()
        json_path = config.getoption("compat_json")
        self.json_path = Path(json_path) if json_path else None
        # where a failure's reproducer goes when the run records no result file
        self.unrecorded = Path(config.rootpath) / "results" / "repro" / "last-failures"

    def pytest_report_header(self) -> list[str]:
        """Return the header lines: torch build, device, profile, subjects and claims."""
        import torch

        cuda = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "no CUDA device"
        build = f"git {getattr(torch.version, 'git_version', '?')[:10]}, cuda {torch.version.cuda}"
        return [
            f"torch-optim-compat: torch {self.torch} ({build}); device: cpu, {cuda}",
            f"torch-optim-compat: Hypothesis profile {self.run.profile}; "
            f"{len(specs.specs())} optimizer specs; {len(claims.live())} live claims; "
            f"{sum(e.applies_to(self.torch) for e in self.known)} known violations on this release",
        ]

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Parametrize ``subject`` over every spec, marking absent, not-run and known-violated ones."""
        marker = metafunc.definition.get_closest_marker("claim")
        if marker is None or "subject" not in metafunc.fixturenames:
            return
        checked = claims.get(marker.args[0])
        registry = schedulers.specs() if checked.subjects == "schedulers" else specs.specs()
        wanted = self.config.getoption("compat_subjects")
        if wanted != "all":
            registry = {t: s for t, s in registry.items() if (wanted == "torch") == specs.from_torch(t)}
        if "saved_by" in metafunc.fixturenames:
            metafunc.parametrize(("subject", "saved_by"), self._crossversion_params(checked, registry))
            return
        params = []
        for target, spec in registry.items():
            params.append(pytest.param(spec, id=spec.name, marks=self._marks(checked, target, spec)))
        metafunc.parametrize("subject", params)

    def _crossversion_params(self, checked: claims.Claim, registry: dict[str, Subject]) -> list[Any]:
        from compat.run import crossversion

        option = self.config.getoption("compat_fixtures")
        folder = Path(option) if option else None
        others = crossversion.releases_with_fixtures(folder, versions.release_of(self.torch))
        params = []
        for target, spec in registry.items():
            if not others:
                reason = "not-run: no checkpoints from other releases (pass --compat-fixtures DIR)"
                params.append(pytest.param(spec, None, id=spec.name, marks=[pytest.mark.skip(reason=reason)]))
            for release in others:
                marks = self._marks(checked, target, spec, saved_by=release)
                path = crossversion.fixture_path(folder, release, spec)
                if not marks and not path.is_file():
                    refused = crossversion.refusal_path(path)
                    why = refused.read_text(encoding="utf-8").strip() if refused.is_file() else "it saved none"
                    marks = [
                        pytest.mark.skip(
                            reason=f"not-applicable: no {spec.name} checkpoint from torch {release}: {why}"
                        )
                    ]
                params.append(pytest.param(spec, release, id=f"{spec.name}-from-{release}", marks=marks))
        return params

    def _marks(
        self, checked: claims.Claim, target: str, spec: Subject, saved_by: str | None = None
    ) -> list[pytest.MarkDecorator]:
        import torch

        try:
            absent = not_applicable_because(checked, spec, self.torch)
        except Exception as error:  # a measurement that breaks on one subject is that cell's harness error
            broken = f"deciding whether {checked.id} applies to {spec.name} raised {engine.error_line(error)}"
            return [pytest.mark.compat_error(broken)]
        if absent:
            return [pytest.mark.skip(reason=f"not-applicable: {absent}")]
        if checked.device != "cpu" and not torch.cuda.is_available():
            return [pytest.mark.skip(reason="not-run: no CUDA device")]
        self.generated.add((checked.id, target))
        known = expectations.expected(self.known, checked.id, target, self.torch, saved_by)
        if known is None:
            return []
        if known.only_inherited_by(target):
            reason = f"inherited from {known.inherits}: {known.describe()}"
            return [pytest.mark.xfail(strict=False, raises=ClaimViolation, reason=reason)]
        return [pytest.mark.xfail(strict=True, raises=ClaimViolation, reason=f"known violation: {known.describe()}")]

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        """Refuse expected-outcome entries that match no test of a collected claim."""
        collected = {c for c, _ in self.generated}
        if self.config.getoption("compat_subjects") != "all":
            return  # a subset of the subjects: an entry for the others matches nothing here by design
        for entry in self.known:
            if not entry.applies_to(self.torch) or entry.claim not in collected:
                continue
            if not any(entry.covers(c, s, self.torch) for c, s in self.generated):
                raise pytest.UsageError(
                    f"expected_outcomes.toml: entry {entry.claim} for {', '.join(entry.subjects)} "
                    f"matches no applicable subject on torch {self.torch}; fix or remove it"
                )

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """Fail the setup of a cell the harness could not decide (a ``compat_error`` mark), with why."""
        broken = item.get_closest_marker("compat_error")
        if broken is not None:
            pytest.fail(broken.args[0], pytrace=False)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Iterator[None]:
        """Make the item's claim current while it runs (reproducers need it)."""
        marker = item.get_closest_marker("claim")
        token = CURRENT_CLAIM.set(claims.get(marker.args[0]) if marker else None)
        try:
            yield
        finally:
            CURRENT_CLAIM.reset(token)

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function) -> bool | None:
        """Run the pinned example, then Hypothesis's search; raise the violation with the simplest example.

        The search runs also after the pinned example violated the claim: it looks for other
        differences, and its shrunk example is the one a violation carries when it found one
        (``example_source`` "search"); otherwise the pinned example is shown and says so. A known
        violation must show on one of them: if it shows on neither, the outcome is ``fixed``.
        """
        checked = CURRENT_CLAIM.get()
        spec = pyfuncitem.funcargs.get("subject")
        inner: Callable[..., None] | None = getattr(getattr(pyfuncitem.obj, "hypothesis", None), "inner_test", None)
        if checked is None or not isinstance(spec, SUBJECTS) or inner is None:
            return None
        arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames if name != "data"}
        known = expectations.expected(self.known, checked.id, spec.target, self.torch)
        exact = known is not None and not known.only_inherited_by(spec.target)
        variant = known.example if known else "default"
        __tracebackhide__ = True
        outcome = functools.partial(outcome_of, inner, arguments)
        pinned: ClaimViolation | None = None
        try:
            run_pinned(inner, arguments, pinned_case(spec, checked, variant), checked)
        except ClaimViolation as violation:
            pinned = violation
        # an entry covering a class only through the torch method it inherits predicts the violation,
        # not its exact differences (other state keys, other hyperparameters)
        if pinned is not None and exact and not known.describes(pinned.signature):
            raise NewViolation(simplest_shown(pinned, "pinned", outcome), known) from pinned
        shared = None
        if self.traces is not None and known is None and pinned is None:
            shared = self.traces.for_item(pyfuncitem, checked, spec, arguments, self._known_for)
        if shared is not None and not shared.failed:
            return True
        before = self.run.examples
        found: ClaimViolation | None = None
        seed = release_seed(self.run.profile, pyfuncitem.nodeid, versions.release_of(self.torch))
        pyfuncitem.obj._hypothesis_internal_use_seed = seed  # what hypothesis.seed() sets; None: the profile's own
        expected = pyfuncitem.get_closest_marker("xfail") is not None
        try:
            with formatted_plainly(expected):
                pyfuncitem.obj(**arguments)
        except ClaimViolation as violation:
            found = violation
        if found is not None:
            if exact and not known.describes(found.signature):
                raise NewViolation(simplest_shown(found, "search", outcome), known) from found
            raise untraced(simplest_shown(found, "search", outcome), expected)
        if shared is not None and shared.case is not None:  # the shared search's case, where its own search saw none
            try:
                inner(**arguments, data=PinnedData(shared.case))
            except ClaimViolation as violation:
                raise untraced(simplest_shown(violation, "search", outcome), expected) from violation
        if pinned is not None:
            violation = simplest_shown(pinned, "pinned", outcome)
            violation.why_pinned = f"the search ran {self.run.examples - before} cases; none showed it"
            raise untraced(violation, expected)
        if exact:
            raise KnownViolationGone(
                f"fixed on torch {self.torch}: the known violation of {checked.id} for {spec.target} shows "
                f"neither on its pinned example ({variant}) nor in the search; narrow the entry's releases in "
                f"expected_outcomes.toml (or pin an example that shows it). The entry: {known.describe()}"
            )
        return True

    def _known_for(self, claim_id: str, target: str) -> bool:
        return expectations.expected(self.known, claim_id, target, self.torch) is not None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
        """Record the outcome of a claim test from its report."""
        outcome = yield
        report: pytest.TestReport = outcome.get_result()
        marker = item.get_closest_marker("claim")
        spec = getattr(item, "callspec", None) and item.callspec.params.get("subject")
        if marker is None or not isinstance(spec, SUBJECTS):
            return
        saved_by = item.callspec.params.get("saved_by")
        checked = claims.get(marker.args[0])
        record = self._record(checked, spec, call, report, saved_by)
        if record is not None:
            record.saved_by = saved_by
            self.run.records.append(record)
        error = call.excinfo.value if call.excinfo else None
        if report.failed and isinstance(error, (ClaimViolation, NewViolation, KnownViolationGone)):
            violation = error.violation if isinstance(error, NewViolation) else error
            violation = violation if isinstance(violation, ClaimViolation) else None
            script = (
                self.json_path.parent / record.repro
                if record is not None and record.repro and self.json_path is not None
                else failures.written_script(checked, violation and violation.case, self.unrecorded, saved_by)
            )
            path, line, _ = item.location
            report.longrepr = failures.short_failure(checked, spec.target, error, violation, script, (path, line + 1))

    def _record(
        self,
        checked: claims.Claim,
        spec: Subject,
        call: pytest.CallInfo[None],
        report: pytest.TestReport,
        saved_by: str | None,
    ) -> recorder.Record | None:
        base = {
            "claim": checked.id,
            "subject": spec.target,
            "torch": self.torch,
            "device": checked.device,
            "seconds": round(report.duration, 3),
        }
        if report.skipped and not hasattr(report, "wasxfail"):  # marked at setup or measured by the test
            if report.when == "teardown":
                return None
            reason = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else str(report.longrepr)
            reason = reason.removeprefix("Skipped: ")
            kind = "not-run" if reason.startswith("not-run:") else "not-applicable"
            return recorder.Record(**base, outcome=kind, reason=reason.split(": ", 1)[-1])
        if report.when == "setup" and report.failed:  # the harness broke before the test ran
            return recorder.Record(**base, outcome="error", reason=str(call.excinfo.value).splitlines()[0])
        if report.when != "call":
            return None
        error = call.excinfo.value if call.excinfo else None
        if isinstance(error, KnownViolationGone):
            return recorder.Record(**base, outcome="fixed", reason=str(error))
        if isinstance(error, (ClaimViolation, NewViolation)):
            violation = error.violation if isinstance(error, NewViolation) else error
            expected = hasattr(report, "wasxfail")
            # the entry that expects it, matched here, where an inherited method can be checked by importing the class
            entry = (
                expectations.expected(self.known, checked.id, spec.target, self.torch, saved_by) if expected else None
            )
            return recorder.Record(
                **(entry.explained(spec.target) if entry else {"kind": "known" if expected else "new"}),
                **base,
                outcome="violated",
                reason=str(error).splitlines()[0],
                example=repr(violation.case) if violation.case else None,
                repro=self._repro(checked, violation.case, saved_by),
                expected=expected,
                signature=list(violation.signature),
                example_source=violation.example_source or (saved_by and "fixture"),
                why_pinned=violation.why_pinned or (saved_by and _FIXTURE),
                conditions=violation.conditions,
            )
        if error is not None:
            return recorder.Record(**base, outcome="error", reason=f"{type(error).__name__}: {error}".splitlines()[0])
        if report.failed:
            return recorder.Record(**base, outcome="holds", reason=f"known violation not seen: {report.longrepr}")
        if hasattr(report, "wasxfail"):
            return recorder.Record(**base, outcome="holds", reason=f"not seen: {report.wasxfail}")
        return recorder.Record(**base, outcome="holds")

    def _repro(self, checked: claims.Claim, case: Case | None, saved_by: str | None) -> str | None:
        if case is None or self.json_path is None:
            return None
        path = write_repro(checked, case, self.json_path.parent / "repro" / self.json_path.stem, saved_by)
        return str(path.relative_to(self.json_path.parent))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Count the skipped cells and the unseen inherited violations in one line (``-rs``/``-rX`` list them)."""
        outcomes = [record.outcome for record in self.run.records]
        line = failures.skipped_line(outcomes, len(terminalreporter.stats.get("xpassed", [])))
        if line and not {"s", "X", "a", "A"} & set(terminalreporter.reportchars):
            terminalreporter.write_line(line)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        """Write the result file, if asked for, atomically; an interrupted run (Ctrl-C) writes none."""
        if self.json_path is None or session.exitstatus == pytest.ExitCode.INTERRUPTED:
            return
        self.run.finished = recorder.now()
        self.run.packages = recorder.third_party_packages()
        try:
            recorder.write(self.run, self.json_path)
        except OSError as error:  # a full disk, a file size limit: keep what was there
            session.config.get_terminal_writer().line(
                f"torch-optim-compat: cannot write {self.json_path}: {error.strerror or error}; "
                "an earlier result file there is left as it was",
                red=True,
            )
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR
