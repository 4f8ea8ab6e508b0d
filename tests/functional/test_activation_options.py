"""torch's keyword options of the activations real code passes: softmax's dtype, hardtanh's and
relu6's inplace; each against torch."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("method", [False, True])
def test_softmax_casts_to_dtype_first_as_torch(name, method):
    x = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    results = []
    for lib in (cr, torch):
        t = lib.tensor(x, requires_grad=True)
        y = (
            getattr(t, name)(1, dtype=lib.float64)
            if method
            else getattr(lib.nn.functional, name)(t, dim=1, dtype=lib.float64)
        )
        (y * lib.tensor(np.arange(12.0).reshape(3, 4))).sum().backward()
        results.append(
            (
                y.detach().numpy(),
                str(y.dtype).split(".")[-1],
                t.grad.numpy(),
                str(t.grad.dtype).split(".")[-1],
            )
        )
    (y, dtype, grad, grad_dtype), (ty, tdtype, tgrad, tgrad_dtype) = results
    assert (dtype, grad_dtype) == (tdtype, tgrad_dtype) == ("float64", "float32")
    np.testing.assert_allclose(y, ty, rtol=1e-12)
    np.testing.assert_allclose(grad, tgrad, rtol=1e-5)


@pytest.mark.parametrize("name, args", [("hardtanh", (-0.5, 0.5)), ("relu6", ())])
def test_inplace_writes_into_the_input_as_torch(name, args):
    x = np.float32([-8.0, -0.2, 0.3, 7.0])
    for lib in (cr, torch):
        t = lib.tensor(x)
        out = getattr(lib.nn.functional, name)(t, *args, inplace=True)
        assert out is t
        np.testing.assert_array_equal(t.numpy(), np.clip(x, *(args or (0.0, 6.0))))
    leaf = cr.tensor(x, requires_grad=True)
    h = leaf * 1.0
    cr.nn.functional.hardtanh(h, inplace=True).sum().backward()  # recorded, as x.clamp_()
    np.testing.assert_array_equal(leaf.grad.numpy(), np.float32([0, 1, 1, 0]))
