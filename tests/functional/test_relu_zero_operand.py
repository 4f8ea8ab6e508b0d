"""ReLU compares against a full array of zeros (zero_operand.py) for NumPy's SIMD loop: the same
bits as np.maximum(x, 0), for every dtype, shape and special value, eager and replayed."""

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule import zero_operand

SPECIAL = [0.0, -0.0, np.nan, -np.nan, np.inf, -np.inf, 1e-45, -1e-45, 3.0, -3.0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(3,), (64, 128), (255,), (256,), (7, 5, 11), (2, 3, 17, 19)])
def test_relu_is_bit_identical_to_maximum_with_the_number_zero(dtype, shape):
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(dtype)
    flat = x.reshape(-1)
    flat[: min(len(SPECIAL), flat.size)] = SPECIAL[: flat.size]
    got = cr.nn.functional.relu(cr.tensor(x))._data
    want = np.maximum(x, dtype(0))
    assert got.dtype == want.dtype
    assert got.tobytes() == want.tobytes()


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8])
def test_integer_relu_keeps_its_dtype_and_values(dtype):
    x = np.arange(-300, 300).astype(dtype).reshape(20, 30)
    got = cr.relu(cr.tensor(x))._data
    assert got.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(got, np.maximum(x, 0))


def test_non_contiguous_and_in_place_relu_match_torch():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((40, 30)).astype(np.float32)
    a, t = cr.tensor(x), torch.tensor(x)
    np.testing.assert_array_equal(cr.relu(a.T)._data, torch.relu(t.T).numpy())
    np.testing.assert_array_equal(cr.relu(a[:, ::3])._data, torch.relu(t[:, ::3]).numpy())
    b = cr.tensor(x.copy())
    cr.nn.functional.relu(b, inplace=True)
    np.testing.assert_array_equal(b._data, torch.relu(t).numpy())


def test_the_shared_zeros_stay_zero_and_read_only():
    x = np.ones((64, 128), np.float32)
    zeros = zero_operand.zeros_for(x)
    assert not zeros.flags.writeable
    with pytest.raises(ValueError):
        zeros[0, 0] = 1.0
    y = cr.relu(cr.tensor(-x))  # a result is never the shared buffer
    y._data[...] = 5.0
    assert not zero_operand.zeros_for(x).any()
    assert zero_operand.zeros_for(np.ones(3, np.float32)) == 0  # small: the number, no lookup


def test_relu_backward_and_a_replay_give_eager_bits():
    rng = np.random.default_rng(2)
    x_np = rng.standard_normal((32, 300)).astype(np.float32)
    model = cr.nn.Sequential(cr.nn.Linear(300, 300), cr.nn.ReLU(), cr.nn.Linear(300, 4))
    eager = cr.nn.Sequential(cr.nn.Linear(300, 300), cr.nn.ReLU(), cr.nn.Linear(300, 4))
    eager.load_state_dict(model.state_dict())
    static_x = cr.tensor(x_np)
    graph = cr.CPUGraph()
    with cr.graph(graph):
        model.zero_grad()
        model(static_x).square().mean().backward()
    for step in range(3):
        batch = rng.standard_normal((32, 300)).astype(np.float32)
        static_x.copy_(batch)
        graph.replay()
        eager.zero_grad()
        eager(cr.tensor(batch)).square().mean().backward()
        for p, q in zip(model.parameters(), eager.parameters()):
            assert p.grad._data.tobytes() == q.grad._data.tobytes()
