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
    """Return whether ``function``'s source calls the next ``<method>``: on ``super()``, or ``Base.<method>(self)``.

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
        and (_on_super(node.func.value) or _on_self(node))
        for node in ast.walk(tree)
    )


def _on_super(value: ast.expr) -> bool:
    """Return whether ``value`` is ``super()`` or ``super(Cls, self)``."""
    return isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "super"


def _on_self(call: ast.Call) -> bool:
    """Return whether ``call`` is ``Base.<method>(self, ...)``: a base class's method called on this object."""
    first = call.args[0] if call.args else None
    return not _on_super(call.func.value) and isinstance(first, ast.Name) and first.id == "self"
