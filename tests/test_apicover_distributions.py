"""torch.distributions on chainrule: log_prob, entropy, moments and kl_divergence against torch
(with their gradients), sample shapes and dtypes, and torch's argument checks."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule

pytestmark = pytest.mark.oracle  # compared with PyTorch


def _close(ours, theirs):
    np.testing.assert_allclose(
        np.asarray(ours, float), np.asarray(theirs, float), rtol=2e-6, atol=1e-6
    )


def _normal(lib):
    D = lib.distributions
    loc = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
    scale = lib.tensor([1.0, 0.3, 2.5], requires_grad=True)
    n = D.Normal(loc, scale)
    value = lib.tensor([0.1, 0.2, 5.0])
    q = D.Normal(lib.tensor([0.0, 0.0, 1.0]), lib.tensor([2.0, 1.0, 1.0]))
    (n.log_prob(value).sum() + n.entropy().sum() + D.kl_divergence(n, q).sum()).backward()
    values = [n.log_prob(value), n.entropy(), n.mean, n.stddev, n.variance, n.cdf(value)]
    values.append(D.kl_divergence(n, q))
    return [v.tolist() for v in values] + [loc.grad.tolist(), scale.grad.tolist()]


def test_normal_as_torchs():
    for ours, theirs in zip(_normal(chainrule), _normal(torch)):
        _close(ours, theirs)


def test_rsample_carries_the_gradient_and_sample_does_not():
    D = chainrule.distributions
    loc = chainrule.tensor([0.0, 1.0], requires_grad=True)
    scale = chainrule.tensor([1.0, 2.0], requires_grad=True)
    draw = D.Normal(loc, scale).rsample((5,))
    assert tuple(draw.shape) == (5, 2) and draw.requires_grad
    draw.sum().backward()
    assert loc.grad.tolist() == [5.0, 5.0]
    assert not D.Normal(loc, scale).sample().requires_grad
    chainrule.manual_seed(1)
    a = D.Normal(0.0, 1.0).sample((3,))
    chainrule.manual_seed(1)
    assert D.Normal(0.0, 1.0).sample((3,)).tolist() == a.tolist()  # chainrule's generator


def _categorical(lib):
    D = lib.distributions
    logits = lib.tensor([[1.0, 2.0, -1.0], [0.0, 0.0, 3.0]], requires_grad=True)
    c = D.Categorical(logits=logits)
    action = lib.tensor([2, 1])
    (-(c.log_prob(action) * lib.tensor([1.0, -2.0])).sum() - 0.01 * c.entropy().sum()).backward()
    p = D.Categorical(probs=lib.tensor([0.2, 0.0, 0.8]))
    out = [c.log_prob(action), c.entropy(), c.probs, logits.grad, p.log_prob(lib.tensor([0, 2]))]
    out += [
        p.entropy(),
        p.logits,
        D.kl_divergence(D.Categorical(probs=lib.tensor([0.5, 0.5, 0.0])), p),
    ]
    out.append(c.log_prob(lib.tensor([[0], [2]])))  # broadcast against the batch
    return [v.tolist() for v in out]


def test_categorical_as_torchs():
    for ours, theirs in zip(_categorical(chainrule), _categorical(torch)):
        _close(ours, theirs)


def test_categorical_samples_are_indices_with_torchs_shapes():
    c = chainrule.distributions.Categorical(
        probs=chainrule.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    )
    draw = c.sample((4,))
    assert tuple(draw.shape) == (4, 2) and draw.dtype == chainrule.int64
    assert draw[:, 0].tolist() == [1] * 4 and draw[:, 1].tolist() == [0] * 4
    assert tuple(c.enumerate_support().shape) == (3, 2)


def _bernoulli_uniform(lib):
    D = lib.distributions
    probs = lib.tensor([0.3, 0.9], requires_grad=True)
    b = D.Bernoulli(probs=probs)
    b2 = D.Bernoulli(logits=lib.tensor([0.3, -2.0]))
    value = lib.tensor([1.0, 0.0])
    (b.log_prob(value).sum() + D.kl_divergence(b, b2).sum()).backward()
    u = D.Uniform(lib.tensor([0.0, 1.0]), lib.tensor([2.0, 4.0]))
    ind = D.Independent(D.Normal(lib.zeros(2, 3), lib.ones(2, 3)), 1)
    ind2 = D.Independent(D.Normal(lib.ones(2, 3), lib.ones(2, 3) * 2), 1)
    out = [b.log_prob(value), b.entropy(), b.mean, b.variance, b.logits, b2.log_prob(value)]
    out += [b2.probs, D.kl_divergence(b, b2), probs.grad, u.log_prob(lib.tensor([1.0, 3.0]))]
    out += [u.entropy(), u.mean, u.stddev, u.variance, ind.log_prob(lib.ones(2, 3)), ind.entropy()]
    out += [D.kl_divergence(ind, ind2), D.kl_divergence(u, D.Uniform(-1.0, 5.0))]
    return [v.tolist() for v in out] + [tuple(ind.batch_shape), tuple(ind.event_shape)]


def test_bernoulli_uniform_independent_as_torchs():
    for ours, theirs in zip(_bernoulli_uniform(chainrule), _bernoulli_uniform(torch)):
        _close(ours, theirs)


def _refused(lib):
    D, t = lib.distributions, lib.tensor
    attempts = [
        lambda: D.Normal(t([0.0]), t([-1.0])),
        lambda: D.Categorical(probs=t([0.5, -0.5])),
        lambda: D.Bernoulli(probs=t([1.5])),
        lambda: D.Normal(0.0, 1.0).log_prob(t(float("nan"))),
        lambda: D.Bernoulli(probs=t([0.5])).log_prob(t([0.5])),
        lambda: D.Categorical(logits=lib.zeros(3)).log_prob(t(3)),
        lambda: D.Uniform(1.0, 0.0),
        lambda: D.Uniform(0.0, 1.0).log_prob(t(2.0)),
        lambda: D.Categorical(probs=lib.ones(2), logits=lib.ones(2)),
        lambda: D.Normal(0.0, 1.0).log_prob(1.0),
    ]
    outcomes = []
    for attempt in attempts:
        try:
            attempt()
            outcomes.append("accepted")
        except ValueError:
            outcomes.append("ValueError")
    with pytest.raises(NotImplementedError):
        D.kl_divergence(D.Categorical(logits=lib.zeros(2)), D.Normal(0.0, 1.0))
    D.Normal(t([0.0]), t([-1.0]), validate_args=False)  # the check can be switched off
    return outcomes


def test_invalid_arguments_are_refused_as_torch_refuses_them():
    ours = _refused(chainrule)
    assert ours == _refused(torch) and set(ours) == {"ValueError"}


def test_a_user_pair_can_be_registered_and_taken_back():
    D = chainrule.distributions
    registry, key = D.kl._REGISTRY, (D.Uniform, D.Normal)
    before = registry.get(key)  # torch registers this pair too: put it back afterwards

    @D.register_kl(D.Uniform, D.Normal)
    def _uniform_normal(p, q):
        return p.low * 0

    try:
        assert D.kl_divergence(D.Uniform(0.0, 1.0), D.Normal(0.0, 1.0)).item() == 0.0
    finally:
        if before is None:
            registry.pop(key)
        else:
            registry[key] = before


COV = np.array([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]])


def _multivariate(lib):
    D = lib.distributions
    cov = lib.tensor(COV, requires_grad=True)
    loc = lib.tensor(np.array([0.1, -0.2, 0.3]), requires_grad=True)
    m = D.MultivariateNormal(loc, covariance_matrix=cov)
    value = lib.tensor(np.array([[0.5, 0.5, 0.5], [1.0, -1.0, 0.0]]))
    (m.log_prob(value).sum() + m.entropy()).backward()
    batched = D.MultivariateNormal(
        lib.zeros(2, 3, dtype=lib.float64), scale_tril=lib.tensor(np.linalg.cholesky(COV))
    )
    precise = D.MultivariateNormal(loc.detach(), precision_matrix=lib.tensor(np.linalg.inv(COV)))
    out = [m.log_prob(value), m.entropy(), cov.grad, loc.grad, m.variance, m.scale_tril]
    out += [batched.log_prob(value), precise.log_prob(value), m.covariance_matrix]
    shapes = [tuple(m.rsample((4,)).shape), tuple(batched.batch_shape), tuple(batched.event_shape)]
    return [v.tolist() for v in out], shapes


def test_multivariate_normal_as_torchs():
    (ours, our_shapes), (theirs, their_shapes) = _multivariate(chainrule), _multivariate(torch)
    assert our_shapes == their_shapes == [(4, 3), (2,), (3,)]
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    for lib in (chainrule, torch):
        with pytest.raises(ValueError):
            lib.distributions.MultivariateNormal(lib.zeros(3, dtype=lib.float64), lib.tensor(-COV))


def test_cholesky_gradcheck():
    from chainrule.linalg import cholesky  # the one Cholesky Function, which MVN uses

    a = chainrule.tensor(COV, requires_grad=True)
    assert chainrule.gradcheck(lambda m: cholesky((m + m.transpose(0, 1)) / 2), a)
