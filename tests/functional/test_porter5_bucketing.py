"""torch.searchsorted, torch.bucketize and Tensor.fill_diagonal_, against torch."""

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule.errors import ArgumentError, ShapeError

SORTED = np.array([1.0, 3.0, 3.0, 5.0, 7.0])
VALUES = np.array([[0.0, 3.0, 4.0], [7.0, 8.0, 5.0]])


@pytest.mark.parametrize(
    "kwargs", [{}, {"right": True}, {"side": "right"}, {"side": "left"}, {"out_int32": True}]
)
def test_searchsorted_matches_torch(kwargs):
    ours = cr.searchsorted(cr.tensor(SORTED), cr.tensor(VALUES), **kwargs)
    theirs = torch.searchsorted(torch.tensor(SORTED), torch.tensor(VALUES), **kwargs)
    assert ours.dtype == np.dtype(str(theirs.dtype).replace("torch.", ""))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_searchsorted_row_by_row_and_sorter():
    rows = np.array([[1, 3, 5, 7], [2, 4, 6, 8]])
    queries = np.array([[3, 6, 9], [1, 4, 7]])
    for right in (False, True):
        ours = cr.searchsorted(cr.tensor(rows), cr.tensor(queries), right=right)
        theirs = torch.searchsorted(torch.tensor(rows), torch.tensor(queries), right=right)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    shuffled = np.array([5.0, 1.0, 7.0, 3.0])
    sorter = np.argsort(shuffled)
    ours = cr.searchsorted(cr.tensor(shuffled), cr.tensor([4.0, 0.0]), sorter=cr.tensor(sorter))
    theirs = torch.searchsorted(
        torch.tensor(shuffled), torch.tensor([4.0, 0.0]), sorter=torch.tensor(sorter)
    )
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("right", [False, True])
@pytest.mark.parametrize("out_int32", [False, True])
def test_bucketize_matches_torch(right, out_int32):
    boundaries = np.array([1.0, 3.0, 5.0])
    ours = cr.bucketize(cr.tensor(VALUES), cr.tensor(boundaries), right=right, out_int32=out_int32)
    theirs = torch.bucketize(
        torch.tensor(VALUES), torch.tensor(boundaries), right=right, out_int32=out_int32
    )
    assert ours.dtype == np.dtype(str(theirs.dtype).replace("torch.", ""))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    scalar = cr.bucketize(cr.tensor(3.0), cr.tensor(boundaries), right=right)
    assert (
        scalar.shape == ()
        and scalar.item()
        == torch.bucketize(torch.tensor(3.0), torch.tensor(boundaries), right=right).item()
    )


def test_bucketing_errors_are_torchs_classes():
    with pytest.raises(ShapeError, match="bucketize: expected 1-D boundaries"):
        cr.bucketize(cr.tensor([1.0]), cr.tensor([[1.0, 2.0]]))
    with pytest.raises(RuntimeError):
        torch.bucketize(torch.tensor([1.0]), torch.tensor([[1.0, 2.0]]))
    with pytest.raises(ArgumentError, match='side="left"'):
        cr.searchsorted(cr.tensor(SORTED), cr.tensor([1.0]), right=True, side="left")
    with pytest.raises(RuntimeError):
        torch.searchsorted(torch.tensor(SORTED), torch.tensor([1.0]), right=True, side="left")
    with pytest.raises(ShapeError, match="leading dims"):
        cr.searchsorted(cr.tensor([[1.0, 2.0]]), cr.tensor([[1.0], [2.0]]))


@pytest.mark.parametrize("shape", [(3, 3), (2, 5), (7, 3), (3, 3, 3)])
@pytest.mark.parametrize("wrap", [False, True])
def test_fill_diagonal_matches_torch(shape, wrap):
    data = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
    ours, theirs = cr.tensor(data), torch.tensor(data)
    assert ours.fill_diagonal_(-1.5, wrap=wrap) is ours
    theirs.fill_diagonal_(-1.5, wrap=wrap)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_fill_diagonal_gradient_and_errors():
    x = cr.ones(3, 3, requires_grad=True)
    y = x * 2
    y.fill_diagonal_(float("-inf"))
    y.softmax(1).sum().backward()
    xt = torch.ones(3, 3, requires_grad=True)
    yt = xt * 2
    yt.fill_diagonal_(float("-inf"))
    yt.softmax(1).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), xt.grad.numpy(), atol=1e-7)
    with pytest.raises(ShapeError, match="fill_diagonal_"):
        cr.ones(2, 3, 3).fill_diagonal_(0)
    with pytest.raises(RuntimeError):
        torch.ones(2, 3, 3).fill_diagonal_(0)
