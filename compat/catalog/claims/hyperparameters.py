"""Claims about the hyperparameters and flags load_state_dict restores."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compat.catalog.anatomy import LAYOUT, LR
from compat.catalog.claims import Claim, applicability
from compat.catalog.claims.shared import TRAIN_ON

if TYPE_CHECKING:
    from compat.record.script import Writer


def hyperparameters_restored(w: Writer) -> str:
    return (
        'problems = differences(hyperparameters(opt.param_groups), hyperparameters(fresh.param_groups), "param_groups")'
    )


def flags(w: Writer) -> str:
    return """
problems = []
for i, (before, after) in enumerate(zip(opt.state_dict()["param_groups"], fresh.param_groups)):
    for flag in ("foreach", "fused", "capturable", "differentiable", "maximize"):
        if flag in before and after.get(flag) != before[flag]:
            problems.append(f"param_groups[{i}].{flag}: saved {before[flag]!r}, after load {after.get(flag)!r}")
"""


def tensor_lr(w: Writer) -> str:
    return """
saved_lrs, got = [g["lr"] for g in opt.param_groups], [g["lr"] for g in fresh.param_groups]
print("lr saved:", saved_lrs, "after load:", got)
problems = [f"param_groups[{i}].lr: {a!r} vs {b!r}" for i, (a, b) in enumerate(zip(saved_lrs, got))
            if isinstance(a, torch.Tensor) and (not isinstance(b, torch.Tensor) or differences(a, b))]
"""


def lr_type(w: Writer) -> str:
    return """
print("lr in the checkpoint:", [g["lr"] for g in opt.param_groups], "after load_state_dict:", [g["lr"] for g in fresh.param_groups])
problems = differences([g["lr"] for g in opt.param_groups], [g["lr"] for g in fresh.param_groups], "lr")
""" + TRAIN_ON.format(m=w.m, n=w.n)


def _resumed_with_flags(w: Writer) -> str:
    return f"""
def resumed(flags):  # load the checkpoint with ``flags`` set in every group, then train on
    written = copy.deepcopy(loaded)
    for group in written["param_groups"]:
        group.update(flags)
    moved_params = {w.fresh_params()}
    moved = {w.new("moved_params")}
    try:
        moved.load_state_dict(written)
        train(moved, moved_params, {w.m}, {w.n})
    except Exception as error:
        return moved_params, first_line(error)
    return moved_params, ""
"""


def device_flags(w: Writer) -> str:
    return (
        _resumed_with_flags(w)
        + """

moved_params, refused = resumed(WRITTEN_FLAGS)
cpu_params, cpu_refused = resumed(CPU_FLAGS)  # the same checkpoint with only the flags the CPU runs
problems = [refusal for refusal in (refused, cpu_refused) if refusal][:1]
problems = problems or differences([p.detach() for p in cpu_params], [p.detach() for p in moved_params], "params")
"""
    )


def default_device_flags(w: Writer) -> str:
    return (
        _resumed_with_flags(w)
        + """

moved_params, refused = resumed(WRITTEN_FLAGS)
problems = [refused] if refused else differences([p.detach() for p in straight_params], [p.detach() for p in moved_params], "params")
"""
    )


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="optimizer.hyperparameters.restored",
        statement="After load_state_dict every param group's hyperparameters, lr included, equal the "
        "saved ones, whatever the constructor was given.",
        category="hyperparameters",
        needs=(LAYOUT,),
        check=hyperparameters_restored,
    ),
    Claim(
        id="optimizer.flags.restored",
        statement="After load_state_dict the foreach, fused, capturable, differentiable and maximize "
        "flags of every param group are the saved ones, not the constructor's.",
        category="hyperparameters",
        needs=(LAYOUT,),
        applies=applicability.flags,
        check=flags,
        remedy="After load_state_dict, set the flags you want in every param group (the loaded ones override "
        "the constructor's).",
    ),
    Claim(
        id="optimizer.lr.tensor.preserved",
        statement="A tensor lr is still a tensor of the same value after the round trip.",
        category="hyperparameters",
        needs=(LR, LAYOUT),
        applies=applicability.tensor_lr,
        check=tensor_lr,
    ),
    Claim(
        id="optimizer.lr.type-follows-checkpoint",
        statement="Loading a float-lr checkpoint into an optimizer built with a tensor lr, or a tensor-lr "
        "checkpoint into one built with a float lr, leaves every group's lr of the checkpoint's type and value "
        "(a float, or a tensor of its dtype), and step() runs with it.",
        category="hyperparameters",
        needs=(LR, LAYOUT),
        applies=applicability.tensor_lr,
        check=lr_type,
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
        check=default_device_flags,
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
        check=device_flags,
        remedy="Before load_state_dict, set fused and capturable to False in the checkpoint's param groups when "
        "resuming on a device that does not run them.",
    ),
)
