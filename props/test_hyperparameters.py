"""Claims about the hyperparameters and flags a restored optimizer trains with."""

from hypothesis import given
from hypothesis import strategies as st

from compat import engine
from compat.case import TensorLr
from compat.checks import assert_same
from compat.plugin import claim, reproducible
from compat.specs import FLAGS, OptimizerSpec
from props.strategies import cases


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
