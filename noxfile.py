"""Sessions: tests, slow, props, matrix, lint, benchmark, faults, zoo, html. uv is the venv backend where installed."""

from __future__ import annotations

import sys

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True
# On Ctrl-C nox waits this long for the matrix or the zoo to end its children and clean up before it
# terminates them (its default, 0.3 s, would kill the runner in the middle of removing a venv).
STOPPING_SECONDS = 30.0


def _install(session: nox.Session, torch: str | None = None, extras: str = "test") -> list[str]:
    """Install the project (with ``extras``) and the requested torch (newest when None), then log what is installed.

    ``--torch-backend X`` among the posargs is uv's (e.g. ``cpu``: PyTorch's own index, the CPU
    build); it is taken out of them. Return the remaining posargs.
    """
    posargs, backend = _without_torch_backend(session.posargs)
    env = {"UV_TORCH_BACKEND": backend} if backend else None
    session.install(f"torch=={torch}.*" if torch else "torch", "-e", f".[{extras}]", env=env)
    session.run(
        "python",
        "-c",
        "import torch, hypothesis; print('torch', torch.__version__, 'hypothesis', hypothesis.__version__)",
    )
    return posargs


def _without_torch_backend(posargs: list[str]) -> tuple[list[str], str | None]:
    """Return ``posargs`` without ``--torch-backend X`` (or ``--torch-backend=X``), and X."""
    rest, backend, given = [], None, iter(posargs)
    for arg in given:
        if arg == "--torch-backend":
            backend = next(given, None)
        elif arg.startswith("--torch-backend="):
            backend = arg.partition("=")[2]
        else:
            rest.append(arg)
    return rest, backend


def _run_props(session: nox.Session, *args: str) -> None:
    """Run the property suite with the given pytest arguments (ci profile unless overridden)."""
    profile = [] if any(a.startswith("--hypothesis-profile") for a in args) else ["--hypothesis-profile", "ci"]
    session.run("python", "-m", "pytest", "props", *profile, *args)


@nox.session
def tests(session: nox.Session) -> None:
    """Harness tests, then the property suite on the newest torch (ci profile)."""
    posargs = _install(session, extras="test,zoo")
    session.run("python", "-m", "pytest", "tests")
    _run_props(session, *posargs)


@nox.session
def slow(session: nox.Session) -> None:
    """The harness tests that start the suite in a child pytest or a release's venv, or a browser (pytest -m slow)."""
    posargs = _install(session, extras="test,zoo,browser,frameworks")
    session.run("python", "-m", "pytest", "tests", "-m", "slow", *posargs)


@nox.session
def props(session: nox.Session) -> None:
    """The property suite only; posargs go to pytest."""
    _run_props(session, *_install(session))


@nox.session(venv_backend="none")
def matrix(session: nox.Session) -> None:
    """Every supported torch release in its own venv (-- --torch 2.4 2.6 picks some), then reports/."""
    session.run(sys.executable, "-m", "compat", "matrix", *session.posargs, interrupt_timeout=STOPPING_SECONDS)


@nox.session(default=False)
def benchmark(session: nox.Session) -> None:
    """Wall time, peak memory and examples per second of the ci run."""
    session.run("python", "-m", "compat.matrix.benchmark", *_install(session))


@nox.session(default=False)
def faults(session: nox.Session) -> None:
    """The property suite once per fault injected into torch; fails if any fault leaves it green."""
    session.run("python", "-m", "compat.matrix.faults", *_install(session))


@nox.session(default=False)
def zoo(session: nox.Session) -> None:
    """The suite over third-party optimizers (pytorch-optimizer, schedulefree) on the newest torch, then reports/."""
    posargs = _install(session, extras="test,zoo")
    session.run("python", "-m", "compat.matrix.zoo", *posargs, interrupt_timeout=STOPPING_SECONDS)
    session.run("python", "-m", "compat", "report")


@nox.session(default=False)
def html(session: nox.Session) -> None:
    """reports/index.html in headless Chromium: browser tests, then load and filter times (needs chromium)."""
    posargs = _install(session)
    session.install("playwright")
    session.run("python", "-m", "pytest", "tests/test_report_browser.py", "-rs", *posargs)
    session.run("python", "-m", "compat.matrix.benchmark", "--html")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
