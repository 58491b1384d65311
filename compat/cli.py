"""The command line: ``python -m compat <command>``.

Every error is one line on stderr and a non-zero exit; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from compat import claims, schedulers, specs, versions


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


def parser() -> argparse.ArgumentParser:
    """Return the argument parser of ``python -m compat``."""
    top = argparse.ArgumentParser(prog="python -m compat", description="torch-optim-compat: what survives a checkpoint")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help="list claims and subjects")
    listing.add_argument("what", nargs="?", choices=("all", "claims", "subjects"), default="all")
    listing.set_defaults(run=list_command)
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
