"""What torch.save / torch.load give back for an optimizer state dict, and what state_dict() holds."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compat.catalog.anatomy import LAYOUT
from compat.catalog.claims import Claim, applicability
from compat.catalog.refusals import SAVE, WEIGHTS_ONLY

if TYPE_CHECKING:
    from compat.record.script import Writer


def roundtrip(w: Writer) -> str:
    return 'problems = differences(opt.state_dict(), loaded, "state_dict")'


def snapshot(w: Writer) -> str:
    return f"""
live = opt.state_dict()
given = copy.deepcopy(live)
train(opt, params, 1, {w.n})  # one more step
problems = changed(given, live, "the dict state_dict() returned, one step later")
"""


def complete(w: Writer) -> str:
    return 'problems = differences(by_position(opt), opt.state_dict()["state"], "state")'


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="optimizer.state_dict.roundtrip",
        statement="The dict torch.load returns equals the optimizer.state_dict() that was saved: "
        "same structure, Python values exactly, tensors bitwise with dtype and shape.",
        category="state_dict",
        refusals=(SAVE,),
        check=roundtrip,
    ),
    Claim(
        id="optimizer.state_dict.weights_only",
        statement="An optimizer state dict loads with torch.load(weights_only=True) and round-trips exactly.",
        category="state_dict",
        refusals=(WEIGHTS_ONLY,),
        check=roundtrip,
    ),
    Claim(
        id="optimizer.state_dict.mmap",
        statement="An optimizer state dict loads with torch.load(mmap=True) and round-trips exactly.",
        category="state_dict",
        applies=applicability.mmap,
        check=roundtrip,
    ),
    Claim(
        id="optimizer.state_dict.legacy-format",
        statement="An optimizer state dict saved in the legacy non-zip format "
        "(_use_new_zipfile_serialization=False) loads and round-trips exactly.",
        category="state_dict",
        check=roundtrip,
    ),
    Claim(
        id="optimizer.state_dict.is-snapshot",
        statement="The dict optimizer.state_dict() returns does not change when training continues, "
        "so it can be kept in memory as a checkpoint.",
        category="state_dict",
        check=snapshot,
    ),
    Claim(
        id="optimizer.state_dict.complete",
        statement="state_dict() holds every per-parameter state entry the optimizer keeps (optimizer.state), "
        "bitwise: nothing the update uses is left out of the checkpoint.",
        category="state_dict",
        needs=(LAYOUT,),
        check=complete,
    ),
)
