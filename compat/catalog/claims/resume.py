"""Claims about training on from a checkpoint: bitwise the uninterrupted run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compat.catalog.anatomy import LAYOUT
from compat.catalog.claims import Claim
from compat.catalog.refusals import LOAD_STATE_DICT

if TYPE_CHECKING:
    from compat.record.script import Writer


def resume(w: Writer) -> str:
    return f"""
train(fresh, fresh_params, {w.m}, {w.n})
problems = differences([p.detach() for p in straight_params], [p.detach() for p in fresh_params], "params")
problems += differences(straight.state_dict(), fresh.state_dict(), "state_dict")
"""


def no_grad(w: Writer) -> str:
    idle = [i for i, p in enumerate(w.case.layout.params) if p.role != "trained"]
    return f"""
idle = [p for i, p in enumerate(params) if i in {tuple(idle)!r}]  # params that never get a grad
problems = [f"a param that never had a grad has state before the save: {{opt.state[p]}}" for p in idle if p in opt.state]
train(fresh, fresh_params, {w.m}, {w.n})
problems += [f"a param that never had a grad has state after resuming" for i in {tuple(idle)!r} if fresh_params[i] in fresh.state]
problems += differences([p.detach() for p in straight_params], [p.detach() for p in fresh_params], "params")
"""


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="optimizer.resume.bitwise",
        statement="N steps, save, load into fresh objects, M steps equals N+M uninterrupted steps "
        "bitwise, parameters and optimizer state.",
        category="resume",
        refusals=(LOAD_STATE_DICT,),
        check=resume,
    ),
    Claim(
        id="optimizer.load.no-grad-params",
        statement="Params that never had a grad have no optimizer state before or after the round "
        "trip, and resuming stays bitwise.",
        category="resume",
        needs=(LAYOUT,),
        check=no_grad,
    ),
)
