"""A check's source as a reproducer defines it: the function, what of its module it calls, the helpers, its values.

A claim's check (compat/catalog/checks) is printed as it is written: ``inspect.getsource`` of the
function, of the functions of its own module it calls, and of the helpers
(``compat.catalog.checks.helpers``) any of them call; the values its claim's data function gives are
written as literal assignments.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import io
import re
import textwrap
import tokenize
from collections.abc import Callable
from typing import Any

from compat.catalog.sources import literal


@functools.lru_cache(maxsize=256)
def names_in(text: str) -> frozenset[str]:
    """Return the names the code ``text`` uses (an f-string's fields included; other strings and comments not)."""
    found = set()
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.NAME:
            found.add(token.string)
        elif token.type == tokenize.STRING and "f" in token.string.split("'")[0].split('"')[0].lower():
            for expression in re.findall(r"(?<!\{)\{([^{}]+)\}", token.string):  # an f-string's fields (before 3.12)
                found.update(re.findall(r"[A-Za-z_]\w*", expression))
    return frozenset(found)


def helper_sources(names: frozenset[str]) -> list[str]:
    """Return the definitions of the helpers (compat.catalog.checks.helpers) that code naming ``names`` calls."""
    return _called(names, HELPERS)


def _called(names: frozenset[str], definitions: dict[str, str]) -> list[str]:
    """Return the ``definitions`` (name: source) that code naming ``names`` calls, and those they call, in order."""
    wanted, queue = set(), [n for n in names if n in definitions]
    while queue:
        name = queue.pop()
        if name not in wanted:
            wanted.add(name)
            queue.extend(n for n in names_in(definitions[name]) if n in definitions)
    return [source for name, source in definitions.items() if name in wanted]


def _definitions() -> dict[str, str]:
    from compat.catalog.checks import helpers

    return {
        name: function_source(value)
        for name, value in vars(helpers).items()
        if inspect.isfunction(value) and value.__module__ == helpers.__name__
    }


def local_sources(function: Callable[..., Any]) -> list[str]:
    """Return the sources of the functions of ``function``'s module that it calls (and they call), in module order."""
    local = {
        name: function_source(value)
        for name, value in vars(inspect.getmodule(function)).items()
        if inspect.isfunction(value) and value.__module__ == function.__module__ and value is not function
    }
    return _called(names_in(function_source(function)), local)


@functools.cache
def function_source(function: Callable[..., Any]) -> str:
    """Return ``function``'s source as a script defines it (decorators and all, dedented)."""
    return textwrap.dedent(inspect.getsource(function))


HELPERS = _definitions()


def data_lines(data: dict[str, Any], names: list[str]) -> str:
    """Return one assignment per value the check takes, as literal source."""
    lines = ""
    for name in names:
        value = data[name]
        text = _dotted(value) if isinstance(value, type) else literal(value)
        lines += f"{name} = {text}\n"
    return lines


def _dotted(cls: type) -> str:
    """Return the shortest dotted name that reaches ``cls`` (``ValueError``, ``torch.optim.AdamW``)."""
    if cls.__module__ == "builtins":
        return cls.__name__
    parts = cls.__module__.split(".")
    for end in range(1, len(parts) + 1):
        module = importlib.import_module(".".join(parts[:end]))
        if getattr(module, cls.__name__, None) is cls:
            return f"{'.'.join(parts[:end])}.{cls.__name__}"
    return f"{cls.__module__}.{cls.__qualname__}"
