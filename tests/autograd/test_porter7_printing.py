"""Printing as torch prints: every float entry right-aligned to one width (so a minus sign
does not shift its neighbours), and f"{t}" of a 0-d Tensor gives its number, as torch's
Tensor.__format__ (print(f"loss: {loss}") in the tutorials)."""

import math

import numpy as np

import pytest

import chainrule as cr

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle

nan, inf = math.nan, math.inf
CASES = [
    [1.5, -2.25],
    [[1.5, -20.25], [3.0, 4.0]],
    [1e-5, -3.0],
    [1e-5, 3.0],
    [0.1, 100.5],
    [nan, -1.5],
    [inf, 1.5],
    [-inf, 2.5, nan],
    [123456789.0, 1.5],
    [[0.25, 100.0], [0.0, -0.0]],
    [0.5],
    [-0.5],
    [1.0, -2.0],
    [-1e10, 0.5],
]


@pytest.mark.parametrize("values", CASES, ids=str)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_floats_print_right_aligned_as_torch(values, dtype):
    ours = str(cr.tensor(values, dtype=getattr(cr, dtype))).replace("chainrule.", "torch.")
    assert ours == str(torch.tensor(values, dtype=getattr(torch, dtype)))


def test_format_of_a_0d_tensor_is_its_number():
    for lib in (cr, torch):
        loss = lib.tensor(0.25, requires_grad=True) * 2
        assert f"{loss}" == "0.5" and f"{lib.tensor(3)} {lib.tensor(True)}" == "3 True"
        assert f"{lib.tensor([1.5, -2.0])[0]:+.2f}" == "+1.50"
        assert f"{lib.tensor([1.5, -2.0])}" == "tensor([ 1.5000, -2.0000])"


def test_a_0d_parameter_formats_as_its_printout():
    for lib in (cr, torch):
        weight = lib.nn.Parameter(lib.tensor(2.5))
        assert f"{weight}" == "Parameter containing:\ntensor(2.5000, requires_grad=True)"


@pytest.mark.parametrize("scale", [1.0, 1e3, 1e-6, 1e9])
@pytest.mark.parametrize("shape", [(40, 40), (2000,), (5, 300), (20, 3, 30), (1001,)], ids=str)
def test_summarized_tensors_print_as_torch(scale, shape):
    """torch picks decimals or scientific from the entries it shows, not from all of them,
    and pads the ellipsis of a summarized row."""
    values = (np.random.default_rng(len(shape)).standard_normal(shape) * scale).astype(np.float32)
    assert str(cr.from_numpy(values)) == str(torch.from_numpy(values))


def test_summarized_integers_pad_the_ellipsis():
    assert str(cr.arange(2000)) == str(torch.arange(2000))


def test_a_format_spec_on_a_vector_is_torch_typeerror():
    for lib in (cr, torch):
        with pytest.raises(TypeError):
            f"{lib.tensor([[0.5, -1.25], [3.0, 4.0]]):.2f}"
        with pytest.raises(TypeError):
            f"{lib.tensor([[0.5, -1.25], [3.0, 4.0]]):>10}"
