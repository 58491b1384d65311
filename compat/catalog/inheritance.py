"""Whether a class runs a method of torch's: inherited unchanged, or reached from its own override through ``super()``.

A user optimizer that overrides ``load_state_dict`` to add a line and then calls
``super().load_state_dict(state_dict)`` still loads through torch's method, so it shares that
method's known violations; one that replaces the method does not. Read from the source of each
override along the class's method resolution order (no instance is built, nothing runs).
"""

from __future__ import annotations

import ast
import functools
import inspect
import textwrap


def runs(cls: type, base: type, method: str) -> bool:
    """Return whether ``cls.<method>`` is ``base``'s, or every override on the way calls ``super().<method>``."""
    torch_method = getattr(base, method, None)
    for owner in cls.__mro__:
        if method not in vars(owner):
            continue
        found = vars(owner)[method]
        if found is torch_method or owner is base:
            return found is torch_method
        if not calls_super(found, method):
            return False
    return False


@functools.cache
def calls_super(function: object, method: str) -> bool:
    """Return whether ``function``'s source calls ``super().<method>(...)`` (or ``super(Cls, self).<method>``).

    A function whose source cannot be read (built in, compiled, made at run time) does not count.
    """
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(inspect.unwrap(function))))
    except (OSError, TypeError, SyntaxError):
        return False
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == method
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
        and node.func.value.func.id == "super"
        for node in ast.walk(tree)
    )
