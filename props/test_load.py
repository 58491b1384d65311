"""Claims about what load_state_dict checks, matches and leaves alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.case import Group, Layout
from compat.catalog.specs import OptimizerSpec
from compat.record.claim_tests import claim, reproducible
from compat.run import engine, loading, savers
from compat.run.checks import assert_raises, assert_same, assert_that
from compat.run.loading import rejected_value, twins
from props.strategies import cases


def mismatched(layout: Layout) -> Layout:
    """Return the layout with one param dropped from the first group of two or more, else groups merged."""
    groups = loading.mismatched_groups([list(g.params) for g in layout.groups])
    kept = sorted(i for g in groups for i in g)
    renumber = {old: new for new, old in enumerate(kept)}
    return Layout(
        tuple(layout.params[i] for i in kept),
        tuple(Group(tuple(renumber[i] for i in g)) for g in groups),
    )


@claim("optimizer.load.rejects-group-mismatch")
@given(data=st.data())
def test_load_rejects_a_different_group_structure(subject: OptimizerSpec, data: st.DataObject) -> None:
    """load_state_dict raises ValueError when the number of groups, or of params in a group, differs."""
    case = data.draw(cases(subject, min_params=2), label="case")
    with reproducible(case):
        trip = engine.roundtrip(case)
        other = case.with_(layout=mismatched(case.layout))
        opt = engine.optimizer(other, engine.parameters(other), case.fresh_kwargs, overrides=False)
        assert_raises(ValueError, lambda: opt.load_state_dict(trip.given), "load_state_dict into other groups", case)


def swapped(layout: Layout, g: int, a: int, b: int) -> Layout:
    """Return the layout with positions ``a`` and ``b`` of group ``g`` exchanged."""
    order = list(layout.groups[g].params)
    order[a], order[b] = order[b], order[a]
    groups = list(layout.groups)
    groups[g] = Group(tuple(order), groups[g].overrides)
    return Layout(layout.params, tuple(groups))


@claim("optimizer.load.matches-by-identity")
@given(data=st.data())
def test_permuting_params_does_not_swap_their_state(subject: OptimizerSpec, data: st.DataObject) -> None:
    """Permuting same-shaped params between save and load does not swap their state."""
    case = data.draw(cases(subject, twins=True, min_steps_before=1), label="case")
    with reproducible(case):
        trip = engine.roundtrip(case)
        g, a, b = twins(case.layout)
        moved = case.with_(layout=swapped(case.layout, g, a, b))
        params = engine.parameters(moved, [p.detach() for p in trip.original_params])
        opt = engine.optimizer(moved, params, case.fresh_kwargs, overrides=False)
        opt.load_state_dict(trip.given)
        position = {i: n for n, i in enumerate(i for group in case.layout.groups for i in group.params)}
        for index in (case.layout.groups[g].params[a], case.layout.groups[g].params[b]):
            assert_same(
                trip.saved["state"].get(position[index], {}),
                dict(opt.state.get(params[index], {})),
                case,
                names=("its saved state", "state after permuted load"),
                path=f"param {index}",
            )


@claim("optimizer.load.validates-hyperparameters")
@given(data=st.data())
def test_load_rejects_values_the_constructor_rejects(subject: OptimizerSpec, data: st.DataObject) -> None:
    """load_state_dict rejects hyperparameter values the constructor rejects (e.g. a negative lr)."""
    case = data.draw(cases(subject), label="case")
    with reproducible(case):
        refused = rejected_value(case)
        if refused is None:
            return
        trip = engine.roundtrip(case)
        bad = engine.snapshot(trip.given)
        key, value, error = refused
        bad["param_groups"][0][key] = value
        opt = engine.optimizer(case, engine.parameters(case), case.fresh_kwargs, overrides=False)
        assert_raises(error, lambda: opt.load_state_dict(bad), f"load_state_dict with {key}={value!r}", case)


@claim("optimizer.load.leaves-argument-intact")
@given(data=st.data())
def test_load_does_not_mutate_its_argument(subject: OptimizerSpec, data: st.DataObject) -> None:
    """load_state_dict does not mutate the dict it is given."""
    case = data.draw(cases(subject), label="case")
    with reproducible(case):
        trip = engine.roundtrip(case)
        assert_same(trip.given, trip.loaded, case, names=("before load_state_dict", "after"), path="argument")


@claim("optimizer.load.does-not-alias-argument")
@given(data=st.data())
def test_training_after_load_leaves_the_loaded_dict_unchanged(subject: OptimizerSpec, data: st.DataObject) -> None:
    """Training after load_state_dict leaves the loaded dict's tensors unchanged."""
    case = data.draw(cases(subject, min_steps_before=1), label="case")
    with reproducible(case):
        trip = engine.roundtrip(case)
        engine.train(case, trip.optimizer, trip.params, case.steps_before, case.steps_after)
        assert_same(trip.given, trip.loaded, case, names=("as loaded", "after training"), path="argument")


@claim("optimizer.load.atomic")
@given(data=st.data())
def test_a_load_that_raises_leaves_the_optimizer_as_it_was(subject: OptimizerSpec, data: st.DataObject) -> None:
    """A load_state_dict that raises (another class's checkpoint, a group of another size) leaves the optimizer as is.

    Each bad dict (``loading.bad_state_dicts``) goes into a freshly trained optimizer; one that loads
    is not in question here.
    """
    case = data.draw(cases(subject, tensor_lr=False, min_steps_before=1), label="case")
    with reproducible(case):
        for failed in loading.failed_loads(case):
            names = ("before", failed.during)
            assert_same(failed.before, failed.after, case, names=names, path="optimizer")
            assert_same(failed.twin, failed.stepped, case, names=("untouched twin", failed.during), path="params")


@claim("optimizer.load.rejects-shape-mismatch")
@given(data=st.data())
def test_state_saved_for_other_shapes_is_refused_at_load(subject: OptimizerSpec, data: st.DataObject) -> None:
    """State saved for params of other shapes (same groups and param counts) is refused by load_state_dict.

    Two changes of every param's shape: one row more, and as many elements in another shape.
    """
    case = data.draw(cases(subject, min_steps_before=1), label="case")
    with reproducible(case):
        fits = [fit for change in loading.SHAPE_CHANGES if (fit := loading.misfit(case, change)) is not None]
        accepted = [fit.describe() for fit in fits if fit.refused is None]
        assert_that(not accepted, "; ".join(accepted), case)


@claim("optimizer.load.across-classes")
@given(data=st.data())
def test_another_class_checkpoint_is_refused_or_trains_as_its_class(
    subject: OptimizerSpec, data: st.DataObject
) -> None:
    """Another class's checkpoint is refused by load_state_dict, or training goes on as the saving class's would.

    The subject is the loading class; every class in ``savers.partners(subject)`` saves after at
    least one step, built with the case's arguments it takes too. The message says per pair what
    happened: refused, or loaded with which groups, and whether training then matched.
    """
    case = data.draw(cases(subject, tensor_lr=False, min_steps_before=1), label="case")
    with reproducible(case):
        switches = [loading.switch(case, saver) for saver in savers.partners(case.subject)]
        assert_that(all(s.holds for s in switches), "; ".join(s.describe() for s in switches), case)
