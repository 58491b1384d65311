"""Run the property suite across torch releases: one venv per release, one result file each.

``python -m compat matrix`` (and ``nox -s matrix``) installs each selected release into its own
venv with uv, runs ``pytest props`` there with ``--compat-json results/<release>-cpu.json``, and
removes the venv unless ``--keep-envs`` (a release is a ~5 GB CUDA build). A release whose result
file is complete is skipped unless ``--fresh``; result files are written atomically, so an
interrupted run loses at most the release in flight. Runs in the host interpreter, without torch.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from compat.catalog import versions
from compat.matrix import interpreters, processes
from compat.matrix.processes import Interrupted, MatrixError, Stopped, stopping, threads_per_release
from compat.record import recorder
from compat.run import formats

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "results"
FIXTURES = RESULTS / "fixtures"
REPORTS = ROOT / "reports"
ENVS = ROOT / ".matrix"


def extra_requirements(release: str) -> list[str]:
    """Return what a release needs beside torch (see DEVELOPERS.md: install quirks)."""
    needs = []
    if release == "2.1":
        needs.append("setuptools<70")  # 2.1's state_dict() imports pkg_resources
    if not versions.at_least(release, "2.3"):
        needs.append("numpy<2")  # wheels before 2.3 are built against NumPy 1
    return needs


STAGED = ".partial.json"  # a result file being written: never merged


def result_path(release: str, folder: Path = RESULTS) -> Path:
    """Return the result file of ``release`` on the CPU."""
    return folder / f"{release}-cpu.json"


def staged_path(release: str, folder: Path = RESULTS) -> Path:
    """Return where a run of ``release`` writes its result file until it is through (then ``result_path``)."""
    return folder / f"{release}-cpu{STAGED}"


def complete(path: Path) -> bool:
    """Return whether ``path`` is a finished schema-1 result file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return document.get("schema") == recorder.SCHEMA and bool(document.get("finished"))


def unsettled(releases: list[str], folder: Path = RESULTS) -> list[str]:
    """Return one line per outcome of these releases' result files that must not pass silently.

    A violation no entry of expected_outcomes.toml expects (new), a known one that no longer shows
    (fixed), and a cell the harness could not decide (error).
    """
    lines = []
    for release in releases:
        path = result_path(release, folder)
        if not complete(path):
            continue
        for record in json.loads(path.read_text(encoding="utf-8"))["records"]:
            kind = record["outcome"]
            if kind == "violated" and not record.get("expected"):
                kind = "new"
            elif kind not in ("fixed", "error"):
                continue
            source = f" (saved by {record['saved_by']})" if record.get("saved_by") else ""
            reason = (record.get("reason") or "").splitlines()[0][:200] if record.get("reason") else ""
            lines.append(f"{release} {kind}: {record['claim']} {record['subject']}{source}: {reason}")
    return lines


@dataclass
class Outcome:
    """What one release's run gave: times, the pytest summary and counts."""

    release: str
    status: str
    install_seconds: float = 0.0
    run_seconds: float = 0.0
    env_bytes: int = 0
    summary: str = ""
    reproducers: str = ""
    python: str = ""  # the Python version the release's venv ran (from its result file)


def size_of(folder: Path) -> int:
    """Return the bytes the files under ``folder`` take (what a release's venv costs on disk)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _run(command: list[str], what: str, log: Path, threads: int = 1) -> subprocess.CompletedProcess[str]:
    return processes.run(command, what, log, threads, cwd=ROOT)


def _install(release: str, env: Path, log: Path, extras: str = "test") -> Path:
    """Create ``env`` with ``release`` and this project (with ``extras``) installed; return its python.

    A venv an interrupted or killed run left there is removed first.
    """
    shutil.rmtree(env, ignore_errors=True)
    return _created(release, env, log, extras)


def _created(release: str, env: Path, log: Path, extras: str) -> Path:
    """Return the python of a new venv at ``env`` holding ``release`` and this project (uv)."""
    python = env / "bin" / "python"
    interpreters.make_venv(release, env, lambda command: _run(command, "uv venv", log))
    packages = [f"torch=={release}.*", *extra_requirements(release), "-e", f"{ROOT}[{extras}]"]
    _run(["uv", "pip", "install", "--quiet", "--python", str(python), *packages], "install", log)
    return python


def save_fixtures(release: str, *, keep_env: bool, folder: Path = RESULTS, threads: int = 1) -> None:
    """Install ``release`` and save its cross-version checkpoints into ``folder/fixtures/<release>/``."""
    env = ENVS / f"torch-{release}"
    log = folder / "logs" / f"{release}-fixtures.log"
    log.unlink(missing_ok=True)
    try:
        python = _install(release, env, log)
        _run([str(python), "-m", "compat", "fixtures", str(folder / "fixtures")], "fixtures", log, threads)
    finally:
        if not keep_env:
            shutil.rmtree(env, ignore_errors=True)


def run_release(release: str, *, profile: str, keep_env: bool, folder: Path = RESULTS, threads: int = 1) -> Outcome:
    """Install ``release`` into its own venv, run the suite, write its result file; return the outcome.

    The suite loads the checkpoints every other release saved in ``folder/fixtures``.
    """
    env = ENVS / f"torch-{release}"
    log = folder / "logs" / f"{release}.log"
    log.unlink(missing_ok=True)
    discard(staged_path(release, folder))  # what a killed run left
    started = time.monotonic()
    try:
        python = _install(release, env, log)
        installed = time.monotonic()
        env_bytes = size_of(env)
        target, staged = result_path(release, folder), staged_path(release, folder)
        command = [str(python), "-m", "pytest", "props", "-q", "-p", "no:randomly", "--hypothesis-profile", profile]
        command.append(f"--compat-fixtures={folder / 'fixtures'}")
        done = _run([*command, f"--compat-json={staged}"], "pytest", log, threads)
        if not complete(staged):
            raise MatrixError(f"torch {release}: the suite wrote no complete result file (log: {log})")
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        checked = _run(
            [str(python), "-m", "compat.record.verify", str(staged), f"--fixtures={folder / 'fixtures'}"],
            "verify",
            log,
            threads,
        )
        reproducers = checked.stdout.strip().splitlines()[0] if checked.stdout.strip() else ""
        ran = json.loads(staged.read_text(encoding="utf-8")).get("python", "?")
        publish(staged, target)
        seconds = time.monotonic() - installed
        return Outcome(release, "done", installed - started, seconds, env_bytes, summary.strip("= "), reproducers, ran)
    finally:
        if not keep_env:
            shutil.rmtree(env, ignore_errors=True)
        discard(staged_path(release, folder))


def publish(staged: Path, target: Path) -> None:
    """Put a finished run's result file and reproducers in place of the release's earlier ones."""
    scripts = staged.parent / "repro" / staged.stem
    published = target.parent / "repro" / target.stem
    shutil.rmtree(published, ignore_errors=True)
    if scripts.is_dir():
        scripts.rename(published)
    os.replace(staged, target)


def discard(staged: Path) -> None:
    """Remove what a run that did not finish left: its staged result file and reproducers."""
    staged.unlink(missing_ok=True)
    shutil.rmtree(staged.parent / "repro" / staged.stem, ignore_errors=True)


def verify_release(
    release: str, *, keep_env: bool, folder: Path = RESULTS, reports: Path = REPORTS, threads: int = 1
) -> str:
    """Install ``release`` and run each published finding's reproducer wherever the finding shows on it.

    The verdicts go to ``folder/verified/<release>.json``; returns the summary line.
    """
    env = ENVS / f"torch-{release}"
    log = folder / "logs" / f"{release}-verify.log"
    log.unlink(missing_ok=True)
    try:
        # the zoo runs on the newest release only: its findings' scripts need the third-party packages there
        python = _install(release, env, log, "test,zoo" if release == versions.SUPPORTED[-1] else "test")
        out = folder / "verified" / f"{release}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        command = [str(python), "-m", "compat.record.verify", "--findings", str(reports / "matrix.json")]
        done = _run([*command, f"--fixtures={folder / 'fixtures'}", "--out", str(out)], "verify", log, threads)
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "no output"
    finally:
        if not keep_env:
            shutil.rmtree(env, ignore_errors=True)


def verify_findings(selected: list[str], *, keep_envs: bool, jobs: int) -> int:
    """Run the published findings' reproducers on ``selected`` releases (all when empty); return the failures.

    Interrupted (SIGINT, SIGTERM inside ``stoppable()``), it raises Interrupted: the verdicts already
    written stay, the report keeps its earlier ones for the rest.
    """
    releases = [versions.supported(v) for v in selected] if selected else list(versions.SUPPORTED)
    ENVS.mkdir(parents=True, exist_ok=True)
    threads = threads_per_release(jobs)

    def verify(numbered: tuple[int, str]) -> bool:
        number, release = numbered
        prefix = f"[verify {number}/{len(releases)}] torch {release}:"
        try:
            _announce(f"{prefix} {verify_release(release, keep_env=keep_envs, threads=threads)}")
            return True
        except Stopped:
            return False
        except MatrixError as error:
            _announce(f"{prefix} FAILED: {error}")
            return False

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        failures = sum(not ok for ok in pool.map(verify, enumerate(releases, start=1)))
    if stopping():
        raise Interrupted(["the reproducers' verification: stopped; the report keeps its earlier verdicts"])
    return failures


def _announce(line: str) -> None:
    with _PRINTING:
        print(line, flush=True)


_PRINTING = threading.Lock()


class DiskWatch:
    """Samples the disk holding the venvs every second; ``peak`` is the most it grew by (bytes)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.start = shutil.disk_usage(folder).used
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(1.0):
            self.peak = max(self.peak, shutil.disk_usage(self.folder).used - self.start)

    def __enter__(self) -> DiskWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def fixtures_saved(release: str, folder: Path = FIXTURES) -> bool:
    """Return whether ``release`` saved all its fixtures: its formats file is written last."""
    return (folder / release / formats.FILE).is_file()


def _save_all_fixtures(releases: list[str], *, keep_envs: bool, jobs: int) -> None:
    threads = threads_per_release(jobs)

    def save(numbered: tuple[int, str]) -> None:
        number, release = numbered
        _announce(f"[fixtures {number}/{len(releases)}] torch {release}: saving checkpoints ...")
        try:
            save_fixtures(release, keep_env=keep_envs, threads=threads)
        except Stopped:
            return
        except MatrixError as error:
            _announce(f"[fixtures {number}/{len(releases)}] torch {release}: FAILED: {error}")

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        list(pool.map(save, enumerate(releases, start=1)))
    if stopping():
        lines = [
            f"fixtures of torch {r}: {'saved' if fixtures_saved(r) else 'not saved (a rerun saves them)'}"
            for r in releases
        ]
        raise Interrupted(lines)


def _run_one(
    number: int, total: int, release: str, *, fresh: bool, keep_envs: bool, profile: str, threads: int
) -> Outcome:
    prefix = f"[{number}/{total}] torch {release}:"
    if not fresh and complete(result_path(release)):
        _announce(f"{prefix} skipped, {result_path(release).relative_to(ROOT)} is complete (--fresh reruns it)")
        return Outcome(release, "skipped")
    if stopping():
        return Outcome(release, "interrupted")
    _announce(f"{prefix} installing and running ({profile} profile) ...")
    try:
        outcome = run_release(release, profile=profile, keep_env=keep_envs, threads=threads)
    except Stopped:
        return Outcome(release, "interrupted")
    except MatrixError as error:
        _announce(f"{prefix} FAILED: {error}")
        return Outcome(release, "failed", summary=str(error))
    _announce(
        f"{prefix} {outcome.summary}; {outcome.reproducers}; Python {outcome.python}; install "
        f"{outcome.install_seconds:.0f} s, run {outcome.run_seconds:.0f} s, venv {outcome.env_bytes / 2**30:.1f} GiB"
    )
    return outcome


def _recorded(release: str) -> str:
    """Return the line saying whether ``release``'s result is recorded."""
    path = result_path(release)
    if complete(path):
        return f"torch {release}: recorded ({path.relative_to(ROOT)})"
    return f"torch {release}: not recorded (a rerun runs it)"


def main(
    selected: list[str], *, fresh: bool, keep_envs: bool, profile: str, jobs: int = 1, fixtures_only: bool = False
) -> int:
    """Run the matrix over ``selected`` releases (all supported when empty); return the exit status.

    ``jobs`` releases run at once, each in its own venv (peak disk: the package cache plus ``jobs``
    venvs); each gets ``cpu_count // jobs`` torch threads through its environment (the runner's own
    is left alone). Stopped by a signal inside ``stoppable()``, it raises Interrupted.
    """
    releases = [versions.supported(v) for v in selected] if selected else list(versions.SUPPORTED)
    if shutil.which("uv") is None:
        raise MatrixError("uv is not on PATH; install it (pip install uv)")
    if jobs < 1:
        raise MatrixError(f"--jobs {jobs}: give at least 1")
    threads = threads_per_release(jobs)
    started = time.monotonic()
    ENVS.mkdir(parents=True, exist_ok=True)
    with DiskWatch(ENVS) as disk:
        # Every release loads every other release's checkpoints, so all of them save theirs first.
        missing = [r for r in releases if fresh or not fixtures_saved(r)]
        _save_all_fixtures(missing, keep_envs=keep_envs, jobs=jobs)
        saved = time.monotonic()
        if fixtures_only:
            print(f"fixtures: {len(missing)} releases saved theirs in {saved - started:.0f} s -> {FIXTURES}/")
            return 0
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            outcomes = list(
                pool.map(
                    lambda numbered: _run_one(
                        numbered[0],
                        len(releases),
                        numbered[1],
                        fresh=fresh,
                        keep_envs=keep_envs,
                        profile=profile,
                        threads=threads,
                    ),
                    enumerate(releases, start=1),
                )
            )
    if stopping():
        raise Interrupted([_recorded(o.release) for o in outcomes])
    wall = time.monotonic() - started
    failed = [o.release for o in outcomes if o.status == "failed"]
    done = [o for o in outcomes if o.status == "done"]
    print("release  install s  run s  venv GiB  status")
    for o in outcomes:
        print(f"{o.release:<8} {o.install_seconds:9.0f} {o.run_seconds:6.0f} {o.env_bytes / 2**30:9.1f}  {o.status}")
    print(
        f"matrix: {len(done)} run, {len(outcomes) - len(done) - len(failed)} skipped, {len(failed)} failed"
        + (f" ({', '.join(failed)})" if failed else "")
        + f" in {wall:.0f} s ({saved - started:.0f} s saving fixtures of {len(missing)} releases), {jobs} at a time; "
        + f"peak disk growth {disk.peak / 2**20:.0f} MiB beyond the package cache (uv hardlinks venvs to it)"
        + (" (venvs kept: --keep-envs)" if keep_envs else "")
        + f"; results in {RESULTS.relative_to(ROOT)}/"
    )
    return 1 if failed else 0
