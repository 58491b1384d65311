"""The torch releases this project supports, and comparisons between release strings."""

from __future__ import annotations

import re

SUPPORTED: tuple[str, ...] = (
    "1.13",
    "2.0",
    "2.1",
    "2.2",
    "2.3",
    "2.4",
    "2.5",
    "2.6",
    "2.7",
    "2.8",
    "2.9",
    "2.10",
    "2.11",
    "2.12",
    "2.13",
    "2.14",
    "2.15",
)

# The CPython versions each release has Linux x86-64 wheels for on PyPI, oldest and newest (as `pip index
# versions torch --python-version 3.X` lists them, 2026-12-03), from 3.10, the oldest this project runs on.
PYTHONS: dict[str, tuple[str, str]] = {
    "1.13": ("3.10", "3.11"),
    "2.0": ("3.10", "3.11"),
    "2.1": ("3.10", "3.11"),
    "2.2": ("3.10", "3.12"),
    "2.3": ("3.10", "3.12"),
    "2.4": ("3.10", "3.12"),
    "2.5": ("3.10", "3.13"),
    "2.6": ("3.10", "3.13"),
    "2.7": ("3.10", "3.13"),
    "2.8": ("3.10", "3.13"),
    "2.9": ("3.10", "3.14"),
    "2.10": ("3.10", "3.14"),
    "2.11": ("3.10", "3.14"),
    "2.12": ("3.10", "3.14"),
    "2.13": ("3.10", "3.14"),
    "2.14": ("3.10", "3.14"),
    "2.15": ("3.11", "3.15"),
}

Release = tuple[int, int]

_RELEASE = re.compile(r"^(\d+)\.(\d+)(?:\.\d+)?(?:[a-z+].*)?$")


class UnknownRelease(ValueError):
    """A release string that is malformed or not in SUPPORTED."""


def release(version: str) -> Release:
    """Return ``(major, minor)`` of a version string such as ``2.6.0+cu124``."""
    match = _RELEASE.match(version.strip())
    if match is None:
        raise UnknownRelease(f"malformed torch release {version!r}; expected e.g. 2.6 or 2.6.0")
    return int(match.group(1)), int(match.group(2))


def release_of(version: str) -> str:
    """Return ``2.6`` for ``2.6.0+cu124``."""
    major, minor = release(version)
    return f"{major}.{minor}"


def supported(version: str) -> str:
    """Return the SUPPORTED entry for ``version``, or raise UnknownRelease naming the choices."""
    major, minor = release(version)
    name = f"{major}.{minor}"
    if name not in SUPPORTED:
        raise UnknownRelease(
            f"unknown torch release {version}; supported: {SUPPORTED[0]}, {SUPPORTED[1]}-{SUPPORTED[-1]}"
        )
    return name


def installed() -> str:
    """Return the installed torch's full version string (``torch.__version__``)."""
    import torch

    return str(torch.__version__)


def weights_only_reads_floats(version: str) -> bool:
    """Return whether ``torch.load(weights_only=True)`` reads Python floats on ``version``.

    1.13's weights_only unpickler has no BINFLOAT opcode, so it refuses any checkpoint holding an lr.
    That is a known violation of the weights_only claims; every other claim loads with
    ``weights_only=False`` there, so that it checks what it is about.
    """
    return at_least(version, "2.0")


def at_least(version: str, minimum: str | None) -> bool:
    """Return whether release ``version`` is ``minimum`` or newer (always true for None)."""
    return minimum is None or release(version) >= release(minimum)


def at_most(version: str, maximum: str | None) -> bool:
    """Return whether release ``version`` is ``maximum`` or older (always true for None)."""
    return maximum is None or release(version) <= release(maximum)


def pythons(release: str) -> list[str]:
    """Return the CPython versions ``release`` has wheels for, newest first (``["3.11", "3.10"]``)."""
    oldest, newest = (int(v.split(".")[1]) for v in PYTHONS[release])
    return [f"3.{minor}" for minor in range(newest, oldest - 1, -1)]
