"""torch.special on chainrule: values and gradients against torch in float32 and float64, and
gradcheck for the Functions special_math.py adds."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule
from chainrule import special

pytestmark = pytest.mark.oracle  # compared with PyTorch

INPUTS = {
    "expit": [-3.0, 0.0, 2.5],
    "logit": [0.1, 0.5, 0.9],
    "erf": [-2.0, 0.3, 1.0],
    "erfc": [-1.0, 0.5, 3.0, 6.0, 10.0],
    "erfinv": [-0.999, -0.5, 0.0, 0.3, 0.9, 0.999999, 1.0, -1.0, 1.5],
    "log1p": [0.001, 1.0],
    "expm1": [1e-5, 2.0],
    "gammaln": [0.1, 0.5, 1.0, 3.7, 10.0, 150.0, -1.5, 0.0, -2.0],
    "digamma": [0.1, 0.5, 1.0, 3.7, 10.0, 150.0, -1.5, 0.0, -0.3],
    "psi": [0.25, 7.5],
    "entr": [0.0, 0.5, 2.0, -1.0],
    "sinc": [0.0, 0.5, -1.3, 2.0],
    "ndtr": [-10.0, -3.0, 0.0, 1.5, 8.0],
    "log_ndtr": [-3.0, 0.0, 1.5],
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("name", INPUTS)
def test_values_and_gradients_match_torch(name, dtype):
    values = np.array(INPUTS[name], dtype=dtype)
    ours, theirs = (
        chainrule.tensor(values, requires_grad=True),
        torch.tensor(values, requires_grad=True),
    )
    y, ref = getattr(special, name)(ours), getattr(torch.special, name)(theirs)
    upstream = np.linspace(0.5, 1.5, len(values)).astype(dtype)
    y.backward(chainrule.tensor(upstream))
    ref.backward(torch.tensor(upstream))
    tol = dict(rtol=2e-6, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-11, atol=1e-12)
    assert y.dtype == dtype
    np.testing.assert_allclose(y.detach().numpy(), ref.detach().numpy(), **tol)
    grad, grad_ref = ours.grad.numpy(), theirs.grad.numpy()
    finite = np.isfinite(grad_ref) & (np.abs(grad_ref) < 1e10)  # torch's trigamma at a pole is 1e14
    if name in ("digamma", "psi") and dtype == np.float64:
        # torch's trigamma is good to ~1e-10 (against mpmath); ours to ~1e-16
        tol = dict(rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(grad[finite], grad_ref[finite], **tol)


@pytest.mark.parametrize(
    "name, values",
    [
        ("erfc", [-1.0, 0.2, 2.0]),
        ("erfinv", [-0.7, 0.1, 0.95]),
        ("ndtr", [-2.0, 0.3, 1.0]),
        ("gammaln", [0.3, 2.5, -1.5]),
        ("digamma", [0.3, 2.5, -1.5]),
        ("entr", [0.2, 1.5]),
        ("sinc", [0.3, -1.2, 2.5]),
    ],
)
def test_gradcheck(name, values):
    x = chainrule.tensor(np.array(values), requires_grad=True)
    assert chainrule.gradcheck(getattr(special, name), x)


def test_xlogy_as_torchs_including_zero_times_log_zero():
    x, y = [0.0, 1.0, 2.0, 0.0], [0.0, 2.0, 3.0, float("nan")]
    results = []
    for lib in (chainrule, torch):
        a, b = lib.tensor(x, requires_grad=True), lib.tensor(y, requires_grad=True)
        out = lib.special.xlogy(a, b)
        out.sum().backward()
        results.append([out.tolist(), a.grad.tolist(), b.grad.tolist()])
    np.testing.assert_allclose(np.array(results[0]), np.array(results[1]), rtol=1e-6)
    assert special.xlogy(2.0, chainrule.tensor([3.0])).tolist() == pytest.approx([2 * np.log(3)])
    b = chainrule.tensor([[1.0], [2.0]], requires_grad=True)
    special.xlogy(chainrule.tensor([1.0, 2.0, 3.0]), b).sum().backward()
    assert b.grad.reshape(-1).tolist() == pytest.approx([6.0, 3.0])


def test_logit_eps_softmax_and_logsumexp_as_torchs():
    values = np.array([[0.0, 0.3, 1.0], [0.2, 0.5, 0.7]], dtype=np.float32)
    pairs = [
        (
            special.logit(chainrule.tensor(values), eps=1e-6),
            torch.special.logit(torch.tensor(values), eps=1e-6),
        ),
        (
            special.softmax(chainrule.tensor(values), 1),
            torch.special.softmax(torch.tensor(values), 1),
        ),
        (
            special.log_softmax(chainrule.tensor(values), 0),
            torch.special.log_softmax(torch.tensor(values), 0),
        ),
        (
            special.logsumexp(chainrule.tensor(values), 1),
            torch.special.logsumexp(torch.tensor(values), 1),
        ),
    ]
    for ours, theirs in pairs:
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6, atol=1e-6)
