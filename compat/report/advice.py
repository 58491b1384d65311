"""What ``check`` says of how it read a file, and what would make a file torch.load refused load.

Only plain data is ever suggested for ``torch.serialization.add_safe_globals``: a file naming anything
that can run code is named a danger instead (docs/kinds.md, remedies).
"""

from __future__ import annotations

from compat.report import checkpoint_files, unpickling
from compat.report.checkpoint_files import Opened


def how_read(found: Opened) -> str:
    """Return how ``found`` was read: by which unpickler, where its tensors were saved, what it replaced."""
    if found.trusted:
        mode = "weights_only=False (--trust-pickle)"
    elif not found.refusal:
        mode = "weights_only=True"
    elif found.content is None:
        mode = f"not loaded: weights_only=True refused it, and reading it with placeholders failed ({found.unread})"
    else:
        mode = "weights_only=True refused it; read with inert placeholders"
    if found.unimportable:
        mode = f"--trust-pickle stopped: {found.unimportable}; {mode}"
    where = f", tensors saved on {', '.join(sorted(found.locations))}" if found.locations else ""
    names, count = ", ".join(found.replaced), len(found.replaced)
    replaced = f"; replaced {count} global{'s' * (count > 1)} with inert placeholders (nothing ran): {names}"
    shown = replaced if found.replaced and found.content is not None else ""
    return f"{mode}{', memory-mapped' if found.mapped else ''}{where}{shown}"


# NOTE: [inert data] (compat.report.unpickling): allowlisting one of these lets torch's unpickler build it
# and nothing else. Anything else a file names (getattr, io.open, a function, functools.partial, a class of
# the saving script) can run code with arguments of the file's choosing: never suggested (docs/kinds.md).
# defaultdict and deque are inert but torch cannot fill them even allowlisted: not suggested either.
PLAIN_DATA = frozenset(unpickling.INERT_DATA) - unpickling.UNFILLABLE


def to_load(found: Opened, target: str | None = None) -> str:
    """Return what loading a refused file takes on ``target``: inert data to allowlist, or the danger it names."""
    unsafe = [name for name in found.refused_globals if name not in unpickling.INERT_DATA]
    unfillable = [name for name in found.refused_globals if name in unpickling.UNFILLABLE]
    data = [name for name in found.refused_globals if name in PLAIN_DATA]
    danger = (
        f"It names {len(unsafe)} global{'s' * (len(unsafe) > 1)} that can run code, or that nothing here knows to "
        f"be inert ({', '.join(unsafe)}): do not load this file unless you wrote it, and never allowlist "
        f"{'them' if len(unsafe) > 1 else 'it'}."
    )
    if target is not None and not checkpoint_files.refusal_applies(target):
        return (
            f"On torch {target} torch.load defaults to weights_only=False: the file loads there with the default "
            f"torch.load, which runs its pickle.{' ' + danger if unsafe else ''}"
        )
    if unsafe:
        return f"{danger} Re-save the checkpoint without {'them' if len(unsafe) > 1 else 'it'}."
    if unfillable:
        return (
            f"It holds {', '.join(unfillable)}: inert, but torch.load(weights_only=True) cannot fill one even "
            "allowlisted; re-save the checkpoint with a plain dict or list in its place."
        )
    if data:
        allow = unpickling.allowlist_call(data)
        return f"It holds only plain data torch does not allow by default: it loads after {allow}."
    return "It names no global torch refuses: the refusal above is about how the file was pickled."
