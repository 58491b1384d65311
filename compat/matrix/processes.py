"""The matrix's child processes: each in its own session, ended together when the run is stopped.

``stoppable()`` holds a checkout's matrix lock and turns SIGINT and SIGTERM into a stop: every
running child (uv, pytest, a reproducer) and what it started is ended within ``GRACE_SECONDS``, the
runner removes their venvs and staged results, and raises Interrupted with a line per release.
A child gets its environment explicitly (``child_environment``); the runner's own is left alone.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path


class MatrixError(Exception):
    """A release cannot be set up or run; the message is one line."""


class Stopped(Exception):
    """A child was ended because the run is stopping (SIGINT or SIGTERM)."""


_STOP = threading.Event()
_STOP_SIGNAL: list[int] = []  # the signal that stopped the run
GRACE_SECONDS = 3.0  # a child ended with SIGTERM gets this long before SIGKILL


def child_environment(threads: int) -> dict[str, str]:
    """Return the environment a release's processes get: the runner's, with ``threads`` torch threads."""
    return {**os.environ, "OMP_NUM_THREADS": str(threads)}


def run(
    command: list[str], what: str, log: Path, threads: int = 1, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in its own session (so a stop ends it and everything it started); log its output."""
    if _STOP.is_set():
        raise Stopped(what)
    child = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=cwd,
        env=child_environment(threads),
        start_new_session=True,
    )
    _registered(child.pid, running=True)
    try:
        while True:
            try:
                stdout, stderr = child.communicate(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if _STOP.is_set():
                    end(child)
                    raise Stopped(what) from None
    finally:
        _registered(child.pid, running=False)
    done = subprocess.CompletedProcess(command, child.returncode, stdout, stderr)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as stream:
        stream.write(f"$ {' '.join(command)}\n{done.stdout}\n{done.stderr}\n")
    if done.returncode not in (0, 1) or (done.returncode == 1 and what != "pytest"):
        tail = (done.stderr.strip() or done.stdout.strip()).splitlines()[-1:] or ["no output"]
        raise MatrixError(f"{what} failed (exit {done.returncode}): {tail[0]} (log: {log})")
    return done


def end(child: subprocess.Popen[str]) -> None:
    """End ``child`` and its session: SIGTERM, then SIGKILL after GRACE_SECONDS."""
    for number in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, number)
        try:
            child.communicate(timeout=GRACE_SECONDS)
            return
        except subprocess.TimeoutExpired:
            continue


def threads_per_release(jobs: int) -> int:
    """Return the torch threads each of ``jobs`` releases running at once gets."""
    return max(1, (os.cpu_count() or 1) // jobs)


class Interrupted(Exception):
    """SIGINT or SIGTERM (``signal``) stopped the run; ``lines`` say what was recorded."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("interrupted")
        self.lines = lines
        self.signal = signal.Signals(_STOP_SIGNAL[-1] if _STOP_SIGNAL else signal.SIGINT)

    @property
    def status(self) -> int:
        """Return the exit status of a process the signal ended: 128 + its number."""
        return 128 + self.signal


LOCK = "matrix.lock"


@contextlib.contextmanager
def stoppable(envs: Path) -> Iterator[None]:
    """Hold this checkout's matrix lock and stop on SIGINT or SIGTERM for the duration.

    A second run in the same checkout raises MatrixError naming the pid of the one running; a lock
    whose pid is gone (a killed run) is taken over, after ending the children that run left running.
    A signal ends the running children (their venvs are removed, staged results discarded) and
    ``main`` raises Interrupted.
    """
    lock = _locked(envs / LOCK)
    _end_orphans(envs / CHILDREN, str(envs))
    _REGISTRY.append(envs / CHILDREN)
    handlers = {}
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGINT, signal.SIGTERM):
            handlers[number] = signal.signal(number, _on_signal)
    try:
        yield
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
        _STOP.clear()
        _STOP_SIGNAL.clear()
        _REGISTRY.clear()
        (envs / CHILDREN).unlink(missing_ok=True)
        lock.unlink(missing_ok=True)


CHILDREN = "children"  # the process groups of the running children, one per line
_REGISTRY: list[Path] = []  # the children file of the run in progress (empty outside stoppable())
_REGISTRY_LOCK = threading.Lock()


def _registered(group: int, running: bool) -> None:
    """Add or remove a child's process group in the run's children file (a killed run's children are ended next run)."""
    if not _REGISTRY:
        return
    with _REGISTRY_LOCK:
        groups = set(_pids_in(_REGISTRY[0]))
        if running:
            groups.add(group)
        else:
            groups.discard(group)
        _REGISTRY[0].write_text("".join(f"{g}\n" for g in sorted(groups)), encoding="utf-8")


def _end_orphans(path: Path, marker: str) -> None:
    """End the children a killed run left running: process groups in ``path`` whose command names ``marker``."""
    for group in _pids_in(path):
        try:
            command = Path(f"/proc/{group}/cmdline").read_bytes()
        except OSError:
            continue  # gone, or no /proc to tell a recycled pid by
        if marker.encode() in command:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(group, signal.SIGKILL)
    path.unlink(missing_ok=True)


def _pids_in(path: Path) -> list[int]:
    try:
        return [int(line) for line in path.read_text(encoding="utf-8").split()]
    except (OSError, ValueError):
        return []


def _on_signal(number: int, _frame: object) -> None:
    _STOP_SIGNAL.append(number)
    _STOP.set()


def _locked(path: Path) -> Path:
    """Create the lock file ``path`` holding this pid; MatrixError if a live process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        try:
            handle = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            holder = _pid_in(path)
            if holder is not None and _alive(holder):
                raise MatrixError(
                    f"another matrix run (pid {holder}) is running in this checkout; wait for it or stop it "
                    f"(if no such run exists, remove {path})"
                ) from None
            path.unlink(missing_ok=True)  # a killed run's lock
            continue
        with os.fdopen(handle, "w") as stream:
            stream.write(f"{os.getpid()}\n")
        return path


def _pid_in(path: Path) -> int | None:
    try:
        return int(path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stopping() -> bool:
    """Return whether a signal asked the run to stop."""
    return _STOP.is_set()
