"""adv6: ReLU's shared zeros (zero_operand.py) against np.maximum(x, 0) and torch 2.13: the bits
hold for every special value at every SIMD lane; the layout of the result did not."""

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule import zero_operand


def _views(lib, x):
    t = lib.tensor(x)
    return {"T": t.t(), "F": lib.tensor(x.T.copy()).t(), "T_step": t.t()[::3], "cols": t[:, ::2]}


@pytest.mark.parametrize("view", ["T", "F", "T_step", "cols"])
def test_relu_keeps_the_layout_of_its_input_as_maximum_with_zero_and_torch(view):
    # finding: C-ordered zeros made NumPy lay out relu(x.t()) C-ordered (torch keeps x.t()'s
    # strides), even where the zeros were cached for the view's C-ordered twin first
    x = np.random.default_rng(0).standard_normal((300, 200)).astype(np.float32)
    v, tv = _views(cr, x)[view], _views(torch, x)[view]
    zero_operand.zeros_for(np.ascontiguousarray(v._data))
    want = np.maximum(v._data, 0)
    got = cr.relu(v)
    assert got._data.strides == want.strides and got._data.tobytes() == want.tobytes()
    assert got.stride() == torch.relu(tv).stride()


def test_relu_of_a_transposed_tensor_has_torchs_strides():
    x = np.random.default_rng(1).standard_normal((300, 200)).astype(np.float32)
    got = cr.nn.functional.relu(cr.tensor(x).t())
    want = torch.relu(torch.tensor(x).t())
    assert got.stride() == want.stride() and got.is_contiguous() == want.is_contiguous()
    np.testing.assert_array_equal(got.numpy(), want.numpy())


@pytest.mark.parametrize("dtype,uint", [(np.float32, np.uint32), (np.float64, np.uint64)])
def test_every_special_value_at_every_lane_gives_maximum_with_zeros_bits(dtype, uint):
    # signalling NaNs and NaN payloads of both signs, -0.0, subnormals: one at each position
    # of sizes around the SIMD width and its tail (a claim that holds)
    bits = 8 * np.dtype(dtype).itemsize
    top = 1 << (bits - 1)
    exp = (1 << (bits - 1)) - (1 << (bits - (9 if bits == 32 else 12)))
    specials = [exp | 1, top | exp | 1, exp | (top >> 2) | 5, top, 1, top | 1]
    for n in (256, 259, 1031):
        for b in specials:
            u = np.zeros((n, n), uint)
            u[np.arange(n), np.arange(n)] = b  # one per row: every lane position once
            x = u.view(dtype)
            zeros = zero_operand.zeros_for(x)
            assert type(zeros) is np.ndarray
            assert np.maximum(x, zeros).tobytes() == np.maximum(x, 0).tobytes()


def test_in_place_relu_on_views_writes_through_as_torch():
    x = np.random.default_rng(2).standard_normal((40, 300)).astype(np.float32)
    a, t = cr.tensor(x.copy()), torch.tensor(x.copy())
    cr.relu_(a.t()[::2])
    torch.relu_(t.t()[::2])
    cr.nn.ReLU(inplace=True)(a[1:])
    torch.nn.ReLU(inplace=True)(t[1:])
    np.testing.assert_array_equal(a.numpy(), t.numpy())
