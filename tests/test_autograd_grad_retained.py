"""Found by tests/programs/p29: torch's autograd.grad also fills the .grad of a non-leaf that
called retain_grad() (its retains_grad hook runs on every pass that reaches it); chainrule's
autograd_grad.py put every .grad back, so the retained gradient was lost."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")


def test_autograd_grad_fills_a_retained_non_leaf_grad_as_torch():
    results = []
    for lib in (cr, torch):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        h = w * 3
        h.retain_grad()
        loss = (h * h).sum()
        lib.autograd.grad(loss, [w], retain_graph=True)
        after_grad = None if h.grad is None else h.grad.numpy().copy()
        loss.backward()
        results.append((after_grad, h.grad.numpy().copy()))
    (ours_first, ours_second), (theirs_first, theirs_second) = results
    assert ours_first is not None
    np.testing.assert_array_equal(ours_first, theirs_first)
    np.testing.assert_array_equal(ours_second, theirs_second)


def test_autograd_grad_adds_into_a_retained_input_and_leaves_leaves_alone():
    results = []
    for lib in (cr, torch):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        h = w * 3
        h.retain_grad()
        g = h * 2
        g.retain_grad()
        loss = (g * g).sum()
        first = lib.autograd.grad(loss, [h], retain_graph=True)[0].numpy().copy()
        lib.autograd.grad(loss, [h], retain_graph=True)
        results.append((first, h.grad.numpy().copy(), g.grad.numpy().copy(), w.grad))
    ours, theirs = results
    for a, b in zip(ours[:3], theirs[:3]):
        np.testing.assert_array_equal(a, b)
    assert ours[3] is None and theirs[3] is None


def test_autograd_grad_inside_a_capture_refuses_a_retained_tensor():
    w = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(cr.GraphError, match="retain_grad"), cr.graph(cr.CPUGraph()):
        h = w * 3
        h.retain_grad()
        cr.autograd.grad((h * h).sum(), [w])
