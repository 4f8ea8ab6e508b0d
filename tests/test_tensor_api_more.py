"""torch names real scripts call that chainrule lacked: each against torch 2.13."""

import numpy as np
import pytest
import torch

import chainrule as cr

GRIDS = {
    "acosh": np.array([1.0, 1.0001, 1.5, 3.0, 50.0, 1e6]),
    "asinh": np.array([-1e6, -3.0, -0.5, 0.0, 0.25, 4.0, 1e6]),
    "atanh": np.array([-0.999, -0.5, 0.0, 0.3, 0.9, 0.999]),
}


@pytest.mark.parametrize("alias", ["", "arc"])
@pytest.mark.parametrize("name", sorted(GRIDS))
def test_inverse_hyperbolics_values_and_gradients(name, alias):
    called = alias + name[1:] if alias else name
    for dtype in (np.float32, np.float64):
        x = GRIDS[name].astype(dtype)
        ours, theirs = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        out, ref = getattr(cr, called)(ours), getattr(torch, called)(theirs)
        out.sum().backward()
        ref.sum().backward()
        np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=2e-6)
        # near acosh's pole, float32's x * x - 1 (torch) and (x - 1)(x + 1) (here) part in the 5th digit
        np.testing.assert_allclose(
            ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-4 if dtype == np.float32 else 1e-10
        )
        assert getattr(cr.tensor(x), called)().dtype == out.dtype


UNARY = "acos asin atan cosh sinh tan acosh asinh atanh erf erfc expm1 log10 log1p log2 rsqrt fix absolute"


@pytest.mark.parametrize("name", UNARY.split())
def test_in_place_unary_methods_write_torchs_values_into_the_tensor(name):
    x = np.array([0.2, 0.5, 0.9], dtype=np.float32) + (1.5 if name == "acosh" else 0.0)
    ours, theirs = cr.tensor(x), torch.tensor(x)
    assert getattr(ours, name + "_")() is ours
    getattr(theirs, name + "_")()
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


@pytest.mark.parametrize("call", ["cumsum_(1)", "cumprod_(0)", "tril_()", "triu_(1)", "tril_(-1)"])
def test_in_place_methods_with_arguments(call):
    x = np.arange(1, 10, dtype=np.float32).reshape(3, 3)
    ours, theirs = cr.tensor(x), torch.tensor(x)
    eval(f"ours.{call}")
    eval(f"theirs.{call}")
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_in_place_method_on_an_activation_keeps_the_gradient_and_refuses_a_leaf():
    leaf = cr.tensor([0.1, 0.4], requires_grad=True)
    hidden = leaf * 2
    hidden.log1p_()
    hidden.sum().backward()
    np.testing.assert_allclose(leaf.grad.numpy(), 2 / (1 + 2 * np.array([0.1, 0.4])), rtol=1e-6)
    with pytest.raises(RuntimeError):
        cr.tensor([0.1], requires_grad=True).tan_()


def test_torch_level_functional_aliases_give_nn_functionals_results():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((1, 2, 5, 5)), rng.standard_normal((3, 2, 3, 3))
    x, w = x.astype(np.float32), w.astype(np.float32)
    for name, args in [
        ("conv2d", (w,)),
        ("max_pool2d", (2,)),
        ("pixel_shuffle", None),
        ("selu", ()),
        ("celu", ()),
        ("hardshrink", ()),
        ("threshold", (0.1, -1.0)),
    ]:
        if args is None:
            ours = cr.pixel_shuffle(cr.tensor(x[:, :, :4, :4].reshape(1, 8, 2, 2)), 2)
            theirs = torch.pixel_shuffle(torch.tensor(x[:, :, :4, :4].reshape(1, 8, 2, 2)), 2)
        else:
            cargs = [cr.tensor(a) if isinstance(a, np.ndarray) else a for a in args]
            targs = [torch.tensor(a) if isinstance(a, np.ndarray) else a for a in args]
            ours = getattr(cr, name)(cr.tensor(x), *cargs)
            theirs = getattr(torch, name)(torch.tensor(x), *targs)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["relu_", "sigmoid_", "tanh_", "selu_", "celu_"])
def test_torch_level_in_place_activations(name):
    x = np.linspace(-2, 2, 7, dtype=np.float32)
    ours, theirs = cr.tensor(x), torch.tensor(x)
    assert getattr(cr, name)(ours) is ours
    getattr(torch, name)(theirs)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


def test_torch_dropout_takes_a_required_train_flag():
    x = cr.ones(100)
    assert cr.dropout(x, 0.5, False) is x
    dropped = cr.dropout(x, 0.5, True)
    assert set(np.unique(dropped.numpy())) <= {0.0, 2.0}
    with pytest.raises(TypeError):
        cr.dropout(x, 0.5)
    with pytest.raises(TypeError):
        torch.dropout(torch.ones(3), 0.5)


@pytest.mark.parametrize("periodic", [True, False])
@pytest.mark.parametrize("length", [0, 1, 2, 5, 8])
@pytest.mark.parametrize("name", ["hann", "hamming", "blackman", "bartlett", "kaiser"])
def test_window_functions_as_torch(name, length, periodic):
    for dtype in (None, "float64"):
        kwargs = {} if dtype is None else {"dtype": getattr(cr, dtype)}
        tkwargs = {} if dtype is None else {"dtype": getattr(torch, dtype)}
        ours = getattr(cr, f"{name}_window")(length, periodic, **kwargs)
        theirs = getattr(torch, f"{name}_window")(length, periodic, **tkwargs)
        assert ours.numpy().dtype == theirs.numpy().dtype
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5, atol=1e-6)


def test_hamming_window_alpha_beta_positional_as_torch():
    ours, theirs = cr.hamming_window(6, True, 0.5, 0.5), torch.hamming_window(6, True, 0.5, 0.5)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)


@pytest.mark.parametrize(
    "indices, shape",
    [([4, 1, -1, 6], (2, 3)), (5, (2, 3)), ([[0, 7], [23, 11]], (2, 3, 4)), ([3], 5)],
)
def test_unravel_index_as_torch_including_its_wrapping(indices, shape):
    ours = cr.unravel_index(cr.tensor(indices), shape)
    theirs = torch.unravel_index(torch.tensor(indices), shape)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.numpy().dtype == np.int64 and a.shape == tuple(b.shape)
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_unravel_index_refuses_float_indices_as_torch():
    with pytest.raises(TypeError):
        cr.unravel_index(cr.tensor([1.0]), (2, 3))
    with pytest.raises(TypeError):
        torch.unravel_index(torch.tensor([1.0]), (2, 3))


def test_asarray_shares_numpy_memory_unless_asked_to_copy():
    source = np.arange(3.0)
    shared, copied = cr.asarray(source), cr.asarray(source, copy=True)
    source[0] = 9
    assert shared.numpy()[0] == 9 and copied.numpy()[0] == 0
    assert cr.asarray([1.0, 2.0]).dtype == cr.float32 and cr.asarray([1, 2]).dtype == cr.int64
    assert cr.asarray(source, requires_grad=True).requires_grad
    with pytest.raises(ValueError):
        cr.asarray(source, dtype=cr.float32, copy=False)


@pytest.mark.parametrize("size", [(1, 3), (3,), (2, 1), (2, 3), (1, 1)])
def test_sum_to_size_as_torch(size):
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_array_equal(
        cr.tensor(x).sum_to_size(*size).numpy(), torch.tensor(x).sum_to_size(*size).numpy()
    )
    with pytest.raises(RuntimeError):
        cr.tensor(x).sum_to_size(4)


def test_cpu_build_switches_and_predicates_answer_as_a_cpu_torch():
    x = cr.ones(2)
    assert x.is_cpu is True and x.get_device() == -1
    assert not (x.is_complex() or x.is_conj() or x.is_neg() or x.is_inference())
    assert cr.set_flush_denormal(True) is False
    cr.set_num_interop_threads(2)
    assert cr.get_num_interop_threads() == 2
    cr.set_warn_always(True)
    assert cr.is_warn_always_enabled()
    cr.set_warn_always(False)


def test_set_default_tensor_type_sets_the_float_dtype_and_refuses_cuda():
    try:
        cr.set_default_tensor_type(cr.DoubleTensor)
        assert cr.tensor([1.0]).dtype == cr.float64
        cr.set_default_tensor_type("torch.FloatTensor")
        assert cr.tensor([1.0]).dtype == cr.float32
        with pytest.raises(AssertionError):
            cr.set_default_tensor_type("torch.cuda.FloatTensor")
    finally:
        cr.set_default_dtype(cr.float32)


def test_format_of_a_0d_tensor_is_its_number_as_torch():
    for lib in (cr, torch):
        loss = lib.tensor(1.23456, requires_grad=True) * 1
        assert f"{loss}" == f"{loss.item()}" and f"{loss:.2f}" == "1.23"
        assert f"{lib.tensor(3)}" == "3"
        assert f"{lib.tensor([1.0, 2.0])}" == repr(lib.tensor([1.0, 2.0]))
        with pytest.raises(TypeError):
            f"{lib.tensor([1.0]):.2f}"
