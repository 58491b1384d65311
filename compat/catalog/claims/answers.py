"""The answers to the questions users ask about the lr and the optimizer state dict."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compat.catalog.anatomy import LAYOUT, LR
from compat.catalog.claims import Claim

if TYPE_CHECKING:
    from compat.record.script import Writer


def lr_saved(w: Writer) -> str:
    wanted = [w.value(w.case.group_kwargs(i)["lr"], w.case.device) for i in range(len(w.case.layout.groups))]
    return f"""
given = [{", ".join(wanted)}]  # the lr of every group, as built
groups = opt.state_dict()["param_groups"]
problems = [f"param_groups[{{i}}] has no 'lr'" for i, g in enumerate(groups) if "lr" not in g]
problems = problems or differences(given, [g["lr"] for g in groups], "lr")
"""


def lr_not_per_param(w: Writer) -> str:
    return 'problems = [f"state[{i}] holds an lr: {s[\'lr\']!r}" for i, s in opt.state_dict()["state"].items() if "lr" in s]'


def fresh_lr(w: Writer) -> str:
    return f"""
other = {w.new("fresh_params")}  # re-created, the checkpoint not loaded
train(other, fresh_params, 1, {w.n})
problems = differences([{w.value(w.case.fresh_kwargs["lr"], w.case.load_device)}] * len(other.param_groups), [g["lr"] for g in other.param_groups], "lr")
"""


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="answer.lr-in-state-dict",
        statement="The lr is saved: it is at state_dict()['param_groups'][i]['lr'] for every group.",
        category="answers",
        needs=(LR, LAYOUT),
        check=lr_saved,
    ),
    Claim(
        id="answer.lr-not-in-per-param-state",
        statement="No per-parameter state entry holds an 'lr' key, so state[...]['lr'] raises KeyError.",
        category="answers",
        needs=(LAYOUT,),
        check=lr_not_per_param,
    ),
    Claim(
        id="answer.fresh-optimizer-uses-constructor-lr",
        statement="An optimizer re-created without load_state_dict trains with its constructor's lr, "
        "whatever the checkpoint held.",
        category="answers",
        needs=(LR,),
        check=fresh_lr,
    ),
)
