"""Module.load_state_dict on hostile entries: refused with who, key, expected and got, and
nothing half-loaded; accepted values cast as torch's copy_ does; torch's assign=True."""

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule import nn
from chainrule.errors import StateDictError


def _linear():
    model = nn.Linear(2, 2, generator=0)
    return model, {k: v.numpy().copy() for k, v in model.state_dict().items()}


def _snapshot(model):
    return {k: v.numpy().copy() for k, v in model.state_dict().items()}


@pytest.mark.parametrize(
    "value, pattern",
    [
        ("abc", r"expected weight as a Tensor or NumPy array, got str\."),
        ([[1.0, 2.0], [3.0, 4.0]], r"expected weight as a Tensor or NumPy array, got list\."),
        (None, r"expected weight as a Tensor or NumPy array, got NoneType\."),
        (
            np.array([["a", "b"], ["c", "d"]]),
            r"expected weight of real numbers \(a bool, integer or floating dtype\), got dtype <U1\.",
        ),
        (
            np.ones((2, 2), dtype=np.complex64),
            r"got dtype complex64\.\nHint: take value.real",
        ),
        (np.array([[None, 1.0], [2.0, 3.0]], dtype=object), r"got dtype object\."),
        (np.ones((3, 2)), r"expected weight of shape \(2, 2\), got \(3, 2\)\."),
    ],
    ids=["str", "list", "None", "strings", "complex", "object", "shape"],
)
@pytest.mark.parametrize("assign", [False, True])
def test_refused_entries_name_who_key_expected_got_and_change_nothing(value, pattern, assign):
    model, state = _linear()
    state["bias"] = np.full(2, 7.0, dtype=np.float32)  # would be loaded first if not atomic
    state["weight"] = value
    before, weight = _snapshot(model), model.weight
    with pytest.raises(StateDictError, match=r"^Linear\.load_state_dict: " + "(.|\n)*" + pattern):
        model.load_state_dict(state, assign=assign)
    after = _snapshot(model)
    assert model.weight is weight and all(np.array_equal(before[k], after[k]) for k in before)


@pytest.mark.parametrize(
    "value",
    [
        np.array([[1, 2], [3, 4]], dtype=np.int64),
        np.array([[True, False], [True, True]]),
        np.array([[1.5, 2.5], [1e300, -1e300]]),
        np.array([[np.nan, np.inf], [-np.inf, 0.0]], dtype=np.float32),
    ],
    ids=["int", "bool", "float64 overflow", "nan and inf"],
)
def test_accepted_values_are_cast_into_the_parameter_as_torch_copies(value):
    model, state = _linear()
    state["weight"] = value
    weight = model.weight
    model.load_state_dict(state)
    reference = torch.nn.Linear(2, 2)
    reference.load_state_dict({"weight": torch.from_numpy(value), "bias": torch.zeros(2)})
    assert model.weight is weight and model.weight.dtype == np.float32
    np.testing.assert_array_equal(model.weight.detach().numpy(), reference.weight.detach().numpy())


def test_assign_takes_the_tensor_memory_and_dtype_keeping_requires_grad():
    model, state = _linear()
    model.bias.requires_grad_(False)
    weight = cr.tensor(np.ones((2, 2)))  # float64, as torch's assign keeps the given dtype
    state["weight"], state["bias"] = weight, np.zeros(2, dtype=np.float32)
    result = model.load_state_dict(state, assign=True)
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert isinstance(model.weight, nn.Parameter) and model.weight.dtype == np.float64
    assert model.weight.requires_grad and not model.bias.requires_grad
    assert np.shares_memory(model.weight.detach().numpy(), weight.detach().numpy())
    assert np.shares_memory(model.bias.numpy(), state["bias"])
    assert [p for p in model.parameters()] == [model.weight, model.bias]


def test_assign_keeps_a_given_parameter_object_with_the_old_requires_grad():
    model, state = _linear()
    given = nn.Parameter(np.ones((2, 2), dtype=np.float32), requires_grad=False)
    state["weight"] = given
    model.load_state_dict(state, assign=True)
    assert model.weight is given and given.requires_grad


def test_assign_refuses_an_integer_value_for_a_parameter_that_requires_grad():
    model, state = _linear()
    state["weight"] = np.ones((2, 2), dtype=np.int64)
    with pytest.raises(
        StateDictError, match=r"expected weight of a floating dtype .*got dtype int64"
    ):
        model.load_state_dict(state, assign=True)
    # torch refuses it too (only floating tensors can require gradients)
    reference = torch.nn.Linear(2, 2)
    with pytest.raises(RuntimeError):
        reference.load_state_dict(
            {"weight": torch.ones(2, 2, dtype=torch.int64), "bias": torch.zeros(2)}, assign=True
        )


def test_buffers_load_as_tensors_and_int_buffers_take_floats_truncated_as_torch():
    norm = nn.BatchNorm1d(2)
    state = norm.state_dict()
    state["running_mean"] = np.array([1, 2], dtype=np.int32)
    state["num_batches_tracked"] = np.array(3.7)
    buffer = norm.running_mean
    norm.load_state_dict(state)
    assert norm.running_mean is buffer and norm.running_mean.dtype == np.float32
    np.testing.assert_array_equal(norm.running_mean.numpy(), [1.0, 2.0])
    assert int(norm.num_batches_tracked) == 3 and norm.num_batches_tracked.dtype == np.int64
    reference = torch.nn.BatchNorm1d(2)
    reference_state = reference.state_dict()
    reference_state["num_batches_tracked"] = torch.tensor(3.7)
    reference.load_state_dict(reference_state)
    assert int(reference.num_batches_tracked) == 3


def test_nan_into_an_integer_buffer_is_refused():
    norm = nn.BatchNorm1d(2)
    state = norm.state_dict()
    state["num_batches_tracked"] = np.array(np.nan)
    state["running_mean"] = np.full(2, 5.0, dtype=np.float32)
    with pytest.raises(
        StateDictError,
        match=r"^BatchNorm1d\.load_state_dict: expected finite values for num_batches_tracked "
        r"\(a buffer of dtype int64\), got NaN or inf\.",
    ):
        norm.load_state_dict(state)
    np.testing.assert_array_equal(norm.running_mean.numpy(), [0.0, 0.0])


def test_assign_on_a_buffer_keeps_the_given_tensor():
    norm = nn.BatchNorm1d(2)
    state = norm.state_dict()
    mean = cr.tensor(np.array([1.0, 2.0]))
    state["running_mean"] = mean
    norm.load_state_dict(state, assign=True)
    assert norm.running_mean is mean and dict(norm.named_buffers())["running_mean"] is mean


class _WithBuffers(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("kept", np.ones(2, dtype=np.float32))
        self.register_buffer("scratch", np.ones(2, dtype=np.float32), persistent=False)


def test_non_persistent_buffers_are_neither_expected_nor_loaded():
    model = _WithBuffers()
    assert list(model.state_dict()) == ["kept"]
    model.load_state_dict({"kept": np.zeros(2, dtype=np.float32)})
    with pytest.raises(StateDictError, match=r"unexpected keys \['scratch'\]"):
        model.load_state_dict({"kept": np.zeros(2), "scratch": np.zeros(2)})
    result = model.load_state_dict({"kept": np.zeros(2), "scratch": np.zeros(2)}, strict=False)
    assert result.unexpected_keys == ["scratch"]
    np.testing.assert_array_equal(model.scratch.numpy(), [1.0, 1.0])
