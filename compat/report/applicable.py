"""Whether a finding applies to a checkpoint: its conditions and flags matched against the file's own values.

A finding shows on its example and needs what its conditions say ("only with a tensor lr") and,
for the device-flag claims, the flags its example saved with (``capturable=True``). The file says
which of those it has: the flags set in its param groups, whether its lr is a tensor, its state's
dtypes, its groups and the params without state. A condition the file
cannot tell (how many steps the resumed run takes) leaves the finding applying, and says so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import torch

from compat.catalog import specs

SAVING_FLAGS = re.compile(r"(?<![\w])(?:kwargs|written_flags)=\{(.*?)\}")
SET_FLAG = re.compile(r"'?(\w+)'?(?::|=) ?True")


@dataclass(frozen=True)
class Facts:
    """What an optimizer state in a file holds, as far as findings' conditions ask."""

    flags: frozenset[str]  # the flags set to True in some param group
    tensor_lr: bool
    dtypes: frozenset[str]  # of its state tensors
    groups: int
    params: int
    idle: int  # params in its groups without state (never stepped: frozen, or without grad)

    def describe(self) -> str:
        """Return the facts as one clause: flags, lr, dtypes, groups."""
        flags = ", ".join(f"{f}=True" for f in sorted(self.flags)) or "no flags set"
        dtypes = ", ".join(sorted(self.dtypes)) or "no state tensors"
        lr = "a tensor lr" if self.tensor_lr else "a float lr"
        return f"{flags}; {lr}; state {dtypes}; {self.groups} group(s), {self.params} param(s)"


def facts(state: Mapping[str, Any]) -> Facts:
    """Return the facts of the optimizer ``state``."""
    groups = [g for g in state.get("param_groups", []) if isinstance(g, Mapping)]
    saved = state.get("state", {})
    tensors = [v for s in saved.values() if isinstance(s, Mapping) for v in s.values() if isinstance(v, torch.Tensor)]
    params = [p for g in groups for p in g.get("params", [])]
    return Facts(
        flags=frozenset(f for g in groups for f in specs.FLAGS if g.get(f) is True),
        tensor_lr=any(isinstance(g.get("lr"), torch.Tensor) for g in groups),
        dtypes=frozenset(str(t.dtype).removeprefix("torch.") for t in tensors),
        groups=len(groups),
        params=len(params),
        idle=sum(1 for p in params if p not in saved),
    )


def failing_flags(reason: str, example: str | None) -> frozenset[str]:
    """Return the flags a device-flag violation fails on, as its outcome on the target release shows them.

    The error torch raised names them (``If capturable=True, ...``; a fused kernel missing on the CPU,
    ``aten::_fused_adam_``); failing that, the flags the example wrote into the saved groups, but
    foreach, which every release runs on the CPU.
    """
    error = reason.split("; flags written", 1)[0]
    named = {f for f in SET_FLAG.findall(error) if f in specs.FLAGS} | ({"fused"} if "_fused_" in error else set())
    if named:
        return frozenset(named)
    written = SAVING_FLAGS.findall(example or "")
    return frozenset(f for part in written for f in SET_FLAG.findall(part) if f in specs.FLAGS) - {"foreach"}


def verdict(condition: str, held: Facts) -> bool | None:
    """Return whether the file meets one condition ("only with ..."): True, False, or None where it cannot tell."""
    wanted = condition.removeprefix("only with ")
    flag = re.fullmatch(r"(\w+)=True", wanted)
    if flag:
        return flag.group(1) in held.flags
    if wanted == "a tensor lr":
        return held.tensor_lr
    if wanted.startswith("a param of another dtype than float32"):
        return bool(held.dtypes - {"float32"}) if held.dtypes else None
    if wanted == "two or more param groups":
        return held.groups >= 2
    if wanted == "more than one param":
        return held.params > 1
    if wanted in ("a no-grad param", "a frozen param"):
        return held.idle > 0
    return None


def applies(conditions: list[str], flags: frozenset[str], held: Facts) -> tuple[bool, str]:
    """Return whether a finding with ``conditions``, failing on any of ``flags``, applies to the file, and why."""
    reasons, open_ = [], []
    if flags and not flags & held.flags:
        needed = " or ".join(f"{f}=True" for f in sorted(flags))
        return False, f"it needs {needed}; the file holds {held.describe()}"
    if flags:
        reasons.append(f"its groups hold {', '.join(f'{f}=True' for f in sorted(flags & held.flags))}")
    for condition in conditions:
        met = verdict(condition, held)
        if met is False:
            return False, f"it needs {condition.removeprefix('only with ')}; the file holds {held.describe()}"
        (reasons if met else open_).append(condition.removeprefix("only with "))
    if open_:
        reasons.append(f"if the resume has {' and '.join(open_)} (the file cannot tell)")
    return True, "; ".join(reasons)
