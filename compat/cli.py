"""The command line: ``python -m compat <command>``.

Every error is one line on stderr and a non-zero exit; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from compat.catalog import claims, schedulers, specs, versions


class CommandError(Exception):
    """A user-facing failure: its message is printed as one line and the exit status is 2."""


def _installed_torch() -> str | None:
    try:
        return versions.installed()
    except ImportError:
        return None


def list_command(args: argparse.Namespace) -> int:
    """Print the claims of the catalog and the registered subjects (with presence on this torch)."""
    torch_version = _installed_torch()
    if args.what in ("claims", "all"):
        print("claims:")
        for claim in claims.live():
            print(f"  {claim.id:<48} {claim.category:<16} {claim.statement}")
    if args.what in ("subjects", "all"):
        where = f"torch {torch_version}" if torch_version else "no torch installed"
        print(f"subjects ({where}):")
        for target, spec in [*specs.specs().items(), *schedulers.specs().items()]:
            absent = spec.absent_because(torch_version) if torch_version else "torch is not installed"
            print(f"  {target:<44} {'not-applicable: ' + absent if absent else 'present'}")
    return 0


REPORTS = Path(__file__).resolve().parent.parent / "reports"
RESULTS = Path(__file__).resolve().parent.parent / "results"


def matrix_command(args: argparse.Namespace) -> int:
    """Run the suite on the selected releases, then render the report from every result file."""
    from compat.matrix import processes
    from compat.matrix import runner as matrix

    if args.torch_backend:  # uv's own setting: every `uv pip install` of a release's venv reads it
        os.environ["UV_TORCH_BACKEND"] = args.torch_backend
    try:
        with processes.stoppable(matrix.ENVS):
            return _matrix_run(args)
    except processes.Interrupted as stopped:
        for line in stopped.lines:
            print(line)
        print(
            f"matrix: interrupted ({stopped.signal.name}); nothing partial was written; the same command resumes",
            file=sys.stderr,
        )
        return stopped.status
    except matrix.MatrixError as error:
        raise CommandError(str(error)) from None


def _matrix_run(args: argparse.Namespace) -> int:
    """Run the releases, render, verify and render again; between the steps a stop raises Interrupted."""
    from compat.matrix import runner as matrix

    status = 0
    if not args.verify_only:
        status = matrix.main(
            args.torch,
            fresh=args.fresh,
            keep_envs=args.keep_envs,
            profile=args.profile,
            jobs=args.jobs,
            fixtures_only=args.fixtures_only,
        )
    if args.fixtures_only:
        return status
    report_command(argparse.Namespace(results=RESULTS, out=REPORTS, fresh=args.fresh and not args.verify_only))
    # Each finding shows one reproducer: run it on every release of the finding, then show the verdicts.
    if matrix.verify_findings(args.torch, keep_envs=args.keep_envs, jobs=args.jobs):
        status = 1
    report_command(argparse.Namespace(results=RESULTS, out=REPORTS, fresh=False))
    releases = [versions.supported(v) for v in args.torch] if args.torch else list(versions.SUPPORTED)
    found = matrix.unsettled(releases)
    for line in found:
        print(line)
    if found:
        print(
            f"matrix: {len(found)} outcomes are new, fixed or harness errors"
            + ("; --allow-new: exit status unaffected" if args.allow_new else "; update expected_outcomes.toml"),
            file=sys.stderr,
        )
    return status or (1 if found and not args.allow_new else 0)


def report_command(args: argparse.Namespace) -> int:
    """Render reports/ (matrix.json, README.md, index.html, repro/) from the result files."""
    from compat.matrix import merge
    from compat.report import write_report

    try:
        matrix = write_report(Path(args.results), Path(args.out), fresh=args.fresh)
    except merge.MergeError as error:
        raise CommandError(str(error)) from None
    counts = {k: sum(o["outcome"] == k for o in matrix["outcomes"]) for k in ("holds", "violated", "fixed", "error")}
    print(f"report: {len(matrix['runs'])} runs, {len(matrix['outcomes'])} outcomes {counts} -> {args.out}/")
    return 0


def _matrix() -> dict:
    from compat.matrix import merge

    try:
        matrix = merge.published(REPORTS)
    except merge.MergeError as error:
        raise CommandError(str(error)) from None
    if matrix is None:
        raise CommandError(f"{REPORTS / 'matrix.json'} does not exist; run `python -m compat report` first")
    return matrix


def explain_command(args: argparse.Namespace) -> int:
    """Print a claim's statement, where it holds, and one line per finding (torch's own subjects first)."""
    from compat.report import lookup

    claims.get(args.claim)
    try:
        print(lookup.explanation(_matrix(), args.claim, name=args.subject, torch=args.torch, kind=args.kind))
    except (lookup.NotFound, versions.UnknownRelease) as error:
        raise CommandError(str(error)) from None
    return 0


def cite_command(args: argparse.Namespace) -> int:
    """Print a Markdown snippet for a bug report (newest violating release), or the evidence that the claim holds."""
    from compat.report import lookup

    claims.get(args.claim)
    try:
        text = lookup.citation(
            _matrix(), args.claim, name=args.subject, torch=args.torch, saved_by=args.saved_by, reports=REPORTS
        )
    except (lookup.NotFound, versions.UnknownRelease) as error:
        raise CommandError(str(error)) from None
    print(text)
    return 0


def check_command(args: argparse.Namespace) -> int:
    """Print the matrix's findings that apply when a checkpoint is loaded on a torch release."""
    from compat.report import check, identify
    from compat.report.checkpoint_files import CheckpointError

    target = versions.supported(args.torch) if args.torch else versions.release_of(versions.installed())
    try:
        done = check.checked(
            Path(args.path), target=target, reports=Path(args.reports), trust_pickle=args.trust_pickle, order=args.order
        )
    except (CheckpointError, identify.FormatsMissing) as error:
        raise CommandError(str(error)) from None
    print(check.printed(done, as_json=args.json))
    return done.status


def fixtures_command(args: argparse.Namespace) -> int:
    """Save this release's checkpoint of every present subject for other releases to load."""
    from compat.run import crossversion

    written = crossversion.save_fixtures(Path(args.folder))
    print(f"fixtures: {len(written)} checkpoints saved by torch {versions.installed()} in {args.folder}/")
    return 0


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m compat``."""
    top = argparse.ArgumentParser(prog="python -m compat", description="torch-optim-compat: what survives a checkpoint")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help="list claims and subjects")
    listing.add_argument("what", nargs="?", choices=("all", "claims", "subjects"), default="all")
    listing.set_defaults(run=list_command)
    run = commands.add_parser("matrix", help="run the suite across torch releases, then render the report")
    run.add_argument("--torch", nargs="+", default=[], metavar="RELEASE", help="releases to run (default: all)")
    run.add_argument(
        "--fresh",
        action="store_true",
        help="rerun releases whose results are complete, and render the report from this run's results alone",
    )
    run.add_argument("--keep-envs", action="store_true", help="keep each release's venv (about 5 GB each)")
    run.add_argument("--profile", default="ci", choices=("ci", "matrix", "dev", "thorough"), help="Hypothesis profile")
    run.add_argument(
        "--jobs", type=int, default=min(2, os.cpu_count() or 1), help="releases run at once, one venv each (default 2)"
    )
    run.add_argument(
        "--fixtures-only", action="store_true", help="only save the releases' cross-version checkpoints (CI fan-out)"
    )
    run.add_argument(
        "--torch-backend",
        metavar="BACKEND",
        help="uv's --torch-backend for every release's venv, e.g. cpu (about 200 MB a release where PyTorch's own "
        "index is reachable, instead of the several-GB CUDA build the registry serves); default: uv's",
    )
    run.add_argument(
        "--verify-only",
        action="store_true",
        help="only run each published finding's reproducer on the selected releases, then render the report",
    )
    run.add_argument(
        "--allow-new",
        action="store_true",
        help="exit 0 even when an outcome is new (a violation no entry expects), fixed or a harness error "
        "(exploratory runs); they are listed either way",
    )
    run.set_defaults(run=matrix_command)
    report = commands.add_parser("report", help="render reports/ from result files")
    report.add_argument("--results", default=str(RESULTS), help="folder of result files (default: results/)")
    report.add_argument("--out", default=str(REPORTS), help="output folder (default: reports/)")
    report.add_argument(
        "--fresh",
        action="store_true",
        help="render the result files alone (default: merge them into the published matrix, keeping the other runs)",
    )
    report.set_defaults(run=report_command)
    explain = commands.add_parser("explain", help="a claim's statement, where it holds, one line per finding")
    explain.add_argument("claim")
    explain.add_argument("--subject", help="only this subject, e.g. Adam (torch's own class) or a full name")
    explain.add_argument("--torch", help="only findings that show on this release, e.g. 2.6")
    explain.add_argument("--kind", help="only findings of this kind (docs/kinds.md), e.g. bug, documented, new")
    explain.set_defaults(run=explain_command)
    fixtures = commands.add_parser("fixtures", help="save this release's checkpoints for cross-release loading")
    fixtures.add_argument("folder", help="e.g. results/fixtures (written to FOLDER/<release>/)")
    fixtures.set_defaults(run=fixtures_command)
    check = commands.add_parser(
        "check",
        help="what the matrix says will happen when a checkpoint is resumed on a torch release",
        description="Read a checkpoint (a file, a Lightning .ckpt, a Hugging Face Trainer or accelerate folder) with "
        "torch.load(weights_only=True), "
        "name the optimizer and scheduler states in it, the classes and releases that can have written each, and "
        "list the findings of reports/matrix.json that apply when it is loaded on the target release. "
        "Exit 0: nothing applies; 1: something does; 2: the input cannot be checked.",
    )
    check.add_argument(
        "path", help="a checkpoint file, or a folder: optimizer.pt / scheduler.pt (HF) or optimizer.bin (accelerate)"
    )
    check.add_argument("--torch", help="the release it will be loaded on (default: the installed one)")
    check.add_argument(
        "--order",
        choices=schedulers.RESTORE_ORDERS,
        help="how your code restores the scheduler; adds that order's findings (see the report's scheduler pages); "
        "default: the order of the framework that wrote the checkpoint, where check recognises it",
    )
    check.add_argument(
        "--trust-pickle",
        action="store_true",
        help="if torch.load(weights_only=True) refuses the file, load it with weights_only=False, which runs any "
        "code the file names: only for a file you made (without it, a refused file is read with inert placeholders)",
    )
    check.add_argument("--json", action="store_true", help="print the result as one JSON document, for tools")
    check.add_argument("--reports", default=str(REPORTS), help="the report to read (default: reports/)")
    check.set_defaults(run=check_command)
    cite = commands.add_parser("cite", help="a Markdown snippet for a bug report")
    cite.add_argument("claim")
    cite.add_argument("--subject", help="e.g. Adam or torch.optim.Adam")
    cite.add_argument("--torch", help="release, e.g. 2.6 (default: the newest that violates it)")
    cite.add_argument("--saved-by", help="for a cross-release claim, the release that saved the checkpoint")
    cite.set_defaults(run=cite_command)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit status (2 with one line on stderr for any user error)."""
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the reader left; let the interpreter exit quietly
        return 0
    except (CommandError, claims.UnknownClaim, specs.RegistryError, versions.UnknownRelease) as error:
        print(f"python -m compat {args.command}: error: {error}", file=sys.stderr)
        return 2
