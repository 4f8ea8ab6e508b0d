"""A step recorded before an in-place write keeps the history it saw (chainrule/inplace_history.py),
as torch's edges do; one that saved the overwritten memory still refuses, as torch does."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.errors import GraphError
from tests.programs.p90_micrograd_vs_torch import more_ops as _more_ops  # micrograd's test

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_micrograds_more_ops_matches_torch(dtype):
    results = []
    for lib in (torch, cr):
        a = lib.tensor([-4.0], dtype=getattr(lib, dtype), requires_grad=True)
        b = lib.tensor([2.0], dtype=getattr(lib, dtype), requires_grad=True)
        g = _more_ops(a, b)
        g.backward()
        results.append([g.item(), a.grad.item(), b.grad.item()])
    np.testing.assert_allclose(results[1], results[0], rtol=1e-6)
    np.testing.assert_allclose(
        results[0], [24.70408163265306, 138.83381924198252, 645.5772594752187], rtol=1e-6
    )


def test_a_step_that_saved_nothing_of_it_reaches_the_old_history():
    grads = []
    for lib in (torch, cr):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        h = x * 3.0
        y = h * 2.0  # saves only the 2
        z = h + 1.0  # saves nothing
        h.add_(h)  # h's new history: 6 x
        (y.sum() + z.sum() + h.sum()).backward()
        grads.append(x.grad.numpy().copy())
    np.testing.assert_allclose(grads[1], grads[0])
    np.testing.assert_allclose(grads[1], np.full(3, 6.0 + 3.0 + 6.0))


def test_each_step_keeps_the_version_it_saw_across_several_writes():
    grads = []
    for lib in (torch, cr):
        x = lib.tensor([1.0, -2.0], requires_grad=True)
        h = x * 1.0
        first = h * 2.0
        h.mul_(3.0)
        second = h * 5.0  # sees 3 x
        h.add_(x)  # 4 x
        (first.sum() + second.sum() + h.sum()).backward()
        grads.append(x.grad.numpy().copy())
    np.testing.assert_allclose(grads[1], grads[0])
    np.testing.assert_allclose(grads[1], [2.0 + 15.0 + 4.0] * 2)


def test_a_step_that_saved_the_overwritten_values_still_refuses():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    w = cr.tensor([3.0, 4.0], requires_grad=True)
    h = x * 1.0
    y = h * w  # saves h for w's gradient
    h.add_(1.0)
    with pytest.raises(GraphError, match=r"Mul saved unchanged since forward, got input 0"):
        y.sum().backward()


def test_a_write_outside_the_graph_leaves_no_history_to_return_to():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0
    y = h + 1.0
    with cr.no_grad():
        h.add_(1.0)
    with pytest.raises(GraphError, match=r"Add saved unchanged since forward, got input 0"):
        y.sum().backward()


def test_a_view_of_the_overwritten_tensor_still_refuses():
    # torch rebases the view onto the new history; chainrule keeps refusing rather than
    # sending the view's gradient into the old one
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0
    v = h.view(2, 1)
    h.add_(1.0)
    with pytest.raises(GraphError, match="saved unchanged since forward"):
        v.sum().backward()


def test_mul_called_by_hand_saves_both_operands():
    ctx = cr.functional.Mul()
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    cr.functional.Mul.forward(ctx, a, b)
    grad_a, grad_b = cr.functional.Mul.backward(ctx, np.ones(2))
    np.testing.assert_array_equal(grad_a, b)
    np.testing.assert_array_equal(grad_b, a)


def test_a_division_by_a_number_survives_a_later_write_to_its_numerator():
    grads = []
    for lib in (torch, cr):
        x = lib.tensor([1.0, 4.0], requires_grad=True)
        h = x * 1.0
        y = h / 2.0
        h += 3.0
        (y.sum() + (h * h).sum()).backward()
        grads.append(x.grad.numpy().copy())
    np.testing.assert_allclose(grads[1], grads[0])
    np.testing.assert_allclose(grads[1], [0.5 + 8.0, 0.5 + 14.0])


def test_the_old_histories_are_released_with_the_graph_that_needs_them():
    import gc
    import weakref

    x = cr.tensor([1.0, 2.0], requires_grad=True)
    h = x * 1.0
    for _ in range(5):
        h += x
    olds = list(h._prior.values())
    assert all(ref() is not None for ref in olds)  # the graph through h still needs them
    h.sum().backward()
    gc.collect()
    assert all(ref() is None for ref in olds) and isinstance(olds[0], weakref.ref)
    np.testing.assert_allclose(x.grad.numpy(), [6.0, 6.0])
