"""Python source for what a reproducer states: values, schedulers, literal tensors, and the helpers it may define.

Each helper (the differ, the state by position, ...) is the text of a plain-torch definition that
``compat.record.script`` writes into a reproducer only when its check names it.
"""

from __future__ import annotations

import inspect
import math
from typing import Any

from compat.catalog import schedulers, specs
from compat.catalog.case import Case, Fn, Sched, TensorLr

USED_CYCLED = """\
def used(opt):  # the lr each group's next step uses, and the momentum (or beta1) the scheduler cycles
    found = [{"lr": float(g["lr"])} for g in opt.param_groups]
    for values, g in zip(found, opt.param_groups):
        values.update({"momentum": float(g["momentum"])} if "momentum" in g else {"beta1": float(g["betas"][0])})
    return found
"""
# What a script defines for each kind of schedule callable (compat.catalog.schedule_functions builds the same),
# without blank lines: a reproducer is read whole, and a kind's definitions belong together.
SCHEDULE_FUNCTIONS = {
    "closure": "def decay_closure(factor):\n    return lambda epoch: factor ** epoch\n",
    "function": "def decay(epoch):  # reads DECAY, a module constant: module_decay() sets it as code defining it would\n"
    "    return DECAY ** epoch\n"
    "def module_decay(value):\n    global DECAY\n    DECAY = value\n    return decay\n",
    "object": "class ScheduleObject:\n    def __init__(self, factor):\n        self.factor = factor\n"
    "    def __call__(self, epoch):\n        return self.factor ** epoch\n",
    "partial": "from functools import partial\ndef power(epoch, factor):\n    return factor ** epoch\n",
    "method": "class Decay:\n    def __init__(self, factor):\n        self.factor = factor\n"
    "    def at(self, epoch):\n        return self.factor ** epoch\n",
}
_FN_SOURCES = {
    "lambda": "lambda epoch: {factor!r} ** epoch",
    "closure": "decay_closure({factor!r})",
    "function": "module_decay({factor!r})",
    "object": "ScheduleObject({factor!r})",
    "partial": "partial(power, factor={factor!r})",
    "method": "Decay({factor!r}).at",
}


def literal(value: Any) -> str:
    """Return Python source for a constructor value (tensor lrs, dtypes and tuples included)."""
    if isinstance(value, TensorLr):
        return f"torch.tensor({value.value!r})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, float) and not math.isfinite(value):
        return f"float({str(value)!r})"  # repr gives inf or nan, which a script cannot read back
    return repr(value)


def fn_source(fn: Fn) -> str:
    """Return Python source for a schedule callable, written the way its kind says."""
    return _FN_SOURCES[fn.kind].format(factor=fn.factor)


def _argument_source(value: Any) -> str:
    if isinstance(value, Fn):
        return fn_source(value)
    if isinstance(value, list):
        return "[" + ", ".join(_argument_source(v) for v in value) + "]"
    return literal(value)


def scheduler_source(sched: Sched, opt: str = "opt", last_epoch: str = "") -> str:
    """Return the Python expression that builds ``sched`` on the optimizer named ``opt``.

    ``last_epoch`` is passed as ``last_epoch`` to every constructor that takes it.
    """
    spec = schedulers.get(sched.name)
    kwargs = "".join(f", {k}={_argument_source(v)}" for k, v in sched.kwargs.items())
    if last_epoch and schedulers.takes_last_epoch(spec.load()):
        kwargs += f", last_epoch={last_epoch}"
    children = "[" + ", ".join(scheduler_source(child, opt, last_epoch) for child in sched.children) + "]"
    if sched.name == "SequentialLR":
        return f"{spec.target}({opt}, schedulers={children}{kwargs})"
    if sched.name == "ChainedScheduler":
        return f"{spec.target}({children}{kwargs})"
    return f"{spec.target}({opt}{kwargs})"


def _number(value: float, dtype: Any) -> str:
    """Return the shortest decimal that ``torch.tensor(..., dtype=dtype)`` reads back as ``value``."""
    import torch  # only where a script is written

    if not math.isfinite(value):
        return f"float({str(value)!r})"
    for digits in range(4, 18):
        text = f"{value:.{digits}g}"
        if torch.tensor(float(text), dtype=dtype).item() == value:
            return text
    return repr(value)


def tensor_source(tensor: Any) -> str:
    """Return the nested-list literal of ``tensor``'s values, each as short as reads back exactly."""

    def nested(values: Any) -> str:
        if isinstance(values, list):
            return "[" + ", ".join(nested(v) for v in values) + "]"
        return _number(values, tensor.dtype)

    return nested(tensor.tolist())


def defaults(target: str) -> dict[str, Any]:
    """Return the constructor defaults of ``target`` on this release ({} where they cannot be read)."""
    try:
        return {
            name: p.default
            for name, p in inspect.signature(specs.imported(target)).parameters.items()
            if p.default is not inspect.Parameter.empty
        }
    except (TypeError, ValueError, ImportError, AttributeError):
        return {}


def is_default(value: Any, default: Any) -> bool:
    """Return whether a constructor argument equals its default (a number of either type; never a tensor)."""
    if isinstance(value, TensorLr) or type(default).__name__ == "Tensor":
        return False
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (value, default))
    return (numbers or type(value) is type(default)) and value == default


def seed_source(case: Case, index: str, step: str) -> str:
    """Return the source of engine.seed_for(case.seed, index, step)."""
    base = case.seed * 1_000_000
    return f"{base} + 1000 * {index} + {step} + 1" if base else f"1000 * {index} + {step} + 1"
