"""What a claim may need a subject's optimizer to hold: the lr of its param groups, torch's state-dict layout.

Some claims read what torch's optimizers hold and a third-party class may not: the lr of every
param group (``param_groups[i]["lr"]``), or torch's state-dict layout (``state_dict()["state"]`` and
``["param_groups"]``). Such a claim names the need (``Claim.needs``); ``compat.run.anatomy`` measures
whether a subject holds it, and a subject without it gets not-applicable, never a harness error.
"""

LR = "lr"  # every param group holds an "lr"
LAYOUT = "layout"  # state_dict() holds torch's "state" and "param_groups"
NEEDS = (LR, LAYOUT)
