"""Draws: torch's shapes and dtypes, chainrule's generator (reproducible under manual_seed), sample
statistics that agree with the moments, and rsample gradients that are the pathwise derivative.

Statistical checks use a fixed seed and a 5-standard-error band: a correct sampler fails one with
probability below 1e-6, while a wrong scale or shift by 2% of a standard deviation over 40,000
draws (0.02 * 200 = 4 standard errors ... and more for larger slips) is caught."""

import numpy as np
import pytest

import chainrule

D = chainrule.distributions
N = 40_000


def _t(values):
    return chainrule.tensor(np.asarray(values, dtype=np.float64), dtype=chainrule.float64)


# distributions with a finite mean and variance at these parameters
MOMENT_CASES = {
    "exponential": lambda: D.Exponential(_t([0.5, 3.0])),
    "laplace": lambda: D.Laplace(_t([0.0, -2.0]), _t([1.0, 0.3])),
    "gumbel": lambda: D.Gumbel(_t([0.0, -2.0]), _t([1.0, 0.3])),
    "lognormal": lambda: D.LogNormal(_t([0.0, -1.0]), _t([0.5, 0.3])),
    "halfnormal": lambda: D.HalfNormal(_t([0.5, 2.0])),
    "studentt": lambda: D.StudentT(_t([9.0, 30.0]), _t([1.0, 0.0]), _t([2.0, 0.5])),
    "gamma": lambda: D.Gamma(_t([0.3, 5.0]), _t([2.0, 0.5])),
    "chi2": lambda: D.Chi2(_t([1.0, 6.0])),
    "beta": lambda: D.Beta(_t([0.5, 4.0]), _t([2.0, 1.5])),
    "dirichlet": lambda: D.Dirichlet(_t([[0.5, 1.0, 4.0], [2.0, 3.0, 0.2]])),
    "pareto": lambda: D.Pareto(_t([1.0, 0.5]), _t([9.0, 12.0])),
    "weibull": lambda: D.Weibull(_t([1.0, 0.5]), _t([0.8, 3.0])),
    "vonmises": lambda: D.VonMises(_t([0.5, -1.0]), _t([8.0, 30.0])),
    "poisson": lambda: D.Poisson(_t([0.3, 12.0])),
    "binomial": lambda: D.Binomial(_t([5.0, 20.0]), probs=_t([0.1, 0.7])),
    "geometric": lambda: D.Geometric(_t([0.2, 0.9])),
    "negative_binomial": lambda: D.NegativeBinomial(_t([2.0, 7.5]), probs=_t([0.3, 0.6])),
    "multinomial": lambda: D.Multinomial(7, probs=_t([[0.2, 0.3, 0.5], [0.6, 0.0, 0.4]])),
    "onehot": lambda: D.OneHotCategorical(probs=_t([[0.2, 0.3, 0.5], [0.6, 0.0, 0.4]])),
    "lowrank_mvn": lambda: D.LowRankMultivariateNormal(
        _t([0.0, 1.0, -1.0]), _t([[1.0, 0.0], [0.5, -0.3], [0.2, 0.8]]), _t([0.5, 1.0, 2.0])
    ),
    "mixture": lambda: D.MixtureSameFamily(
        D.Categorical(probs=_t([0.3, 0.7])), D.Normal(_t([-2.0, 1.0]), _t([0.5, 1.0]))
    ),
}


@pytest.mark.parametrize("name", sorted(MOMENT_CASES))
def test_sample_mean_and_variance_agree_with_the_moments(name):
    chainrule.manual_seed(7)
    d = MOMENT_CASES[name]()
    draws = d.sample((N,)).numpy()
    assert draws.shape == (N, *d.batch_shape, *d.event_shape)
    mean, variance = d.mean.detach().numpy(), d.variance.detach().numpy()
    if name == "vonmises":  # the circular mean and variance: E[exp(i (x - loc))]
        resultant = np.exp(1j * (draws - d.loc.numpy())).mean(0)
        assert np.all(np.abs(np.angle(resultant)) <= 5 * np.sqrt(variance / N) + 0.02)
        np.testing.assert_allclose(1 - np.abs(resultant), variance, rtol=0.05, atol=2e-3)
        return
    standard_error = np.sqrt(variance / N)
    assert np.all(np.abs(draws.mean(0) - mean) <= 5 * standard_error + 1e-12), name
    # the sample variance's own spread depends on the fourth moment: 10% covers these cases
    np.testing.assert_allclose(draws.var(0), variance, rtol=0.1, atol=1e-12, err_msg=name)


def test_support_holds_for_every_draw():
    chainrule.manual_seed(3)
    for name, make in MOMENT_CASES.items():
        d = make()
        draws = d.sample((500,))
        assert bool(d.support.check(draws).all()), name


def test_sample_shapes_and_reproducibility():
    for make in MOMENT_CASES.values():
        d = make()
        chainrule.manual_seed(11)
        a = d.sample((4, 5))
        chainrule.manual_seed(11)
        b = d.sample((4, 5))
        assert tuple(a.shape) == (4, 5, *d.batch_shape, *d.event_shape)
        np.testing.assert_array_equal(a.numpy(), b.numpy())
        assert not a.requires_grad


def test_cauchy_and_half_cauchy_draws_follow_their_cdf():
    """No moments: compare empirical quantiles with icdf instead."""
    chainrule.manual_seed(5)
    probs = np.array([0.1, 0.25, 0.5, 0.75, 0.9])
    for d in (D.Cauchy(_t(1.0), _t(2.0)), D.HalfCauchy(_t(0.5))):
        draws = d.sample((N,)).numpy()
        expected = d.icdf(_t(probs)).numpy()
        # the empirical p-quantile has standard error sqrt(p (1 - p) / N) / density there
        np.testing.assert_allclose(np.quantile(draws, probs), expected, rtol=0.03, atol=0.02)


def test_relaxed_draws_lie_in_their_supports_and_sharpen_when_cold():
    chainrule.manual_seed(9)
    probs = _t([0.2, 0.5, 0.3])
    hot = D.RelaxedOneHotCategorical(_t(5.0), probs=probs).rsample((2000,))
    cold = D.RelaxedOneHotCategorical(_t(0.05), probs=probs).rsample((2000,))
    np.testing.assert_allclose(cold.sum(-1).numpy(), 1.0, rtol=1e-12)
    assert cold.max(-1).values.mean().item() > 0.95 > hot.max(-1).values.mean().item()
    winners = np.bincount(cold.argmax(-1).numpy(), minlength=3) / 2000
    np.testing.assert_allclose(winners, probs.numpy(), atol=0.04)
    bern = D.RelaxedBernoulli(_t(0.05), probs=_t(0.3)).rsample((4000,)).numpy()
    assert ((bern > 0) & (bern < 1)).all()
    assert abs((bern > 0.5).mean() - 0.3) < 0.03


# rsample's gradient: N independent copies of one parameter set, one draw each; the mean of the
# per-draw derivatives d x_i / d theta_i must match d E[x] / d theta (from the closed-form mean)
PATHWISE = {
    "exponential": (lambda p: D.Exponential(p[0]), [1.5]),
    "laplace": (lambda p: D.Laplace(p[0], p[1]), [0.5, 2.0]),
    "gumbel": (lambda p: D.Gumbel(p[0], p[1]), [0.5, 2.0]),
    "lognormal": (lambda p: D.LogNormal(p[0], p[1]), [0.2, 0.4]),
    "halfnormal": (lambda p: D.HalfNormal(p[0]), [1.5]),
    "studentt": (lambda p: D.StudentT(p[0], p[1], p[2]), [6.0, 0.5, 2.0]),
    "gamma_small": (lambda p: D.Gamma(p[0], p[1]), [0.4, 2.0]),
    "gamma": (lambda p: D.Gamma(p[0], p[1]), [3.0, 0.5]),
    "chi2": (lambda p: D.Chi2(p[0]), [4.0]),
    "beta": (lambda p: D.Beta(p[0], p[1]), [0.7, 2.5]),
    "dirichlet": (lambda p: D.Dirichlet(p[0].unsqueeze(-1) * _t([1.0, 2.0, 0.5])), [1.5]),
    "pareto": (lambda p: D.Pareto(p[0], p[1]), [1.5, 6.0]),
    "weibull": (lambda p: D.Weibull(p[0], p[1]), [1.5, 2.0]),
    "lowrank_mvn": (
        lambda p: D.LowRankMultivariateNormal(
            p[0].unsqueeze(-1).expand(*p[0].shape, 2),
            p[1].reshape(*p[1].shape, 1, 1).expand(*p[1].shape, 2, 1),
            p[2].unsqueeze(-1).expand(*p[2].shape, 2),
        ),
        [0.5, 1.5, 0.7],
    ),
}


@pytest.mark.parametrize("name", sorted(PATHWISE))
def test_rsample_gradient_is_unbiased_for_the_mean(name):
    build, values = PATHWISE[name]
    chainrule.manual_seed(21)
    params = [_t(np.full(N, v)).requires_grad_() for v in values]
    draws = build(params).rsample()
    assert draws.requires_grad
    draws.sum().backward()
    exact = [_t(v).requires_grad_() for v in values]
    build(exact).mean.sum().backward()
    for i, (p, e) in enumerate(zip(params, exact)):
        per_draw = p.grad.numpy()
        band = 5 * per_draw.std() / np.sqrt(N) + 1e-9
        expected = 0.0 if e.grad is None else e.grad.item()  # the mean may not depend on it
        assert abs(per_draw.mean() - expected) <= band, (name, i, per_draw.mean(), expected)


def test_gamma_rsample_gradient_is_the_implicit_one():
    """d z / d alpha = -(dP(alpha, z)/d alpha) / p(z; alpha) at the drawn z, against mpmath (exact)
    and torch's _standard_gamma_grad (an approximation good to about 1e-4)."""
    mpmath = pytest.importorskip("mpmath")
    torch = pytest.importorskip("torch")
    chainrule.manual_seed(2)
    alpha = _t([0.05, 0.5, 1.0, 2.5, 10.0, 150.0]).requires_grad_()
    z = D.Gamma(alpha, 1.0).rsample()
    z.sum().backward()
    ours = alpha.grad.numpy()
    a_np, z_np = alpha.detach().numpy(), z.detach().numpy()
    theirs = torch._standard_gamma_grad(torch.tensor(a_np), torch.tensor(z_np)).numpy()
    np.testing.assert_allclose(ours, theirs, rtol=5e-4)
    with mpmath.workdps(30):
        for a, x, g in zip(a_np, z_np, ours):
            lower = lambda s, x=x: mpmath.gammainc(s, 0, x, regularized=True)  # noqa: E731
            density = mpmath.mpf(x) ** (a - 1) * mpmath.exp(-x) / mpmath.gamma(a)
            assert abs(g - float(-mpmath.diff(lower, a) / density)) <= 1e-7 * max(1.0, abs(g))


def test_sample_only_families_say_so_on_rsample():
    for d in (D.Poisson(_t(1.0)), D.VonMises(_t(0.0), _t(1.0)), D.Geometric(_t(0.5))):
        assert not d.has_rsample
        with pytest.raises(NotImplementedError, match="rsample"):
            d.rsample()
    assert D.Gamma(1.0, 1.0).has_rsample and D.LogNormal(0.0, 1.0).has_rsample
    assert not D.MixtureSameFamily(
        D.Categorical(_t([0.5, 0.5])), D.Normal(_t([0.0, 1.0]), 1.0)
    ).has_rsample


def test_straight_through_one_hot_passes_the_probs_gradient():
    probs = _t([0.2, 0.3, 0.5]).requires_grad_()
    draw = D.OneHotCategoricalStraightThrough(probs=probs).rsample()
    assert sorted(draw.detach().numpy().tolist()) == [0.0, 0.0, 1.0]
    (draw * _t([1.0, 2.0, 3.0])).sum().backward()
    # probs are normalised first (probs / probs.sum()), so the gradient is w - (w . probs)
    np.testing.assert_allclose(probs.grad.numpy(), np.array([1.0, 2.0, 3.0]) - 2.3)
