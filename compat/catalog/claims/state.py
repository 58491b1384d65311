"""Claims about the per-parameter state load_state_dict restores: values, dtypes, devices, step."""

from __future__ import annotations

from compat.catalog.anatomy import LAYOUT
from compat.catalog.claims import Claim, applicability

CLAIMS: tuple[Claim, ...] = (
    Claim(
        id="optimizer.state.restored",
        statement="After load_state_dict every per-parameter state tensor equals the saved one bitwise.",
        category="state",
        needs=(LAYOUT,),
        check="state.restored",
    ),
    Claim(
        id="optimizer.state.dtype-follows-param",
        statement="Loading into params of another floating dtype casts floating state to the param's "
        "dtype; step keeps its own dtype (float32 under fused or capturable).",
        category="state",
        needs=(LAYOUT,),
        applies=applicability.dtypes,
        check="state.dtype_follows_param",
    ),
    Claim(
        id="optimizer.state.device-follows-param",
        statement="After loading with any map_location, state lives on the param's device; step stays "
        "on the CPU unless the group is capturable or fused.",
        category="state",
        check="state.device_follows_param",
    ),
    Claim(
        id="optimizer.state.step-dtype",
        statement="Under the default dtype and under torch.set_default_dtype(torch.float64), step has after "
        "load_state_dict the dtype (or number type) it was saved with, and after training on the one the "
        "uninterrupted optimizer has.",
        category="state",
        needs=(LAYOUT,),
        applies=applicability.step,
        check="state.step_dtype",
        data="resumption.trains_on",
    ),
)
