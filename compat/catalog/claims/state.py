"""Claims about the per-parameter state load_state_dict restores: values, dtypes, devices, step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from compat.catalog.anatomy import LAYOUT
from compat.catalog.claims import Claim, applicability
from compat.catalog.claims.shared import TRAIN_ON

if TYPE_CHECKING:
    from compat.record.script import Writer


def state(w: Writer) -> str:
    return 'problems = differences(opt.state_dict()["state"], by_position(fresh), "state")'


def _state_tensors(want: str, what: str) -> str:
    return f"""
problems, position, saved_state = [], 0, opt.state_dict()["state"]
for group in fresh.param_groups:
    special = bool(group.get("fused") or group.get("capturable"))  # then step lives with the param, in float32
    for param in group["params"]:
        for key, value in [(k, v) for k, v in fresh.state.get(param, {{}}).items() if isinstance(v, torch.Tensor)]:
            {want}
            if want is not None and value.{what} != want:
                problems.append(f"state[{{position}}].{{key}} of a {{param.dtype}} param on {{param.device}}: {{value.{what}}}, expected {{want}}")
        position += 1
"""


def dtype(w: Writer) -> str:
    step = 'torch.float32 if special else saved_state[position]["step"].dtype'
    want = f'want = ({step}) if key == "step" else param.dtype if value.is_floating_point() else None'
    return _state_tensors(want, "dtype")


def device(w: Writer) -> str:
    want = 'want = torch.device("cpu") if key == "step" and not special else param.device'
    return _state_tensors(want, "device")


def step_dtype(w: Writer) -> str:
    return (
        """
def step_dtypes(opt):
    return {i: getattr(s["step"], "dtype", type(s["step"]).__name__) for i, s in by_position(opt).items() if "step" in s}


print("default dtype:", torch.get_default_dtype(), "step saved:", step_dtypes(opt), "after load:", step_dtypes(fresh))
problems = differences(step_dtypes(opt), step_dtypes(fresh), "step after load")
"""
        + TRAIN_ON.format(m=w.m, n=w.n)
        + f"""train(opt, params, {w.m}, {w.n})  # the saving run trains on uninterrupted
problems += differences(step_dtypes(opt), step_dtypes(fresh), "step after training on")
"""
    )


CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="optimizer.state.restored",
        statement="After load_state_dict every per-parameter state tensor equals the saved one bitwise.",
        category="state",
        needs=(LAYOUT,),
        check=state,
    ),
    Claim(
        id="optimizer.state.dtype-follows-param",
        statement="Loading into params of another floating dtype casts floating state to the param's "
        "dtype; step keeps its own dtype (float32 under fused or capturable).",
        category="state",
        needs=(LAYOUT,),
        applies=applicability.dtypes,
        check=dtype,
    ),
    Claim(
        id="optimizer.state.device-follows-param",
        statement="After loading with any map_location, state lives on the param's device; step stays "
        "on the CPU unless the group is capturable or fused.",
        category="state",
        check=device,
    ),
    Claim(
        id="optimizer.state.step-dtype",
        statement="Under the default dtype and under torch.set_default_dtype(torch.float64), step has after "
        "load_state_dict the dtype (or number type) it was saved with, and after training on the one the "
        "uninterrupted optimizer has.",
        category="state",
        needs=(LAYOUT,),
        applies=applicability.step,
        check=step_dtype,
    ),
)
