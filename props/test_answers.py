"""The answers to the questions people ask after a resume: is the lr saved, and where."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.specs import OptimizerSpec
from compat.record.claim_tests import claim, reproducible
from compat.run import engine
from compat.run.checks import assert_same
from props.strategies import cases


@claim("answer.lr-in-state-dict")
@given(data=st.data())
def test_lr_is_saved_in_param_groups(subject: OptimizerSpec, data: st.DataObject) -> None:
    """The lr is saved: it is at state_dict()['param_groups'][i]['lr'] for every group."""
    case = data.draw(cases(subject), label="case")
    with reproducible(case):
        trip = engine.roundtrip(case)
        wanted = [engine.constructor_value(case.group_kwargs(i)["lr"], "cpu") for i in range(len(case.layout.groups))]
        found = [group.get("lr", "<absent>") for group in trip.given["param_groups"]]
        assert_same(wanted, found, case, names=("constructor", "checkpoint"), path="param_groups[*].lr")


@claim("answer.lr-not-in-per-param-state")
@given(data=st.data())
def test_per_param_state_holds_no_lr(subject: OptimizerSpec, data: st.DataObject) -> None:
    """No per-parameter state entry holds an 'lr' key, so state[...]['lr'] raises KeyError."""
    case = data.draw(cases(subject, min_steps_before=1), label="case")
    with reproducible(case):
        trip = engine.roundtrip(case)
        # the entries keyed by param position; an optimizer may keep others beside them (MADGRAD's "k")
        holding = sorted(n for n, entry in trip.given["state"].items() if isinstance(n, int) and "lr" in entry)
        assert_same([], holding, case, names=("expected", "positions whose state has 'lr'"), path="state")


@claim("answer.fresh-optimizer-uses-constructor-lr")
@given(data=st.data())
def test_an_optimizer_not_loaded_trains_with_its_constructor_lr(subject: OptimizerSpec, data: st.DataObject) -> None:
    """An optimizer re-created without load_state_dict trains with its constructor's lr."""
    case = data.draw(cases(subject), label="case")
    with reproducible(case):
        trip = engine.roundtrip(case)
        params = engine.parameters(case, [p.detach() for p in trip.original_params])
        opt = engine.optimizer(case, params, case.fresh_kwargs, overrides=False)
        engine.train(case, opt, params, case.steps_before, 1)
        found = [group["lr"] for group in opt.param_groups]
        wanted = [case.fresh_kwargs["lr"]] * len(found)
        assert_same(wanted, found, case, names=("constructor", "training"), path="param_groups[*].lr")
