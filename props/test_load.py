"""Claims about what load_state_dict checks, matches and leaves alone."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from compat.catalog.specs import OptimizerSpec
from compat.record.claim_tests import claim, verify
from props.strategies import cases


@claim("optimizer.load.rejects-group-mismatch")
@given(data=st.data())
def test_load_rejects_a_different_group_structure(subject: OptimizerSpec, data: st.DataObject) -> None:
    """load_state_dict raises ValueError when the number of groups, or of params in a group, differs."""
    verify(data.draw(cases(subject, min_params=2), label="case"))


@claim("optimizer.load.matches-by-identity")
@given(data=st.data())
def test_permuting_params_does_not_swap_their_state(subject: OptimizerSpec, data: st.DataObject) -> None:
    """Permuting same-shaped params between save and load does not swap their state."""
    verify(data.draw(cases(subject, twins=True, min_steps_before=1), label="case"))


@claim("optimizer.load.validates-hyperparameters")
@given(data=st.data())
def test_load_rejects_values_the_constructor_rejects(subject: OptimizerSpec, data: st.DataObject) -> None:
    """load_state_dict rejects hyperparameter values the constructor rejects (e.g. a negative lr)."""
    verify(data.draw(cases(subject), label="case"))


@claim("optimizer.load.leaves-argument-intact")
@given(data=st.data())
def test_load_does_not_mutate_its_argument(subject: OptimizerSpec, data: st.DataObject) -> None:
    """load_state_dict does not mutate the dict it is given."""
    verify(data.draw(cases(subject), label="case"))


@claim("optimizer.load.does-not-alias-argument")
@given(data=st.data())
def test_training_after_load_leaves_the_loaded_dict_unchanged(subject: OptimizerSpec, data: st.DataObject) -> None:
    """Training after load_state_dict leaves the loaded dict's tensors unchanged."""
    verify(data.draw(cases(subject, min_steps_before=1), label="case"))


@claim("optimizer.load.atomic")
@given(data=st.data())
def test_a_load_that_raises_leaves_the_optimizer_as_it_was(subject: OptimizerSpec, data: st.DataObject) -> None:
    """A load_state_dict that raises (another class's checkpoint, a group of another size) leaves the optimizer be."""
    verify(data.draw(cases(subject, tensor_lr=False, min_steps_before=1), label="case"))


@claim("optimizer.load.rejects-shape-mismatch")
@given(data=st.data())
def test_state_saved_for_other_shapes_is_refused_at_load(subject: OptimizerSpec, data: st.DataObject) -> None:
    """State saved for params of other shapes (same groups and param counts) is refused by load_state_dict."""
    verify(data.draw(cases(subject, min_steps_before=1), label="case"))


@claim("optimizer.load.across-classes")
@given(data=st.data())
def test_another_class_checkpoint_is_refused_or_trains_as_its_class(
    subject: OptimizerSpec, data: st.DataObject
) -> None:
    """Another class's checkpoint is refused by load_state_dict, or training goes on as the saving class's would."""
    verify(data.draw(cases(subject, tensor_lr=False, min_steps_before=1), label="case"))
