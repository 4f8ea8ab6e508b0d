"""Distribution methods that programs p55 (a VAE) and the probe around it found missing:
Normal.icdf, Uniform.cdf / icdf, kl_divergence of two MultivariateNormals; against torch."""

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")

COV = np.array([[2.0, 0.3, 0.0], [0.3, 1.0, 0.1], [0.0, 0.1, 0.5]])
TRIL = np.array([[1.0, 0.0, 0.0], [0.5, 0.8, 0.0], [-0.3, 0.2, 0.6]])


def _kl_and_grads(lib):
    tril = lib.tensor(TRIL, requires_grad=True)
    loc = lib.tensor([0.0, 1.0, -1.0], dtype=lib.float64, requires_grad=True)
    D = lib.distributions
    p = D.MultivariateNormal(loc, scale_tril=tril)
    q = D.MultivariateNormal(lib.tensor([0.5, 0.0, 0.0], dtype=lib.float64), lib.tensor(COV))
    batched = D.MultivariateNormal(lib.zeros(2, 3, dtype=lib.float64), lib.tensor(COV))
    kl = D.kl_divergence(p, q)
    kl.backward()
    return [
        kl.item(),
        tril.grad.numpy(),
        loc.grad.numpy(),
        D.kl_divergence(batched, p).detach().numpy(),
    ]


def test_kl_of_two_multivariate_normals_as_torch():
    for ours, theirs in zip(_kl_and_grads(chainrule), _kl_and_grads(torch)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    D = chainrule.distributions
    with pytest.raises(ValueError, match="different event shapes"):
        D.kl_divergence(
            D.MultivariateNormal(chainrule.zeros(2), chainrule.eye(2)),
            D.MultivariateNormal(chainrule.zeros(3), chainrule.eye(3)),
        )


@pytest.mark.parametrize("lib", [chainrule, torch], ids=["chainrule", "torch"])
def test_quantiles_and_cdfs(lib):
    D = lib.distributions
    loc = lib.tensor([0.0, 1.0], requires_grad=True)
    normal = D.Normal(loc, lib.tensor([1.0, 2.0]))
    x = normal.icdf(lib.tensor([0.1, 0.7]))
    x.sum().backward()
    np.testing.assert_allclose(x.detach().numpy(), [-1.2815516, 2.048801], rtol=1e-6)
    np.testing.assert_allclose(normal.cdf(x).detach().numpy(), [0.1, 0.7], rtol=1e-5)
    np.testing.assert_array_equal(loc.grad.numpy(), [1.0, 1.0])
    uniform = D.Uniform(lib.tensor([-1.0, 0.0]), lib.tensor([3.0, 1.0]))
    np.testing.assert_allclose(uniform.cdf(lib.tensor([0.0, 0.5])).numpy(), [0.25, 0.5])
    np.testing.assert_allclose(uniform.icdf(lib.tensor([0.25, 0.5])).numpy(), [0.0, 0.5])
    with pytest.raises(ValueError):
        uniform.cdf(lib.tensor([-2.0, 0.5]))


@pytest.mark.parametrize("name", ["erfinv", "erfc", "log_ndtr", "ndtr", "expit"])
def test_special_functions_of_0d_tensors(name):
    """erfinv of a 0-d tensor (p55's Normal.icdf(tensor(0.975))) raised TypeError in erfc_array."""
    for value in (0.975, -0.3):
        ours = getattr(chainrule.special, name)(chainrule.tensor(value))
        theirs = getattr(torch.special, name)(torch.tensor(value))
        assert tuple(ours.shape) == ()
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
