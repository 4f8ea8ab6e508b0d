import numpy as np
import pytest

import chainrule as cr
from chainrule import DTypeError, GraphError, ShapeError

pytestmark = pytest.mark.usefixtures("float64_default")


def test_attributes_mirror_torch():
    x = cr.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    assert x.shape == (1, 3) and x.ndim == 2 and x.dtype == np.float64 and x.numel() == 3
    assert x.size() == (1, 3) and x.size(1) == 3
    assert (
        x.unsqueeze(0).shape == (1, 1, 3)
        and x.squeeze().shape == (3,)
        and x.squeeze(0).shape == (3,)
    )
    assert x.matmul(cr.ones(3, 2)).shape == (1, 2)
    assert x.T.shape == (3, 1)
    assert x.is_leaf and x.requires_grad
    assert cr.tensor(2.5).item() == 2.5
    assert isinstance(x.detach().numpy(), np.ndarray)
    assert not x.detach().requires_grad and x.detach().numpy() is x.detach().numpy()
    assert "requires_grad=True" in repr(x)


def test_backward_accumulates_across_calls():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    (x * 3.0).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_allclose(x.grad, [3.0 + 2.0, 3.0 + 4.0])


def test_gradient_of_a_reused_tensor_adds_up():
    x = cr.tensor(3.0, requires_grad=True)
    y = x * x + x  # x used three times
    y.backward()
    assert x.grad == pytest.approx(7.0)


def test_two_leaves_never_share_a_grad_array():
    a = cr.tensor([1.0, 2.0], requires_grad=True)
    b = cr.tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    assert a.grad is not b.grad
    (a + b).sum().backward()
    np.testing.assert_array_equal(a.grad, [2.0, 2.0])
    np.testing.assert_array_equal(b.grad, [2.0, 2.0])


def test_backward_on_non_scalar_needs_a_gradient():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(GraphError, match=r"expected a scalar .* got shape \(2,\)"):
        (x * 2.0).backward()
    (x * 2.0).backward(np.array([1.0, 10.0]))
    np.testing.assert_array_equal(x.grad, [2.0, 20.0])


def test_backward_gradient_of_wrong_shape_is_named():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ShapeError, match=r"gradient of shape \(2,\), got \(3,\)"):
        (x * 2.0).backward(np.ones(3))


def test_second_backward_through_freed_graph_explains_retain_graph():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(GraphError, match="retain_graph=True"):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = x.grad.clone()
    y.backward()
    np.testing.assert_allclose(x.grad, 2 * first)


def test_backward_without_requires_grad_is_an_error():
    with pytest.raises(GraphError, match="requires grad"):
        cr.tensor([1.0]).sum().backward()


def test_no_grad_records_nothing():
    x = cr.tensor([1.0], requires_grad=True)
    with cr.no_grad():
        y = x * 2.0
    assert not y.requires_grad and y.grad_fn is None
    assert cr.is_grad_enabled()


def test_integer_tensors_do_not_require_grad():
    x = cr.tensor([1, 2, 3])
    assert x.dtype == np.int64
    with pytest.raises(DTypeError, match="floating-point tensor, got dtype int64"):
        x.requires_grad_()


def test_factories_use_explicit_generators():
    a = cr.randn(3, 2, generator=np.random.default_rng(5))
    b = cr.randn(3, 2, generator=np.random.default_rng(5))
    np.testing.assert_array_equal(a.data, b.data)
    cr.manual_seed(7)
    c = cr.rand(4)
    cr.manual_seed(7)
    np.testing.assert_array_equal(c.data, cr.rand(4).data)
    assert cr.zeros(2, 3).shape == (2, 3) and cr.ones((2,)).data.tolist() == [1.0, 1.0]
    assert cr.zeros(2, dtype=np.float32).dtype == np.float32


def test_comparisons_give_bool_tensors():
    x = cr.tensor([1.0, 2.0, 3.0])
    assert (x > 1.5).data.tolist() == [False, True, True]
    assert (x == 2.0).dtype == np.bool_


def test_ndarray_on_the_left_defers_to_tensor():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    y = np.array([3.0, 4.0]) * x
    assert isinstance(y, cr.Tensor)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])


def test_deep_chain_does_not_hit_recursion_limit():
    x = cr.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(5000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0


def test_leaf_reached_twice_in_one_pass_does_not_corrupt_a_shared_gradient():
    a = cr.tensor([1.0, 2.0], requires_grad=True)
    b = cr.tensor([3.0, 4.0], requires_grad=True)
    s = a + b  # Add hands the same gradient array to a and to b
    t = (s + a) * 1.0 + b  # a and b are each reached a second time
    t.backward(np.array([1.0, 10.0]))
    np.testing.assert_array_equal(a.grad, [2.0, 20.0])
    np.testing.assert_array_equal(b.grad, [2.0, 20.0])
    assert a.grad is not b.grad
