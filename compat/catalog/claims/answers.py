"""The answers to the questions users ask about the lr and the optimizer state dict."""

from __future__ import annotations

from compat.catalog.anatomy import LAYOUT, LR
from compat.catalog.claims import Claim

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="answer.lr-in-state-dict",
        statement="The lr is saved: it is at state_dict()['param_groups'][i]['lr'] for every group.",
        category="answers",
        needs=(LR, LAYOUT),
        check="answers.lr_in_state_dict",
        data="resumption.group_lrs",
    ),
    Claim(
        id="answer.lr-not-in-per-param-state",
        statement="No per-parameter state entry holds an 'lr' key, so state[...]['lr'] raises KeyError.",
        category="answers",
        needs=(LAYOUT,),
        check="answers.lr_not_in_per_param_state",
    ),
    Claim(
        id="answer.fresh-optimizer-uses-constructor-lr",
        statement="An optimizer re-created without load_state_dict trains with its constructor's lr, "
        "whatever the checkpoint held.",
        category="answers",
        needs=(LR,),
        check="answers.fresh_optimizer_uses_constructor_lr",
        data="resumption.fresh_lr",
    ),
)
