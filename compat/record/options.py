"""The plugin's command-line options: ``--spec`` and the ``--compat-*`` group."""

from __future__ import annotations

import pytest


def add(parser: pytest.Parser) -> None:
    """Add the ``--compat-*`` options and ``--spec`` to ``parser``, in one group."""
    group = parser.getgroup("compat", "torch-optim-compat")
    group.addoption(
        "--compat-json",
        metavar="PATH",
        default=None,
        help="write the outcome of every claim x subject x device to PATH (schema 1), "
        "and the reproducers of violations to repro/<PATH's stem>/ beside it",
    )
    group.addoption(
        "--spec",
        action="append",
        default=[],
        metavar="MODULE:ATTRIBUTE",
        help="also check the spec (or list of specs) at MODULE:ATTRIBUTE; MODULE may be a path to a .py file. "
        "Installed packages add theirs through the torch_optim_compat.specs entry-point group",
    )
    group.addoption(
        "--compat-subjects",
        choices=("all", "torch", "third-party"),
        default="all",
        help="check every registered subject (default), only torch's own, or only third-party ones",
    )
    group.addoption(
        "--compat-expected",
        action="append",
        default=[],
        metavar="PATH",
        help="also read known violations from PATH (the format of compat/catalog/expected_outcomes.toml), "
        "e.g. your own optimizer's",
    )
    group.addoption(
        "--compat-own-searches",
        action="store_true",
        help="give every claim its own Hypothesis search (by default the claims expected to hold that draw from "
        "one strategy share one search: compat.record.traces)",
    )
    group.addoption(
        "--compat-fixtures",
        metavar="DIR",
        default=None,
        help="load the checkpoints other releases saved in DIR/<release>/ (python -m compat fixtures DIR)",
    )
