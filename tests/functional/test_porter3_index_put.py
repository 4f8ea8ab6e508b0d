"""index_put / index_put_ against torch: accumulate at repeated indices, broadcast values,
gradients of input and values, and the confusion-matrix idiom on integer tensors."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")


def _both(fn, arrays, dtype):
    c_in = [cr.tensor(a.astype(dtype), requires_grad=True) for a in arrays]
    t_in = [torch.tensor(a.astype(dtype), requires_grad=True) for a in arrays]
    got, want = fn(cr, *c_in), fn(torch, *t_in)
    assert tuple(got.shape) == tuple(want.shape) and str(got.dtype) == str(want.dtype)[6:]
    np.testing.assert_allclose(got.detach().numpy(), want.detach().numpy(), rtol=1e-6)
    seed = np.random.default_rng(3).standard_normal(tuple(want.shape)).astype(dtype)
    (got * cr.tensor(seed)).sum().backward()
    (want * torch.tensor(seed)).sum().backward()
    for a, b in zip(c_in, t_in):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-6)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("accumulate", [False, True])
def test_index_put_values_and_gradients_match_torch(accumulate, dtype, rng):
    x, v = rng.standard_normal((4, 3)), rng.standard_normal((3,))
    rows, cols = np.array([0, 2, 3]), np.array([1, 1, 0])
    if accumulate:
        rows = np.array([0, 2, 0])  # a repeat: both writes add up
    put = lambda lib, a, b: a.index_put((lib.tensor(rows), lib.tensor(cols)), b, accumulate)  # noqa: E731
    _both(put, [x, v], dtype)
    whole_rows = lambda lib, a, b: lib.index_put(a, (lib.tensor(rows),), b, accumulate)  # noqa: E731
    _both(whole_rows, [x, v], dtype)  # values (3,) broadcast over the indexed (3, 3) block


def test_index_put_wraps_negative_indices_as_torch():
    """Unlike gather/scatter, index_put indexes as x[indices] = values does: -1 is the last."""
    x = np.arange(6.0).reshape(2, 3)
    put = lambda lib, a, b: a.index_put((lib.tensor([-1, 0]), lib.tensor([-3, 2])), b, True)  # noqa: E731
    _both(put, [x, np.array([10.0, 20.0])], "float32")


def test_index_put_inplace_builds_a_confusion_matrix_as_torch():
    target, pred = [0, 1, 1, 2, 2, 2], [0, 1, 2, 2, 2, 0]
    got = cr.zeros(3, 3, dtype=cr.long)
    want = torch.zeros(3, 3, dtype=torch.long)
    out = got.index_put_((cr.tensor(target), cr.tensor(pred)), cr.ones(6, dtype=cr.long), True)
    want.index_put_(
        (torch.tensor(target), torch.tensor(pred)), torch.ones(6, dtype=torch.long), True
    )
    assert out is got
    np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_index_put_refuses_out_of_range_mismatched_dtype_and_bad_values():
    x = cr.zeros(2, 2)
    with pytest.raises(ValueError, match=r"index_put: expected index values in \[-2, 2\)"):
        x.index_put((cr.tensor([5]),), cr.tensor(1.0))
    with pytest.raises(TypeError, match="index_put: expected values of dtype float32"):
        x.index_put((cr.tensor([0]),), cr.tensor([1.0], dtype=cr.float64))
    with pytest.raises(ValueError, match="index_put: expected values that broadcast"):
        x.index_put((cr.tensor([0, 1]),), cr.ones(3))
    with pytest.raises(ValueError, match="index_put: expected a tuple of 1 to 2 index tensors"):
        x.index_put(cr.tensor([0]), cr.tensor(1.0))
