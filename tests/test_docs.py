"""The docs as written: every repository path README.md and docs/ name exists, and every command they show runs.

Each command a page shows has an entry in COMMANDS: a Run, executed by a slow test in a fresh copy of the
repository with its exit status and a line of its output checked, or a Costly command, whose sessions,
environments and flags are checked without running it. A command in the docs without an entry fails.
"""

import argparse
import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from textwrap import dedent

import pytest

from compat import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TOP = ("compat/", "props/", "tests/", "docs/", "reports/", ".ci/", "noxfile.py", "tox.ini", "pyproject.toml")

COMMAND_WORDS = ("python ", "pytest ", "nox ", "tox ", "pip ", "UV_TORCH_BACKEND=")
FENCED = re.compile(r"^([ \t]*)```[^\n]*\n(.*?)^\1```[ \t]*$", re.MULTILINE | re.DOTALL)
INDENTED = re.compile(r"^[ \t]*\n((?:(?: {4}|\t).*(?:\n|$))+)", re.MULTILINE)  # a code block follows a blank line
INLINE = re.compile(r"`([^`]+)`")


def named_paths(text: str) -> set[str]:
    """Return the repository paths a page names in backticks or links (placeholders and generated runs left out)."""
    found = set(re.findall(r"`([^`\s]+)`", text)) | set(re.findall(r"\]\(([^)#\s]+)", text))
    return {
        p.split(":")[0]
        for p in found
        if p.startswith(TOP) and not re.search(r"[<>*]|\.\.\.|\{", p) and "/third-party/" not in p
    }


def documented_commands(text: str) -> list[str]:
    """Return the commands a page shows: code-block lines and inline code spans that start with a command word.

    Fenced blocks go first (a backtick inside one would pair with the prose's), then indented blocks;
    a trailing ``# comment`` is dropped and whitespace (a span broken over two lines) is collapsed.
    """
    blocks = [match.group(2) for match in FENCED.finditer(text)]
    prose = FENCED.sub("\n", text)
    blocks += INDENTED.findall(prose)
    prose = INDENTED.sub("\n", prose)
    shown = [line for block in blocks for line in block.splitlines()] + INLINE.findall(prose)
    commands = [" ".join(re.sub(r"\s#.*", "", command).split()) for command in shown]
    return [command for command in commands if command.startswith(COMMAND_WORDS)]


def invocations(command: str) -> list[list[str]]:
    """Return each program call of a command line (split at ``&&``) as its words, ``VAR=value`` prefixes dropped."""
    calls = []
    for part in command.split("&&"):
        words = shlex.split(part)
        while re.fullmatch(r"\w+=\S*", words[0]):
            words.pop(0)
        calls.append(words)
    return calls


@dataclass(frozen=True)
class Run:
    """A documented command run in a fresh copy: as written, or a concrete instance of a synopsis."""

    command: str
    status: int  # its exit status
    line: str  # a regex one line of its output (stdout and stderr) matches
    after: str | None = None  # a documented command run first in the same copy: its output is this one's input
    writes: str | None = None  # a file the docs say it writes, relative to the copy
    timeout: float = 120


@dataclass(frozen=True)
class Costly:
    """A documented command too costly for a test: why, and the test or CI step running it (or its nearest form)."""

    reason: str
    run_by: str | None  # "path" (a script running its nox sessions) or "path::function"; None: nothing does


HEAVY_BALL = "docs/examples/heavy_ball.py:SPECS"
PASSED = r"^=+ \d+ passed, .*\d+ deselected"  # the summary of a -k run: tests ran, none failed or errored
MATRIX_RUN = "tests/test_partial_run.py::test_a_one_release_matrix_keeps_every_other_releases_outcomes_and_reproducers"
CI = ".ci/run"
CI_ITSELF = "CI itself: the harness tests (this one among them) and the suite in a new venv with a 5 GB torch"
RECORDED = f"pytest props --spec {HEAVY_BALL} -k HeavyBall --compat-json results/heavy-ball-cpu.json"

# Every command README.md and docs/*.md show, exactly as written. A synopsis's instance uses every flag it shows;
# `-k HeavyBall` keeps a spec's run to the worked example (without it every built-in subject runs too).
COMMANDS: dict[str, Run | Costly] = {
    "python -m compat list": Run("python -m compat list", 0, r"^  torch\.optim\.Adam +present$"),
    "python -m compat explain CLAIM [--subject Adam] [--torch 2.6] [--kind bug]": Run(
        "python -m compat explain optimizer.state.restored --subject ASGD --torch 2.6 --kind bug",
        0,
        r"^ +bug: ASGD, torch \S+: ",
    ),
    "python -m compat cite CLAIM --subject Adam [--torch 2.6] [--saved-by 2.4]": Run(
        "python -m compat cite crossversion.optimizer.loads.weights-only --subject Adam --torch 1.13 --saved-by 2.4",
        0,
        r"^\*\*Environment\*\*: saved by torch 2\.4, loaded by torch 1\.13",
    ),
    "python -m compat check path/to/checkpoint.pt --torch 2.8": Run(
        "python -m compat check tests/checkpoints/2.4/Adam.pt --torch 2.8",
        0,
        r"^checkpoint\['optimizer'\]: optimizer torch\.optim\.Adam, saved by torch ",
    ),
    # `my_module` stands for an importable module: the worked example by its dotted name (the copy is on sys.path)
    "pytest props --spec my_module:SPECS": Run(
        "pytest props --spec docs.examples.heavy_ball:SPECS -k HeavyBall", 0, PASSED
    ),
    # the page says this stops without the install; -p no:compat leaves out the plugin the install registers
    "pytest props --spec ...": Run(
        f"pytest props --spec {HEAVY_BALL} -p no:compat", 4, r"error: unrecognized arguments: --spec"
    ),
    f"pytest props --spec {HEAVY_BALL} -k HeavyBall": Run(f"pytest props --spec {HEAVY_BALL} -k HeavyBall", 0, PASSED),
    RECORDED: Run(RECORDED, 0, PASSED, writes="results/heavy-ball-cpu.json"),
    "python -m compat report": Run(
        "python -m compat report",
        0,
        r"^report: \d+ runs, \d+ outcomes .* -> .*/reports/$",
        after=RECORDED,
        writes="reports/third-party/heavy_ball.HeavyBall.md",  # in the copy: the copy's compat ran, not the repo's
    ),
    # -R reuses the repository's .nox/props (the copy's .nox links to it) without installing: the install would
    # point that venv's editable install at the copy. The XFAIL lines show the spec reached the suite.
    f"nox -s props -- --spec {HEAVY_BALL}": Run(
        f"nox -R -s props -- --spec {HEAVY_BALL}",
        0,
        r"^XFAIL props/\S+\[HeavyBall\]",
        timeout=900,  # with no .nox/props to reuse, nox makes one: a 5 GB torch
    ),
    "pytest tests/test_catalog.py tests/test_reproducers.py tests/test_agreement.py": Run(
        "pytest tests/test_catalog.py tests/test_reproducers.py tests/test_agreement.py", 0, r"^=+ \d+ passed in "
    ),
    "pip install -e .": Costly(
        "reinstalls the project into the environment running the tests, pointing it at a temporary copy",
        "noxfile.py::_install",
    ),
    "pytest props": Costly(
        "the whole suite on the installed torch under the default dev profile: minutes", "noxfile.py::tests"
    ),
    "pip install nox uv && nox -s tests": Costly(CI_ITSELF, CI),
    "nox -s tests -- --torch-backend cpu": Costly(f"{CI_ITSELF}; {CI} runs it without the backend", CI),
    "nox -s props -- --torch-backend cpu": Costly(
        "a new venv for the session from PyTorch's own index, then the whole suite",
        "tests/test_extending.py::test_nox_props_passes_spec_to_the_suite_and_the_torch_backend_to_uv",
    ),
    "nox -s slow": Costly(CI_ITSELF, CI),
    "pip install nox uv && nox -s matrix": Costly(
        "every supported release in its own venv, a torch of 3-7 GB each", MATRIX_RUN
    ),
    "nox -s matrix -- --torch 2.4 2.6 --jobs 1": Costly("installs two torch releases of about 5 GB each", MATRIX_RUN),
    "nox -s matrix -- --torch-backend cpu": Costly(
        "every release in its own venv, from PyTorch's own index",
        "tests/test_matrix.py::test_the_torch_backend_reaches_every_uv_install_of_a_release",
    ),
    "tox -e torch2.15": Costly("a new tox venv with a 5 GB torch, then the whole suite; needs tox-uv", None),
    "tox p": Costly("a tox venv with a 5 GB torch per supported release", None),
    "nox -s zoo": Costly("installs the third-party packages and runs the suite over every optimizer they export", None),
    "nox -s faults": Costly(
        "the whole suite once per fault injected into torch",
        "tests/test_faults.py::test_a_fault_turns_holding_claims_red",
    ),
    "nox -s benchmark": Costly("times the whole ci run of the suite", None),
    "nox -s html": Costly(
        "needs chromium and playwright; its browser tests run in CI through `nox -s slow`, the timings nowhere", None
    ),
}


RUNS = {command: entry for command, entry in COMMANDS.items() if isinstance(entry, Run)}
COSTLY = {command: entry for command, entry in COMMANDS.items() if isinstance(entry, Costly)}
LAST_RUNS = [command for command in RUNS if command not in {run.after for run in RUNS.values()}]


def chain(command: str) -> list[Run]:
    """Return the runs a documented command needs in one copy, in order: what it reads from first, itself last."""
    run = RUNS[command]
    return [*(chain(run.after) if run.after else []), run]


def tox_envs() -> set[str]:
    """Return the environments tox.ini lists (one ``{a,b}`` group expanded)."""
    tox = configparser.ConfigParser()
    tox.read(ROOT / "tox.ini")
    listed = tox["tox"]["env_list"].strip()
    group = re.fullmatch(r"(.*)\{(.*)\}(.*)", listed)
    return {f"{group[1]}{factor}{group[3]}" for factor in group[2].split(",")} if group else {listed}


@pytest.fixture(scope="module")
def nox_sessions() -> set[str]:
    """Return the sessions ``nox -l`` lists for the repository's noxfile (it installs nothing)."""
    if shutil.which("nox") is None:
        pytest.skip("not-run: nox is not on PATH")
    listed = subprocess.run(["nox", "-l"], cwd=ROOT, capture_output=True, text=True, timeout=60, check=True).stdout
    return set(re.findall(r"^[*-] ([\w-]+)", listed, re.MULTILINE))


@pytest.fixture(scope="session")
def tracked_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a copy of the repository's files as a clone has them: tracked, and untracked ones git does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    copy = tmp_path_factory.mktemp("docs") / "repository"
    for name in listed.split("\0"):
        if name and (ROOT / name).is_file():  # a tracked file deleted in the working tree is left out
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    return copy


@pytest.fixture
def fresh_copy(tracked_copy: Path, tmp_path: Path) -> Path:
    """Return a copy of the repository of this test's own, its .nox linked to the repository's (a venv holds 5 GB)."""
    copy = shutil.copytree(tracked_copy, tmp_path / "repository")
    (ROOT / ".nox").mkdir(exist_ok=True)
    (copy / ".nox").symlink_to(ROOT / ".nox")
    return copy


def child_environment(copy: Path) -> dict[str, str]:
    """Return a documented command's environment: this interpreter's bin first on PATH, the copy first on sys.path.

    ``python`` and ``pytest`` are then the ones running these tests, importing the copy's ``compat``.
    """
    path = os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"]])
    return {**os.environ, "PATH": path, "PYTHONPATH": str(copy)}


def test_every_path_the_docs_name_exists():
    """Every repository path a page names, from the root or relative to the page, exists."""
    named = {(page, path) for page in DOCS for path in named_paths(page.read_text(encoding="utf-8"))}
    assert len(named) > 20  # the pattern finds the paths the pages name
    missing = [
        f"{page.relative_to(ROOT)}: {path}"
        for page, path in sorted(named)
        if not ((ROOT / path).exists() or (page.parent / path).exists())  # from the root, or relative to the page
    ]
    assert missing == []


def test_a_path_that_is_not_there_is_found_missing():
    """The path pattern finds backticked and linked paths, so a missing one is reported."""
    assert named_paths("see `compat/optimizers.py:SPECS` and [x](docs/nowhere.md)") == {
        "compat/optimizers.py",
        "docs/nowhere.md",
    }
    assert not (ROOT / "compat/optimizers.py").exists()


def test_commands_are_found_in_fenced_and_indented_blocks_and_in_inline_code():
    """Code-block lines and inline spans starting with a command word are commands; comments and prose are not."""
    page = dedent("""\
        Run `nox -s lint`; `python` alone, `--fresh` and `compat/cli.py` are not commands.

            pip install nox uv && nox -s matrix   # the matrix

        ```python
        print("`")
        ```

        ```
        pytest props --spec a.py:SPECS  # with a spec
        ERROR: spec a.Momentum: cannot train
        ```
        Then `pytest tests/a.py
        tests/b.py` and `UV_TORCH_BACKEND=cpu nox -s tests`.
    """)
    assert documented_commands(page) == [
        "pytest props --spec a.py:SPECS",
        "pip install nox uv && nox -s matrix",
        "nox -s lint",
        "pytest tests/a.py tests/b.py",
        "UV_TORCH_BACKEND=cpu nox -s tests",
    ]


def test_every_command_the_docs_show_has_an_entry_and_every_entry_is_shown():
    """A command added to or changed in the docs fails here until COMMANDS says how it is checked."""
    shown = {command for page in DOCS for command in documented_commands(page.read_text(encoding="utf-8"))}
    missing, stale = sorted(shown - COMMANDS.keys()), sorted(COMMANDS.keys() - shown)
    assert not missing and not stale, f"add to COMMANDS: {missing}; no longer in the docs: {stale}"


FLAG = re.compile(r"(?<![\w-])--[a-z][\w-]*")
HELPS = (  # the programs whose flags the docs name, each asked for its --help
    [sys.executable, "-m", "compat.matrix.benchmark", "--help"],
    [sys.executable, "-m", "pytest", "--help"],
)


def documented_flags(text: str) -> set[str]:
    """Return the ``--flags`` a page names in code: in code blocks and inline spans, commands or prose alike."""
    blocks = [match.group(2) for match in FENCED.finditer(text)]
    prose = FENCED.sub("\n", text)
    blocks += INDENTED.findall(prose)
    code = blocks + INLINE.findall(INDENTED.sub("\n", prose))
    return {flag for part in code for flag in FLAG.findall(part)}


def cli_flags() -> set[str]:
    """Return every option string of ``python -m compat`` and its commands."""
    top = cli.parser()
    commands = [a for a in top._actions if isinstance(a, argparse._SubParsersAction)]
    parsers = [top, *(p for action in commands for p in action.choices.values())]
    return {flag for p in parsers for action in p._actions for flag in action.option_strings}


def test_every_flag_the_docs_name_is_one_a_documented_program_accepts():
    """A flag in the docs that no program takes (renamed, removed, mistyped) fails here."""
    named = {(page.name, flag) for page in DOCS for flag in documented_flags(page.read_text(encoding="utf-8"))}
    assert len(named) > 15  # the pattern finds the flags the pages name
    helps = "\n".join(
        subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=True).stdout
        for command in HELPS
    )
    accepted = cli_flags() | set(FLAG.findall(helps))
    unknown = sorted(f"{page}: {flag}" for page, flag in named if flag not in accepted)
    assert unknown == [], f"no program takes {unknown}"


@pytest.mark.parametrize("command", COSTLY)
def test_a_costly_commands_sessions_environments_and_flags_exist(command: str, nox_sessions: set[str]):
    """A command not run still names a nox session and a tox env that exist, and flags the matrix accepts."""
    for program, *args in invocations(command):
        if program == "nox":
            session = args[args.index("-s") + 1]
            assert session in nox_sessions, f"nox -l lists no session {session}: {sorted(nox_sessions)}"
            if session == "matrix" and "--" in args:
                cli.parser().parse_args(["matrix", *args[args.index("--") + 1 :]])  # a refused flag exits 2
        elif program == "tox":
            named = set(args[args.index("-e") + 1].split(",")) if "-e" in args else set()
            assert tox_envs() and named <= tox_envs(), f"tox.ini lists no env {named - tox_envs()}"
        elif program == "pip" and "-e" in args:  # the install registers the plugin that adds --spec
            assert entry_points(group="pytest11", name="compat"), "no pytest11 entry point 'compat' is installed"


@pytest.mark.parametrize("command", [command for command, entry in COSTLY.items() if entry.run_by])
def test_the_run_a_costly_entry_names_exists(command: str):
    """The test or CI step said to run a costly command exists: the function, or the script's nox sessions."""
    path, _, function = COSTLY[command].run_by.partition("::")
    text = (ROOT / path).read_text(encoding="utf-8")
    if function:
        assert re.search(rf"^def {function}\(", text, re.MULTILINE), f"{path} defines no {function}"
    else:
        sessions = [args[args.index("-s") + 1] for program, *args in invocations(command) if program == "nox"]
        assert sessions and all(f"nox -s {session}" in text for session in sessions), f"{path} runs no {sessions}"


@pytest.mark.slow
@pytest.mark.parametrize("command", LAST_RUNS)
def test_a_documented_command_exits_and_prints_as_the_docs_say(command: str, fresh_copy: Path):
    """Run in a fresh copy (after the commands it reads from), the command exits with its status and prints its line."""
    environment = child_environment(fresh_copy)
    for run in chain(command):
        program = invocations(run.command)[0][0]
        if shutil.which(program, path=environment["PATH"]) is None:
            pytest.skip(f"not-run: {program} is not on PATH")
        done = subprocess.run(
            run.command,
            shell=True,
            cwd=fresh_copy,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=run.timeout,
            check=False,
        )
        said = f"{run.command}: exit {done.returncode}\n{done.stdout[-3000:]}"
        assert done.returncode == run.status, said
        assert any(re.search(run.line, line) for line in done.stdout.splitlines()), (
            f"no line matches {run.line!r}: {said}"
        )
        assert run.writes is None or (fresh_copy / run.writes).is_file(), f"{run.command} did not write {run.writes}"
