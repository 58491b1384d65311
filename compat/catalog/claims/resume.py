"""Claims about training on from a checkpoint: bitwise the uninterrupted run."""

from __future__ import annotations

from compat.catalog.anatomy import LAYOUT
from compat.catalog.claims import Claim
from compat.catalog.refusals import LOAD_STATE_DICT

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="optimizer.resume.bitwise",
        statement="N steps, save, load into fresh objects, M steps equals N+M uninterrupted steps "
        "bitwise, parameters and optimizer state.",
        category="resume",
        refusals=(LOAD_STATE_DICT,),
        check="resume.bitwise",
    ),
    Claim(
        id="optimizer.load.no-grad-params",
        statement="Params that never had a grad have no optimizer state before or after the round "
        "trip, and resuming stays bitwise.",
        category="resume",
        needs=(LAYOUT,),
        check="resume.no_grad_params",
        data="resumption.idle_positions",
    ),
)
