"""Claims about the per-parameter optimizer state after load_state_dict."""

from __future__ import annotations

from typing import Any

import torch
from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.specs import OptimizerSpec
from compat.record.claim_tests import claim, leave_unless, reproducible
from compat.run import engine, resumption
from compat.run.checks import assert_same, assert_state_on_param_device, assert_that
from props.strategies import cases, default_dtype_cases


def state_tensors(opt: torch.optim.Optimizer) -> list[tuple[str, torch.Tensor, torch.Tensor, bool]]:
    """Return (key, value, param, fused-or-capturable) for every state tensor."""
    found = []
    for group in opt.param_groups:
        special = bool(group.get("fused") or group.get("capturable"))
        for param in group["params"]:
            for key, value in opt.state.get(param, {}).items():
                if isinstance(value, torch.Tensor):
                    found.append((key, value, param, special))
    return found


@claim("optimizer.state.restored")
@given(data=st.data())
def test_every_state_tensor_is_restored_bitwise(subject: OptimizerSpec, data: st.DataObject) -> None:
    """After load_state_dict every per-parameter state tensor equals the saved one bitwise."""
    case = data.draw(cases(subject), label="case")
    with reproducible(case):
        trip = engine.roundtrip(case)
        assert_same(
            trip.saved["state"],
            engine.state_by_position(trip.optimizer),
            case,
            names=("saved", "after load_state_dict"),
            path="state",
        )


def _expected_step_dtype(saved: dict[str, Any], position: int, special: bool) -> torch.dtype:
    """Return the dtype ``step`` keeps: float32 under fused/capturable, else the saved one."""
    return torch.float32 if special else saved["state"][position]["step"].dtype


@claim("optimizer.state.dtype-follows-param")
@given(data=st.data())
def test_floating_state_follows_the_param_dtype(subject: OptimizerSpec, data: st.DataObject) -> None:
    """Loading into params of another floating dtype casts floating state to the param's dtype."""
    case = data.draw(cases(subject, load_dtype=True), label="case")
    with reproducible(case):
        trip = engine.roundtrip(case)
        flat = [p for group in trip.optimizer.param_groups for p in group["params"]]
        positions = {id(p): n for n, p in enumerate(flat)}
        wanted, found = {}, {}
        for key, value, param, special in state_tensors(trip.optimizer):
            position = positions[id(param)]
            if key == "step":
                dtype = _expected_step_dtype(trip.saved, position, special)
            elif value.is_floating_point():
                dtype = param.dtype
            else:
                continue
            path = f"state[{position}].{key}"
            wanted[path], found[path] = str(dtype), str(value.dtype)
        assert_same(wanted, found, case, names=("expected dtype", "loaded dtype"), path="")


@claim("optimizer.state.device-follows-param")
@given(data=st.data())
def test_state_lives_on_the_param_device(subject: OptimizerSpec, data: st.DataObject) -> None:
    """After loading with any map_location, state lives on the param's device."""
    case = data.draw(cases(subject), label="case")
    with reproducible(case):
        assert_state_on_param_device(case)


@claim("optimizer.state.step-dtype")
@given(data=st.data())
def test_step_keeps_its_dtype_through_the_round_trip(subject: OptimizerSpec, data: st.DataObject) -> None:
    """Under either default dtype, step keeps the dtype it was saved with, the uninterrupted optimizer's."""
    case = data.draw(default_dtype_cases(subject), label="case")
    with reproducible(case):
        found = resumption.step_dtypes_through(case)
        leave_unless(not found.untrainable, f"torch refuses to train the case at all: {found.untrainable}")
        assert_that(not found.refusal, f"{found.refusal} (default dtype {case.default_dtype})", case)
        under = f"under default dtype {case.default_dtype}"
        assert_same(found.saved, found.loaded, case, names=(f"saved {under}", "after load_state_dict"), path="step")
        assert_same(found.uninterrupted, found.resumed, case, names=("uninterrupted", f"resumed {under}"), path="step")
