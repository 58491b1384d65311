"""Whether the installed torch says what a finding quotes: the sentence, in the source of the object named.

A documented or by-design entry of ``expected_outcomes.toml`` quotes PyTorch (``Evidence``). Its
``where`` names a torch object; the quote must be in that object's ``inspect.getsource`` on every
release from ``since`` on, and on no release before (where the documentation came later).
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

from compat.catalog.expectations import Evidence


def normalized(text: str) -> str:
    """Return ``text`` as a quote is compared: whitespace runs as one space, ``literal`` markup dropped.

    A docstring wraps its sentences across indented lines, and some releases mark names as
    ``literals`` where others do not; neither changes what the sentence says.
    """
    return " ".join(text.replace("``", "").split())


def source_of(where: str) -> str | None:
    """Return the source of the torch object ``where`` names (``torch.optim.Optimizer.state_dict``), or None.

    None where the installed torch has no such object (an older release, before it was added).
    """
    parts = where.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for name in parts[cut:]:
                found = getattr(found, name)
            return inspect.getsource(found)
        except (AttributeError, TypeError, OSError):
            return None
    return None


def quoted(evidence: Evidence) -> bool:
    """Return whether the installed torch's source of ``evidence.where`` holds ``evidence.quote``."""
    source = source_of(evidence.where)
    return source is not None and normalized(evidence.quote) in normalized(source)
