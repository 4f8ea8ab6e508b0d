"""Kinks and edges against torch: values and gradients at 0, +-inf and NaN, op by op.

Each row runs one elementwise function on the same points in both libraries, with an upstream
gradient of ones so that 0 * inf in a backward shows up as NaN exactly where torch has one.
"""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr
import chainrule.functional as F

pytestmark = pytest.mark.oracle  # compared with PyTorch / scikit-learn

inf, nan = math.inf, math.nan
POINTS = [0.0, -0.0, 1.0, -1.0, 2.0, inf, -inf, nan]
POSITIVE = [0.0, 0.5, 1.0, inf, nan]

# name, chainrule function, torch function, points
UNARY = [
    ("x**0", lambda x: x**0, lambda x: x**0, POINTS),
    ("x**1", lambda x: x**1, lambda x: x**1, POINTS),
    ("x**2", lambda x: x**2, lambda x: x**2, POINTS),
    ("x**3", lambda x: x**3, lambda x: x**3, POINTS),
    ("x**0.5", lambda x: x**0.5, lambda x: x**0.5, POSITIVE),
    ("x**-1", lambda x: x**-1, lambda x: x**-1, POINTS),
    ("x**-2", lambda x: x**-2, lambda x: x**-2, POINTS),
    ("log", F.log, torch.log, POSITIVE),
    ("sqrt", F.sqrt, torch.sqrt, POSITIVE),
    ("exp", F.exp, torch.exp, POINTS),
    ("abs", F.abs, torch.abs, POINTS),
    ("relu", F.relu, torch.relu, POINTS),
    ("sigmoid", F.sigmoid, torch.sigmoid, POINTS),
    ("tanh", F.tanh, torch.tanh, POINTS),
    ("leaky_relu", F.leaky_relu, torch.nn.functional.leaky_relu, POINTS),
    ("elu", F.elu, torch.nn.functional.elu, POINTS),
    ("softplus", F.softplus, torch.nn.functional.softplus, POINTS),
    ("clamp(-1, 1)", lambda x: F.clamp(x, -1.0, 1.0), lambda x: torch.clamp(x, -1.0, 1.0), POINTS),
    ("clamp(0, 0)", lambda x: F.clamp(x, 0.0, 0.0), lambda x: torch.clamp(x, 0.0, 0.0), POINTS),
    ("clamp(min=0)", lambda x: F.clamp(x, 0.0), lambda x: torch.clamp(x, min=0.0), POINTS),
    (
        "maximum(x, 0)",
        lambda x: F.maximum(x, cr.zeros_like(x)),
        lambda x: torch.maximum(x, torch.zeros_like(x)),
        POINTS,
    ),
    (
        "minimum(x, 0)",
        lambda x: F.minimum(x, cr.zeros_like(x)),
        lambda x: torch.minimum(x, torch.zeros_like(x)),
        POINTS,
    ),
    ("maximum(x, x)", lambda x: F.maximum(x, x), lambda x: torch.maximum(x, x), POINTS),
    (
        "where(x > 0, x, 0)",
        lambda x: F.where(x > 0, x, cr.zeros_like(x)),
        lambda x: torch.where(x > 0, x, torch.zeros_like(x)),
        POINTS,
    ),
    (
        "where(x > 0, sqrt, 0)",
        lambda x: F.where(x > 0, F.sqrt(x), cr.zeros_like(x)),
        lambda x: torch.where(x > 0, x.sqrt(), torch.zeros_like(x)),
        POINTS,
    ),
    ("x / x", lambda x: x / x, lambda x: x / x, POINTS),
    ("1 / x", lambda x: 1.0 / x, lambda x: 1.0 / x, POINTS),
    ("x * 0", lambda x: x * 0.0, lambda x: x * 0.0, POINTS),
]


def _run(fn, x, lib):
    if lib is torch:
        t = torch.tensor(x, requires_grad=True)
    else:
        t = cr.tensor(x, requires_grad=True)
    y = fn(t)
    y.backward(torch.ones_like(y) if lib is torch else np.ones(y.shape, dtype=x.dtype))
    value = y.detach().numpy() if lib is torch else y.detach().numpy()
    return value, np.asarray(t.grad)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name, ours, theirs, points", UNARY, ids=[row[0] for row in UNARY])
def test_edges_match_torch(name, ours, theirs, points, dtype):
    x = np.array(points, dtype=dtype)
    with np.errstate(all="ignore"):
        value, grad = _run(ours, x.copy(), cr)
    ref_value, ref_grad = _run(theirs, x.copy(), torch)
    assert value.dtype == dtype and grad.dtype == dtype
    np.testing.assert_allclose(
        value, ref_value, rtol=1e-6, equal_nan=True, err_msg=f"{name} value at {points}"
    )
    np.testing.assert_allclose(
        grad, ref_grad, rtol=1e-6, equal_nan=True, err_msg=f"{name} gradient at {points}"
    )


# tensor ** tensor: both gradients, on a grid of bases and exponents that includes 0 ** 0
BASES = [0.0, 0.0, 0.0, 2.0, -2.0, 1.0, inf, 0.5]
EXPONENTS = [0.0, 2.0, -1.0, 0.0, 2.0, nan, 1.0, inf]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_tensor_power_edges_match_torch(dtype):
    a, b = np.array(BASES, dtype=dtype), np.array(EXPONENTS, dtype=dtype)
    ours = [cr.tensor(a.copy(), requires_grad=True), cr.tensor(b.copy(), requires_grad=True)]
    theirs = [
        torch.tensor(a.copy(), requires_grad=True),
        torch.tensor(b.copy(), requires_grad=True),
    ]
    with np.errstate(all="ignore"):
        y = ours[0] ** ours[1]
        y.backward(np.ones(y.shape, dtype=dtype))
    ref = theirs[0] ** theirs[1]
    ref.backward(torch.ones_like(ref))
    np.testing.assert_allclose(y.detach().numpy(), ref.detach().numpy(), equal_nan=True)
    for name, mine, other in zip("ab", ours, theirs):
        np.testing.assert_allclose(
            np.asarray(mine.grad),
            other.grad.numpy(),
            rtol=1e-6,
            equal_nan=True,
            err_msg=f"gradient of {name}",
        )


@pytest.mark.parametrize("reduce", ["max", "min"])
@pytest.mark.parametrize("dim", [None, 1])
def test_max_min_ties_share_the_gradient_like_torch_amax(reduce, dim):
    x = np.array([[1.0, 3.0, 3.0], [inf, inf, 0.0], [nan, 1.0, 2.0]])
    mine = cr.tensor(x.copy(), requires_grad=True)
    theirs = torch.tensor(x.copy(), requires_grad=True)
    torch_fn = torch.amax if reduce == "max" else torch.amin
    with np.errstate(all="ignore"):
        y = getattr(F, reduce)(mine, dim)
        y.sum().backward()
    ref = torch_fn(theirs, dim=() if dim is None else dim)
    ref.sum().backward()
    np.testing.assert_allclose(y.detach().numpy(), ref.detach().numpy(), equal_nan=True)
    np.testing.assert_allclose(np.asarray(mine.grad), theirs.grad.numpy(), equal_nan=True)
