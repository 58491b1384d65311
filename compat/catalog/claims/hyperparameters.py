"""Claims about the hyperparameters and flags load_state_dict restores."""

from __future__ import annotations

from compat.catalog.anatomy import LAYOUT, LR
from compat.catalog.claims import Claim, applicability

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="optimizer.hyperparameters.restored",
        statement="After load_state_dict every param group's hyperparameters, lr included, equal the "
        "saved ones, whatever the constructor was given.",
        category="hyperparameters",
        needs=(LAYOUT,),
        check="hyperparameters.restored",
    ),
    Claim(
        id="optimizer.flags.restored",
        statement="After load_state_dict the foreach, fused, capturable, differentiable and maximize "
        "flags of every param group are the saved ones, not the constructor's.",
        category="hyperparameters",
        needs=(LAYOUT,),
        applies=applicability.flags,
        check="hyperparameters.flags_restored",
        remedy="After load_state_dict, set the flags you want in every param group (the loaded ones override "
        "the constructor's).",
    ),
    Claim(
        id="optimizer.lr.tensor.preserved",
        statement="A tensor lr is still a tensor of the same value after the round trip.",
        category="hyperparameters",
        needs=(LR, LAYOUT),
        applies=applicability.tensor_lr,
        check="hyperparameters.tensor_lr_preserved",
        data="resumption.group_lrs",
    ),
    Claim(
        id="optimizer.lr.type-follows-checkpoint",
        statement="Loading a float-lr checkpoint into an optimizer built with a tensor lr, or a tensor-lr "
        "checkpoint into one built with a float lr, leaves every group's lr of the checkpoint's type and value "
        "(a float, or a tensor of its dtype), and step() runs with it.",
        category="hyperparameters",
        needs=(LR, LAYOUT),
        applies=applicability.tensor_lr,
        check="hyperparameters.lr_type_follows_checkpoint",
    ),
    Claim(
        id="optimizer.load.flags-from-another-device.defaults",
        statement="A checkpoint a CUDA run wrote with the optimizer's default flags (its param groups holding foreach, "
        "fused and capturable as the constructor stores them when none is passed, e.g. foreach=None, fused=None, "
        "capturable=False; set in the saved dict, and run on the CPU) loads into an optimizer on the CPU, steps, and "
        "ends bitwise equal to the uninterrupted run.",
        category="hyperparameters",
        needs=(LAYOUT,),
        applies=applicability.device_flags,
        check="hyperparameters.default_flags_resume",
        data="resumption.written_flags",
    ),
    Claim(
        id="optimizer.load.flags-from-another-device",
        statement="A checkpoint whose param groups carry the opt-in flags a CUDA run writes when its code passes them "
        "(fused=True, capturable=True or foreach=True; set in the saved dict as a CUDA-written checkpoint carries "
        "them, and run on the CPU) loads into an optimizer on the CPU, steps, and trains bitwise as the same "
        "checkpoint carrying only those of the flags the CPU runs.",
        category="hyperparameters",
        needs=(LAYOUT,),
        applies=applicability.device_flags,
        check="hyperparameters.device_flags_resume",
        data="resumption.written_flags",
        remedy="Before load_state_dict, set fused and capturable to False in the checkpoint's param groups when "
        "resuming on a device that does not run them.",
    ),
)
