"""Run the property suite across torch releases: one venv per release, one result file each.

``python -m compat matrix`` (and ``nox -s matrix``) installs each selected release into its own
venv with uv, runs ``pytest props`` there with ``--compat-json results/<release>-cpu.json``, and
removes the venv unless ``--keep-envs`` (a release is a ~5 GB CUDA build). A release whose result
file is complete is skipped unless ``--fresh``; result files are written atomically, so an
interrupted run loses at most the release in flight. Runs in the host interpreter, without torch.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from compat import recorder, versions

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "results"
FIXTURES = RESULTS / "fixtures"
ENVS = ROOT / ".matrix"


class MatrixError(Exception):
    """A release cannot be set up or run; the message is one line."""


def extra_requirements(release: str) -> list[str]:
    """Return what a release needs beside torch (see DEVELOPERS.md: install quirks)."""
    needs = []
    if release == "2.1":
        needs.append("setuptools<70")  # 2.1's state_dict() imports pkg_resources
    if not versions.at_least(release, "2.3"):
        needs.append("numpy<2")  # wheels before 2.3 are built against NumPy 1
    return needs


def result_path(release: str, folder: Path = RESULTS) -> Path:
    """Return the result file of ``release`` on the CPU."""
    return folder / f"{release}-cpu.json"


def complete(path: Path) -> bool:
    """Return whether ``path`` is a finished schema-1 result file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return document.get("schema") == recorder.SCHEMA and bool(document.get("finished"))


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


def size_of(folder: Path) -> int:
    """Return the bytes the files under ``folder`` take (what a release's venv costs on disk)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _run(command: list[str], what: str, log: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as stream:
        stream.write(f"$ {' '.join(command)}\n{done.stdout}\n{done.stderr}\n")
    if done.returncode not in (0, 1) or (done.returncode == 1 and what != "pytest"):
        tail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no output"]
        raise MatrixError(f"{what} failed (exit {done.returncode}): {tail[0]} (log: {log})")
    return done


def _install(release: str, env: Path, log: Path) -> Path:
    """Create ``env`` with ``release`` and this project installed; return its python."""
    python = env / "bin" / "python"
    _run(["uv", "venv", "--quiet", "--python", sys.executable, str(env)], "uv venv", log)
    packages = [f"torch=={release}.*", *extra_requirements(release), "-e", f"{ROOT}[test]"]
    _run(["uv", "pip", "install", "--quiet", "--python", str(python), *packages], "install", log)
    return python


def save_fixtures(release: str, *, keep_env: bool, folder: Path = RESULTS) -> None:
    """Install ``release`` and save its cross-version checkpoints into ``folder/fixtures/<release>/``."""
    env = ENVS / f"torch-{release}"
    log = folder / "logs" / f"{release}-fixtures.log"
    log.unlink(missing_ok=True)
    try:
        python = _install(release, env, log)
        _run([str(python), "-m", "compat", "fixtures", str(folder / "fixtures")], "fixtures", log)
    finally:
        if not keep_env:
            shutil.rmtree(env, ignore_errors=True)


def run_release(release: str, *, profile: str, keep_env: bool, folder: Path = RESULTS) -> Outcome:
    """Install ``release`` into its own venv, run the suite, write its result file; return the outcome.

    The suite loads the checkpoints every other release saved in ``folder/fixtures``.
    """
    env = ENVS / f"torch-{release}"
    log = folder / "logs" / f"{release}.log"
    log.unlink(missing_ok=True)
    started = time.monotonic()
    try:
        python = _install(release, env, log)
        installed = time.monotonic()
        env_bytes = size_of(env)
        _run([str(python), "-m", "compat", "fixtures", str(folder / "fixtures")], "fixtures", log)
        target = result_path(release, folder)
        command = [str(python), "-m", "pytest", "props", "-q", "-p", "no:randomly", "--hypothesis-profile", profile]
        command.append(f"--compat-fixtures={folder / 'fixtures'}")
        done = _run([*command, f"--compat-json={target}"], "pytest", log)
        if not complete(target):
            raise MatrixError(f"torch {release}: the suite wrote no complete result file (log: {log})")
        summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        checked = _run(
            [str(python), "-m", "compat.verify", str(target), f"--fixtures={folder / 'fixtures'}"], "verify", log
        )
        reproducers = checked.stdout.strip().splitlines()[0] if checked.stdout.strip() else ""
        seconds = time.monotonic() - installed
        return Outcome(release, "done", installed - started, seconds, env_bytes, summary.strip("= "), reproducers)
    finally:
        if not keep_env:
            shutil.rmtree(env, ignore_errors=True)


def main(selected: list[str], *, fresh: bool, keep_envs: bool, profile: str) -> int:
    """Run the matrix over ``selected`` releases (all supported when empty); return the exit status."""
    releases = [versions.supported(v) for v in selected] if selected else list(versions.SUPPORTED)
    if shutil.which("uv") is None:
        raise MatrixError("uv is not on PATH; install it (pip install uv)")
    outcomes = []
    started = time.monotonic()
    # Every release loads every other release's checkpoints, so all of them save theirs first.
    missing = [r for r in releases if fresh or not (FIXTURES / r).is_dir()]
    for number, release in enumerate(missing, start=1):
        print(f"[fixtures {number}/{len(missing)}] torch {release}: saving checkpoints ...", flush=True)
        try:
            save_fixtures(release, keep_env=keep_envs)
        except MatrixError as error:
            print(f"[fixtures {number}/{len(missing)}] torch {release}: FAILED: {error}", flush=True)
    for number, release in enumerate(releases, start=1):
        prefix = f"[{number}/{len(releases)}] torch {release}:"
        if not fresh and complete(result_path(release)):
            print(f"{prefix} skipped, {result_path(release).relative_to(ROOT)} is complete (--fresh reruns it)")
            outcomes.append(Outcome(release, "skipped"))
            continue
        print(f"{prefix} installing and running ({profile} profile) ...", flush=True)
        try:
            outcome = run_release(release, profile=profile, keep_env=keep_envs)
        except MatrixError as error:
            print(f"{prefix} FAILED: {error}", flush=True)
            outcomes.append(Outcome(release, "failed", summary=str(error)))
            continue
        print(
            f"{prefix} {outcome.summary}; {outcome.reproducers}; "
            f"install {outcome.install_seconds:.0f} s, run {outcome.run_seconds:.0f} s, "
            f"venv {outcome.env_bytes / 2**30:.1f} GiB",
            flush=True,
        )
        outcomes.append(outcome)
    failed = [o.release for o in outcomes if o.status == "failed"]
    done = sum(o.status == "done" for o in outcomes)
    skipped = sum(o.status == "skipped" for o in outcomes)
    peak = max((o.env_bytes for o in outcomes), default=0)
    print(
        f"matrix: {done} run, {skipped} skipped, {len(failed)} failed"
        + (f" ({', '.join(failed)})" if failed else "")
        + f" in {time.monotonic() - started:.0f} s; largest venv {peak / 2**30:.1f} GiB "
        + ("(all kept: --keep-envs)" if keep_envs else "(one at a time)")
        + f"; results in {RESULTS.relative_to(ROOT)}/"
    )
    return 1 if failed else 0
