"""In-place ops through reshaped, transposed and permuted views of tensors in the graph, as torch
records them (d2l's masked softmax writes ``X.reshape(-1, n)[~mask] = -1e6``): the base takes the
change and gradients flow as through torch's views."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule.view_positions import element_positions


def _both(program):
    """``program(lib)`` on chainrule and torch: each returns arrays, compared to float64 rounding."""
    ours = [np.asarray(a) for a in program(cr)]
    theirs = [np.asarray(a) for a in program(torch)]
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def _leaf(lib, shape, seed=0):
    values = np.random.default_rng(seed).standard_normal(shape)
    return lib.tensor(values, requires_grad=True)


def test_d2l_masked_softmax_through_a_reshaped_view():
    def program(lib):
        scores = _leaf(lib, (2, 3, 4))
        valid_lens = lib.tensor(np.array([2, 3]))
        X = scores * 1.5
        shape = X.shape
        flat = X.reshape(-1, shape[-1])  # d2l's sequence_mask on the reshaped scores
        lens = valid_lens.repeat_interleave(shape[1])
        mask = lib.arange(shape[-1])[None, :] < lens[:, None]
        flat[~mask] = -1e6
        weights = lib.nn.functional.softmax(X, dim=-1)
        (weights * lib.tensor(np.linspace(0, 1, 24).reshape(2, 3, 4))).sum().backward()
        return X.detach().numpy(), weights.detach().numpy(), scores.grad.numpy()

    _both(program)


@pytest.mark.parametrize(
    "edit",
    [
        lambda lib, X: X.t().mul_(lib.tensor(np.array([[1.0], [2.0], [3.0]]))),
        lambda lib, X: X.reshape(-1).add_(2.0),
        lambda lib, X: X.view(3, 2).clamp_(min=0.0),
        lambda lib, X: X.flatten().zero_(),
        lambda lib, X: X.unsqueeze(0).transpose(1, 2).sub_(1.0),
    ],
)
def test_an_in_place_op_on_a_view_reaches_the_base_and_its_gradient(edit):
    def program(lib):
        w = _leaf(lib, (2, 3), seed=1)
        X = w * 2
        edit(lib, X)
        (X**3).sum().backward()
        return X.detach().numpy(), w.grad.numpy()

    _both(program)


def test_a_permuted_slice_of_a_view_chain():
    def program(lib):
        w = _leaf(lib, (2, 3, 4), seed=2)
        X = w.exp() * 1
        X.permute(2, 0, 1)[1:3].add_(1.0)
        X.sin().sum().backward()
        return X.detach().numpy(), w.grad.numpy()

    _both(program)


def test_positions_of_view_elements_in_their_base():
    base = np.arange(24.0).reshape(2, 3, 4)
    view = base.transpose(2, 0, 1)[1:3]
    positions = element_positions(base, view)
    np.testing.assert_array_equal(base.reshape(-1)[positions], view)
    # an expanded base holds one element in many places: no answer, and the op is refused
    assert element_positions(np.broadcast_to(np.arange(3.0), (2, 3)), np.arange(3.0)) is None
