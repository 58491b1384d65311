"""Claims about the hyperparameters and flags a restored optimizer trains with."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.case import TensorLr
from compat.catalog.specs import FLAGS, OptimizerSpec
from compat.record.claim_tests import claim, reproducible
from compat.run import engine, resumption
from compat.run.checks import assert_same, assert_that
from props.strategies import cases, default_flag_cases, device_flag_cases, lr_type_cases


def hyperparameters(groups: list[dict]) -> list[dict]:
    """Return the param groups without their params."""
    return [{k: v for k, v in group.items() if k != "params"} for group in groups]


@claim("optimizer.hyperparameters.restored")
@given(data=st.data())
def test_loaded_hyperparameters_override_the_constructor(subject: OptimizerSpec, data: st.DataObject) -> None:
    """After load_state_dict every param group's hyperparameters, lr included, equal the saved ones."""
    case = data.draw(cases(subject), label="case")
    with reproducible(case):
        trip = engine.roundtrip(case)
        assert_same(
            hyperparameters(trip.saved["param_groups"]),
            hyperparameters(trip.optimizer.param_groups),
            case,
            names=("saved", "after load_state_dict"),
            path="param_groups",
        )


@claim("optimizer.flags.restored")
@given(data=st.data())
def test_loaded_flags_override_the_constructor(subject: OptimizerSpec, data: st.DataObject) -> None:
    """After load_state_dict the implementation flags of every param group are the saved ones."""
    case = data.draw(cases(subject), label="case")
    with reproducible(case):
        trip = engine.roundtrip(case)
        saved = [{f: g[f] for f in FLAGS if f in g} for g in trip.saved["param_groups"]]
        loaded = [
            {f: g.get(f, "<absent>") for f in FLAGS if f in s}
            for s, g in zip(saved, trip.optimizer.param_groups, strict=True)
        ]
        assert_same(saved, loaded, case, names=("saved", "after load_state_dict"), path="param_groups")


@claim("optimizer.lr.tensor.preserved")
@given(data=st.data())
def test_tensor_lr_stays_a_tensor_of_the_same_value(subject: OptimizerSpec, data: st.DataObject) -> None:
    """A tensor lr is still a tensor of the same value after the round trip."""
    case = data.draw(cases(subject, tensor_lr=True), label="case")
    with reproducible(case):
        trip = engine.roundtrip(case)
        for index, group in enumerate(trip.saved["param_groups"]):
            if not isinstance(case.group_kwargs(index)["lr"], TensorLr):
                continue
            assert_same(
                group["lr"],
                trip.optimizer.param_groups[index]["lr"],
                case,
                names=("saved", "after load_state_dict"),
                path=f"param_groups[{index}].lr",
            )


def _kind(lr: object) -> str:
    return f"tensor({lr.dtype})" if hasattr(lr, "dtype") else type(lr).__name__


@claim("optimizer.lr.type-follows-checkpoint")
@given(data=st.data())
def test_the_lr_takes_the_checkpoints_type_whatever_the_constructor_got(
    subject: OptimizerSpec, data: st.DataObject
) -> None:
    """Loaded into an optimizer built with the other kind of lr, the lr has the checkpoint's type; it steps."""
    case = data.draw(lr_type_cases(subject), label="case")
    with reproducible(case):
        trip = engine.roundtrip(case)
        saved = [group["lr"] for group in trip.saved["param_groups"]]
        loaded = [group["lr"] for group in trip.optimizer.param_groups]
        assert_same(saved, loaded, case, names=("checkpoint", "after load_state_dict"), path="lr")
        refusal = resumption.training_refusal(case, trip.optimizer, trip.params)
        assert_that(not refusal, f"{refusal} (lr after load: {', '.join(_kind(lr) for lr in loaded)})", case)


@claim("optimizer.load.flags-from-another-device.defaults")
@given(data=st.data())
def test_a_checkpoint_a_cuda_run_wrote_with_default_flags_loads_steps_and_resumes_bitwise_on_the_cpu(
    subject: OptimizerSpec, data: st.DataObject
) -> None:
    """A checkpoint with the default flags a CUDA run writes resumes on the CPU bitwise as the uninterrupted run."""
    case = data.draw(default_flag_cases(subject), label="case")
    with reproducible(case):
        _, written = resumption.resumed_from_another_device(case)
        assert_that(not written.refusal, f"{written.refusal}; flags written {case.written_flags}", case)
        straight = engine.uninterrupted(case)
        names = ("uninterrupted", f"resumed with the default flags {case.written_flags}")
        assert_same(straight.params, written.params, case, names=names, path="params")


@claim("optimizer.load.flags-from-another-device")
@given(data=st.data())
def test_a_checkpoint_with_cuda_flags_resumes_on_the_cpu(subject: OptimizerSpec, data: st.DataObject) -> None:
    """A checkpoint carrying a CUDA run's flags (set in the saved dict) steps on the CPU as with the flags it takes."""
    case = data.draw(device_flag_cases(subject), label="case")
    with reproducible(case):
        on_cpu, written = resumption.resumed_from_another_device(case)
        taken = resumption.cpu_flags(subject, case.written_flags)
        flags = f"flags written {case.written_flags}, the groups' after load {written.flags[0]}"
        assert_that(not written.refusal, f"{written.refusal}; {flags}", case)
        assert_that(not on_cpu.refusal, f"with only the flags the CPU takes {taken}: {on_cpu.refusal}", case)
        names = (f"resumed with the flags the CPU takes {taken}", f"with all written {case.written_flags}")
        assert_same(on_cpu.params, written.params, case, names=names, path="params")
