"""The differ names every difference by path and kind, and compares tensors bitwise."""

import math

import pytest
import torch

from compat.run.differ import bits, differences


def test_equal_nested_state_dicts_have_no_differences():
    state = {"state": {0: {"step": torch.tensor(3.0), "exp_avg": torch.ones(2)}}, "param_groups": [{"lr": 0.1}]}
    assert (
        differences(
            state, {"state": {0: {"step": torch.tensor(3.0), "exp_avg": torch.ones(2)}}, "param_groups": [{"lr": 0.1}]}
        )
        == []
    )


def test_a_changed_lr_is_named_by_its_path():
    found = differences({"param_groups": [{"lr": 0.1}, {"lr": 0.2}]}, {"param_groups": [{"lr": 0.1}, {"lr": 0.02}]})
    assert [(d.path, d.kind, d.expected, d.actual) for d in found] == [("param_groups[1].lr", "value", "0.2", "0.02")]


def test_a_dropped_state_buffer_is_missing():
    found = differences({"state": {3: {"exp_avg_sq": torch.ones(2)}}}, {"state": {3: {}}})
    assert [(d.path, d.kind) for d in found] == [("state[3].exp_avg_sq", "missing")]
    assert found[0].describe() == "state[3].exp_avg_sq: in saved (tensor of shape (2,), float32), missing from loaded"


def test_an_unexpected_key_is_extra():
    found = differences({"a": 1}, {"a": 1, "b": 2})
    assert [(d.path, d.kind, d.actual) for d in found] == [("b", "extra", "2")]


@pytest.mark.parametrize(
    ("actual", "kind"),
    [
        (torch.ones(2, dtype=torch.float64), "dtype"),
        (torch.ones(1, 2), "shape"),
        (torch.ones(2).numpy(), "type"),
    ],
)
def test_tensor_metadata_differences_are_named(actual, kind):
    assert [d.kind for d in differences({"t": torch.ones(2)}, {"t": actual})] == [kind]


def test_one_ulp_is_a_difference():
    value = torch.tensor([1.0, 2.0, 3.0])
    nudged = value.clone()
    nudged[1] = torch.nextafter(nudged[1], torch.tensor(math.inf))
    (found,) = differences(value, nudged, "state[0].exp_avg")
    assert found.path == "state[0].exp_avg"
    assert found.expected == "2.0 at flat index 1"
    assert found.actual.endswith("(1 of 3 elements differ)")


def test_nan_equals_nan_and_negative_zero_differs_from_zero():
    assert differences(torch.tensor([math.nan]), torch.tensor([math.nan])) == []
    assert differences(math.nan, math.nan) == []
    assert len(differences(torch.tensor([0.0]), torch.tensor([-0.0]))) == 1


def test_python_int_and_float_are_different_types():
    assert [d.kind for d in differences({"step": 3}, {"step": 3.0})] == ["type"]


def test_a_tensor_lr_and_a_float_lr_differ_in_type():
    assert [d.kind for d in differences({"lr": torch.tensor(0.1)}, {"lr": 0.1})] == ["type"]


def test_sequences_of_another_length_differ_in_length():
    assert [(d.path, d.kind) for d in differences([1, 2], [1])] == [("", "length")]


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
def test_bits_keep_the_element_size(dtype):
    assert bits(torch.ones(3, dtype=dtype)).element_size() == torch.ones(3, dtype=dtype).element_size()


def test_a_deque_of_tensors_is_compared_item_by_item_with_its_maxlen():
    from collections import deque

    saved = {"grad_queue": deque([torch.ones(2), torch.zeros(2)], maxlen=3)}
    assert differences(saved, {"grad_queue": deque([torch.ones(2), torch.zeros(2)], maxlen=3)}) == []
    found = differences(saved, {"grad_queue": deque([torch.ones(2), torch.ones(2)], maxlen=3)})
    assert [(d.path, d.kind) for d in found] == [("grad_queue[1]", "value")]
    found = differences(saved, {"grad_queue": deque([torch.ones(2), torch.zeros(2)], maxlen=2)})
    assert [(d.path, d.kind, d.expected, d.actual) for d in found] == [("grad_queue", "maxlen", "3", "2")]
