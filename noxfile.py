"""Sessions: tests, props, matrix, lint, benchmark, faults. uv is the venv backend where installed."""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True


def _install(session: nox.Session, torch: str | None = None) -> None:
    """Install the project and the requested torch (newest when None), then log what is installed."""
    session.install(f"torch=={torch}.*" if torch else "torch", "-e", ".[test]")
    session.run(
        "python",
        "-c",
        "import torch, hypothesis; print('torch', torch.__version__, 'hypothesis', hypothesis.__version__)",
    )


def _run_props(session: nox.Session, *args: str) -> None:
    """Run the property suite with the given pytest arguments (ci profile unless overridden)."""
    profile = [] if any(a.startswith("--hypothesis-profile") for a in args) else ["--hypothesis-profile", "ci"]
    session.run("python", "-m", "pytest", "props", *profile, *args)


@nox.session
def tests(session: nox.Session) -> None:
    """Harness tests, then the property suite on the newest torch (ci profile)."""
    _install(session)
    session.run("python", "-m", "pytest", "tests")
    _run_props(session, *session.posargs)


@nox.session
def props(session: nox.Session) -> None:
    """The property suite only; posargs go to pytest."""
    _install(session)
    _run_props(session, *session.posargs)


@nox.session
def matrix(session: nox.Session) -> None:
    """The suite on the installed (newest) torch, writing results/<torch>-cpu.json."""
    _install(session)
    version = session.run("python", "-c", "import torch; print(torch.__version__.split('+')[0])", silent=True).strip()
    _run_props(session, f"--compat-json=results/{version}-cpu.json", *session.posargs)


@nox.session(default=False)
def benchmark(session: nox.Session) -> None:
    """Wall time, peak memory and examples per second of the ci run."""
    _install(session)
    session.run("python", "-m", "compat.benchmark", *session.posargs)


@nox.session(default=False)
def faults(session: nox.Session) -> None:
    """The property suite once per fault injected into torch; fails if any fault leaves it green."""
    _install(session)
    session.run("python", "-m", "compat.faults", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install("ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
