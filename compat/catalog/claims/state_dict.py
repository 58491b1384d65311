"""What torch.save / torch.load give back for an optimizer state dict, and what state_dict() holds."""

from __future__ import annotations

from compat.catalog.anatomy import LAYOUT
from compat.catalog.claims import Claim, applicability
from compat.catalog.refusals import SAVE, WEIGHTS_ONLY

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="optimizer.state_dict.roundtrip",
        statement="The dict torch.load returns equals the optimizer.state_dict() that was saved: "
        "same structure, Python values exactly, tensors bitwise with dtype and shape.",
        category="state_dict",
        refusals=(SAVE,),
        check="state_dict.roundtrip",
    ),
    Claim(
        id="optimizer.state_dict.weights_only",
        statement="An optimizer state dict loads with torch.load(weights_only=True) and round-trips exactly.",
        category="state_dict",
        refusals=(WEIGHTS_ONLY,),
        check="state_dict.roundtrip",
    ),
    Claim(
        id="optimizer.state_dict.mmap",
        statement="An optimizer state dict loads with torch.load(mmap=True) and round-trips exactly.",
        category="state_dict",
        applies=applicability.mmap,
        check="state_dict.roundtrip",
    ),
    Claim(
        id="optimizer.state_dict.legacy-format",
        statement="An optimizer state dict saved in the legacy non-zip format "
        "(_use_new_zipfile_serialization=False) loads and round-trips exactly.",
        category="state_dict",
        check="state_dict.roundtrip",
    ),
    Claim(
        id="optimizer.state_dict.is-snapshot",
        statement="The dict optimizer.state_dict() returns does not change when training continues, "
        "so it can be kept in memory as a checkpoint.",
        category="state_dict",
        check="state_dict.snapshot",
    ),
    Claim(
        id="optimizer.state_dict.complete",
        statement="state_dict() holds every per-parameter state entry the optimizer keeps (optimizer.state), "
        "bitwise: nothing the update uses is left out of the checkpoint.",
        category="state_dict",
        needs=(LAYOUT,),
        check="state_dict.complete",
    ),
)
