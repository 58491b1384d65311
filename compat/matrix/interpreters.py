"""The Python each release's venv runs on: this one where the release has wheels for it, else one uv can get.

The CPython versions each release has wheels for are ``compat.catalog.versions.PYTHONS``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compat.catalog import versions
from compat.matrix.processes import MatrixError


def interpreter(release: str, host: tuple[int, int] = sys.version_info[:2]) -> str:
    """Return the Python a venv for ``release`` is made with: this one where the release has wheels for it.

    Else the newest version it has wheels for (``3.11``), which uv finds installed, or downloads as a
    managed Python where the user lets it.
    """
    fitting = versions.pythons(release)
    return sys.executable if f"{host[0]}.{host[1]}" in fitting else fitting[0]


def no_python(release: str, why: str) -> str:
    """Return the line for a release whose Python uv could not find or fetch: which would do, and how to get one."""
    fitting = versions.pythons(release)
    return (
        f"torch {release} has wheels for CPython {fitting[-1]}-{fitting[0]} only, this is "
        f"{sys.version_info.major}.{sys.version_info.minor}, and uv found none of them ({why}): "
        f"`uv python install {fitting[0]}` (or run the matrix from such a Python)"
    )


def make_venv(release: str, env: Path, run: Callable[[list[str]], Any]) -> None:
    """Create ``env`` with uv on the Python ``interpreter`` picks; where uv has none, one line says what would do."""
    chosen = interpreter(release)
    try:
        run(["uv", "venv", "--quiet", "--python", chosen, str(env)])
    except MatrixError as error:
        if chosen == sys.executable:
            raise
        raise MatrixError(no_python(release, str(error))) from None
