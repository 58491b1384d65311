"""Benchmark figures kept between runs in ``bench/`` (out of git), so a regression shows beside its figure.

Each benchmark run writes ``bench/<kind>-<commit>.json`` (its figures by name) and prints every figure
beside the same figure of the newest file of the same kind written at another commit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from compat.record import recorder

BENCH = Path("bench")


@dataclass(frozen=True)
class Earlier:
    """The figures of the newest benchmark of one kind at another commit."""

    commit: str
    figures: dict[str, float]


def earlier(kind: str, commit: str, folder: Path = BENCH) -> Earlier | None:
    """Return the newest figures of ``kind`` written at a commit other than ``commit``, or None."""
    found: list[tuple[str, Earlier]] = []
    for path in folder.glob(f"{kind}-*.json"):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            entry = (document["written"], Earlier(document["commit"], dict(document["figures"])))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # a file this module did not write, or a half-written one: no comparison from it
        if entry[1].commit != commit:
            found.append(entry)
    return max(found, key=lambda item: item[0])[1] if found else None


def kept(kind: str, commit: str, figures: dict[str, float], folder: Path = BENCH) -> Path:
    """Write ``figures`` as the benchmark of ``kind`` at ``commit``; return the file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{kind}-{commit.replace('+', '-')[:18]}.json"
    document = {"kind": kind, "commit": commit, "written": recorder.now(), "figures": figures}
    recorder.write_atomically(path, json.dumps(document, indent=1) + "\n")
    return path


def beside(name: str, value: float, before: Earlier | None) -> str:
    """Return ``value`` formatted with the earlier run's figure of ``name`` and the change, where there is one."""
    text = f"{value:10.1f}"
    if before is None or name not in before.figures:
        return text
    old = before.figures[name]
    change = f" ({(value - old) / old:+.0%})" if old else ""
    return f"{text}   was {old:.1f} at {before.commit[:10]}{change}"


def row(label: str, name: str, value: float, before: Earlier | None, note: str = "", width: int = 24) -> str:
    """Return one printed figure: ``label``, the value beside the earlier run's (``beside``), and ``note``."""
    return f"{label:<{width}}{beside(name, value, before)}  {note}".rstrip()
