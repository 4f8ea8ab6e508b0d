"""Transforms (forward, inverse, log|det J|, with gradients), kl_divergence for the registered
pairs, register_kl for a user's pair, and expand, all against torch 2.13 in float64."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule

pytestmark = pytest.mark.oracle


def _t(lib, values, grad=False):
    t = lib.tensor(np.asarray(values, dtype=np.float64), dtype=lib.float64)
    return t.requires_grad_() if grad else t


TRANSFORMS = [
    ("exp", lambda T, p: T.ExpTransform(), [-3.0, 0.0, 2.0]),
    ("affine", lambda T, p: T.AffineTransform(p, 2 * p), [-3.0, 0.5, 2.0]),
    ("affine_number", lambda T, p: T.AffineTransform(1.0, -3.0), [-3.0, 0.5, 2.0]),
    ("sigmoid", lambda T, p: T.SigmoidTransform(), [-30.0, 0.5, 2.0]),
    ("tanh", lambda T, p: T.TanhTransform(), [-3.0, 0.5, 2.0]),
    ("power", lambda T, p: T.PowerTransform(p), [0.3, 1.5, 2.0]),
    (
        "compose",
        lambda T, p: T.ComposeTransform([T.AffineTransform(0.5, p), T.TanhTransform()]),
        [-3.0, 0.5, 2.0],
    ),
    ("inverse_exp", lambda T, p: T.ExpTransform().inv, [0.3, 1.5, 2.0]),
    ("inverse_sigmoid", lambda T, p: T.SigmoidTransform().inv, [0.01, 0.5, 0.99]),
]


@pytest.mark.parametrize("case", TRANSFORMS, ids=[c[0] for c in TRANSFORMS])
def test_transform_matches_torch(case):
    _, build, x = case

    def run(lib):
        p = _t(lib, [0.5, 1.5, 3.0], True)
        xt = _t(lib, x, True)
        transform = build(lib.distributions.transforms, p)
        y = transform(xt)
        back = transform.inv(y)
        ladj = transform.log_abs_det_jacobian(xt, y)
        (y.sum() + 0.3 * ladj.sum() + 0.1 * back.sum()).backward()
        grad_p = np.zeros(3) if p.grad is None else p.grad.numpy()
        return [y.detach().numpy(), back.detach().numpy(), ladj.detach().numpy()] + [
            xt.grad.numpy(),
            grad_p,
        ]

    for ours, theirs in zip(run(chainrule), run(torch)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)


def test_softmax_transform_and_transform_properties():
    T, TT = chainrule.distributions.transforms, torch.distributions.transforms
    x = [[0.2, -1.0, 3.0], [0.0, 0.0, 0.0]]
    ours, theirs = T.SoftmaxTransform(), TT.SoftmaxTransform()
    y = ours(_t(chainrule, x))
    np.testing.assert_allclose(y.numpy(), theirs(_t(torch, x)).numpy(), rtol=1e-12)
    np.testing.assert_allclose(
        ours.inv(y).numpy(), theirs.inv(theirs(_t(torch, x))).numpy(), rtol=1e-12
    )
    assert repr(ours.codomain) == repr(theirs.codomain) == "Simplex()"
    assert T.ExpTransform() == T.ExpTransform() and T.ExpTransform() != T.TanhTransform()
    assert T.AffineTransform(0.0, 2.0) == T.AffineTransform(0.0, 2.0)
    assert T.AffineTransform(0.0, 2.0) != T.AffineTransform(0.0, 3.0)
    assert T.ExpTransform().inv.inv == T.ExpTransform()
    assert T.TanhTransform().bijective and T.TanhTransform().sign == 1
    assert T.AffineTransform(0.0, -2.0).sign == -1
    compose = T.ComposeTransform([T.ExpTransform(), T.AffineTransform(1.0, 2.0, event_dim=1)])
    theirs = TT.ComposeTransform([TT.ExpTransform(), TT.AffineTransform(1.0, 2.0, event_dim=1)])
    assert repr(compose.domain) == repr(theirs.domain)
    x = [[0.2, -1.0, 3.0]]
    ladj = compose.log_abs_det_jacobian(_t(chainrule, x), compose(_t(chainrule, x)))
    expected = theirs.log_abs_det_jacobian(_t(torch, x), theirs(_t(torch, x)))
    np.testing.assert_allclose(ladj.numpy(), expected.numpy(), rtol=1e-12)


def test_cached_transform_inverts_its_own_output_exactly():
    sigmoid = chainrule.distributions.transforms.SigmoidTransform(cache_size=1)
    x = _t(chainrule, [40.0])
    assert sigmoid.inv(sigmoid(x)) is x  # without the cache 40 would come back as ~36.7


KL_PAIRS = [
    ("beta", lambda D, a, b: (D.Beta(a, b), D.Beta(b, a + 1))),
    ("binomial", lambda D, a, b: (D.Binomial(5, probs=a / 4), D.Binomial(5, probs=b / 4))),
    ("dirichlet", lambda D, a, b: (D.Dirichlet(a), D.Dirichlet(b))),
    ("exponential", lambda D, a, b: (D.Exponential(a), D.Exponential(b))),
    ("gamma", lambda D, a, b: (D.Gamma(a, b), D.Gamma(b, a))),
    ("gumbel", lambda D, a, b: (D.Gumbel(a, b), D.Gumbel(b, a))),
    ("geometric", lambda D, a, b: (D.Geometric(a / 4), D.Geometric(b / 4))),
    ("halfnormal", lambda D, a, b: (D.HalfNormal(a), D.HalfNormal(b))),
    ("laplace", lambda D, a, b: (D.Laplace(a, b), D.Laplace(b, a))),
    ("lognormal", lambda D, a, b: (D.LogNormal(a, b), D.LogNormal(b, a))),
    ("onehot", lambda D, a, b: (D.OneHotCategorical(a), D.OneHotCategorical(b))),
    ("pareto", lambda D, a, b: (D.Pareto(a, b), D.Pareto(a * 0.5, a))),
    ("poisson", lambda D, a, b: (D.Poisson(a), D.Poisson(b))),
    ("exponential_gamma", lambda D, a, b: (D.Exponential(a), D.Gamma(b, a))),
    ("gamma_exponential", lambda D, a, b: (D.Gamma(a, b), D.Exponential(b))),
    ("exponential_normal", lambda D, a, b: (D.Exponential(a), D.Normal(b, a))),
    ("gamma_normal", lambda D, a, b: (D.Gamma(a, b), D.Normal(b, a))),
    ("beta_normal", lambda D, a, b: (D.Beta(a, b), D.Normal(b, a))),
    ("laplace_normal", lambda D, a, b: (D.Laplace(a, b), D.Normal(b, a))),
    ("normal_laplace", lambda D, a, b: (D.Normal(a, b), D.Laplace(b, a))),
    ("bernoulli_poisson", lambda D, a, b: (D.Bernoulli(a / 4), D.Poisson(b))),
    ("normal_gamma_infinite", lambda D, a, b: (D.Normal(a, b), D.Gamma(a, b))),
    ("poisson_binomial_infinite", lambda D, a, b: (D.Poisson(a), D.Binomial(3, probs=b / 4))),
    (
        "lowrank_lowrank",
        lambda D, a, b: (
            D.LowRankMultivariateNormal(a, b.reshape(3, 1).expand(3, 2) * 0.3, a),
            D.LowRankMultivariateNormal(b, a.reshape(3, 1).expand(3, 2) * 0.2, b),
        ),
    ),
    (
        "mvn_lowrank",
        lambda D, a, b: (
            D.MultivariateNormal(a, scale_tril=(b + 0.5).diag()),
            D.LowRankMultivariateNormal(b, a.reshape(3, 1) * 0.2, b),
        ),
    ),
    (
        "independent",
        lambda D, a, b: (D.Independent(D.Gamma(a, b), 1), D.Independent(D.Gamma(b, a), 1)),
    ),
]


@pytest.mark.parametrize("case", KL_PAIRS, ids=[c[0] for c in KL_PAIRS])
def test_kl_divergence_matches_torch(case):
    _, build = case

    def run(lib):
        a, b = _t(lib, [0.5, 1.0, 3.0], True), _t(lib, [2.0, 0.7, 1.0], True)
        p, q = build(lib.distributions, a, b)
        kl = lib.distributions.kl_divergence(p, q)
        if not kl.requires_grad:  # infinite everywhere: nothing to differentiate
            return [kl.numpy()]
        (kl * _t(lib, np.linspace(0.5, 1.5, kl.numel()).reshape(tuple(kl.shape)))).sum().backward()
        grads = [np.zeros(3) if x.grad is None else x.grad.numpy() for x in (a, b)]
        return [kl.detach().numpy()] + grads

    ours, theirs = run(chainrule), run(torch)
    assert len(ours) == len(theirs)
    for got, expected in zip(ours, theirs):
        np.testing.assert_allclose(got, expected, rtol=1e-8, atol=1e-12)


def test_cauchy_kl_is_the_closed_form():
    """torch has no Cauchy pair; log(((s1 + s2)^2 + (m1 - m2)^2) / (4 s1 s2)) against quadrature."""
    D = chainrule.distributions
    p, q = D.Cauchy(_t(chainrule, 0.3), _t(chainrule, 0.7)), D.Cauchy(_t(chainrule, -1.0), 2.0)
    # x = loc + scale tan(theta) makes p(x) dx = d theta / pi: KL is the mean over theta of
    # log p - log q, which the midpoint rule on a fine grid integrates to ~1e-9
    n = 200_000
    theta = (np.arange(n) + 0.5) / n * np.pi - np.pi / 2
    x = _t(chainrule, 0.3 + 0.7 * np.tan(theta))
    expected = (p.log_prob(x) - q.log_prob(x)).numpy().mean()
    np.testing.assert_allclose(D.kl_divergence(p, q).item(), expected, rtol=1e-7)


def test_register_kl_for_a_user_pair_and_the_missing_pair_error():
    D = chainrule.distributions

    class Shifted(D.Normal):
        pass

    @D.register_kl(Shifted, D.Laplace)
    def _kl(p, q):
        return p.loc * 0 + 42.0

    assert D.kl_divergence(Shifted(0.0, 1.0), D.Laplace(0.0, 1.0)).item() == 42.0
    # a subclass without its own pair falls back to its parent's, as in torch
    assert D.kl_divergence(Shifted(0.0, 1.0), D.Normal(0.0, 1.0)).item() == 0.0
    with pytest.raises(NotImplementedError, match="No KL"):
        D.kl_divergence(D.VonMises(0.0, 1.0), D.VonMises(0.0, 2.0))


EXPAND = [
    lambda D, t: D.Gamma(t([1.0, 2.0]), 3.0),
    lambda D, t: D.Beta(t([1.0, 2.0]), t([0.5, 0.5])),
    lambda D, t: D.Dirichlet(t([[1.0, 2.0, 3.0]])),
    lambda D, t: D.LogNormal(t([0.0, 1.0]), 1.0),
    lambda D, t: D.Pareto(t([1.0, 2.0]), 3.0),
    lambda D, t: D.Weibull(t([1.0, 2.0]), 3.0),
    lambda D, t: D.StudentT(t([3.0, 4.0])),
    lambda D, t: D.Binomial(4, probs=t([0.3, 0.6])),
    lambda D, t: D.OneHotCategorical(probs=t([[0.3, 0.7]])),
    lambda D, t: D.Multinomial(3, probs=t([[0.3, 0.7]])),
    lambda D, t: D.RelaxedOneHotCategorical(t(0.5), probs=t([[0.3, 0.7]])),
    lambda D, t: D.Independent(D.Laplace(t([[0.0, 1.0]]), 1.0), 1),
    lambda D, t: D.MixtureSameFamily(D.Categorical(t([0.3, 0.7])), D.Normal(t([0.0, 1.0]), 1.0)),
    lambda D, t: D.LowRankMultivariateNormal(t([[0.0, 1.0]]), t([[1.0], [0.5]]), t([1.0, 2.0])),
]


@pytest.mark.parametrize("index", range(len(EXPAND)))
def test_expand_matches_torch(index):
    def run(lib):
        d = EXPAND[index](lib.distributions, lambda v: _t(lib, v))
        big = d.expand((3, *d.batch_shape[1:]) if len(d.batch_shape) == 2 else (3, 2))
        value = d.sample()
        return big, big.log_prob(_t(lib, value.numpy()))

    (ours, our_lp), (theirs, their_lp) = run(chainrule), run(torch)
    assert tuple(ours.batch_shape) == tuple(theirs.batch_shape)
    assert tuple(ours.event_shape) == tuple(theirs.event_shape)
    assert tuple(ours.sample((2,)).shape) == tuple(theirs.sample((2,)).shape)
    assert tuple(our_lp.shape) == tuple(their_lp.shape)
