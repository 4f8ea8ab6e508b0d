"""Every new distribution against torch 2.13: log_prob, entropy, moments, cdf and icdf, each value
and its gradient to every parameter, in float64 over grids that include edge values (tiny and
large concentrations, probabilities near 0 and 1, values at the support's boundary)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule

pytestmark = pytest.mark.oracle

ALL = ("log_prob", "entropy", "mean", "mode", "variance", "stddev", "cdf", "icdf")


def _module(D, name):
    """torch keeps the logit-scale relaxations out of its top level; chainrule exports them."""
    return D if D.__name__.startswith("chainrule") else getattr(D, name)


# (id, builder(D, *params), params, log_prob/cdf value, quantities, quantities compared without
# gradient (torch has none or an approximate one), icdf probabilities)
CASES = [
    ("exponential", lambda D, r: D.Exponential(r), [[0.5, 1.0, 30.0]], [0.1, 2.0, 0.0], ALL),
    (
        "laplace",
        lambda D, m, s: D.Laplace(m, s),
        [[0.0, 1.0, -2.0], [1.0, 0.05, 3.0]],
        [0.3, 1.0, -5.0],
        ALL,
    ),
    (
        "cauchy",
        lambda D, m, s: D.Cauchy(m, s),
        [[0.0, 1.0, -2.0], [1.0, 0.05, 3.0]],
        [0.3, 1.0, -50.0],
        ("log_prob", "entropy", "mode", "cdf", "icdf", "mean", "variance"),
    ),
    (
        "gumbel",
        lambda D, m, s: D.Gumbel(m, s),
        [[0.0, 1.0, -2.0], [1.0, 0.3, 3.0]],
        [0.3, 1.0, 4.0],
        ALL,
    ),
    (
        "lognormal",
        lambda D, m, s: D.LogNormal(m, s),
        [[0.0, 1.0, -2.0], [1.0, 0.3, 2.0]],
        [0.3, 1.0, 4.0],
        ALL,
    ),
    ("halfnormal", lambda D, s: D.HalfNormal(s), [[0.1, 1.0, 4.0]], [0.0, 1.0, 9.0], ALL),
    (
        "halfcauchy",
        lambda D, s: D.HalfCauchy(s),
        [[0.1, 1.0, 4.0]],
        [0.0, 1.0, 9.0],
        ("log_prob", "entropy", "mode", "cdf", "icdf", "mean", "variance"),
    ),
    (
        "studentt",
        lambda D, df, m, s: D.StudentT(df, m, s),
        [[0.8, 1.5, 3.0, 300.0], [0.0, 1.0, -1.0, 2.0], [1.0, 0.5, 2.0, 1.5]],
        [0.3, 1.0, 4.0, -3.0],
        ("log_prob", "entropy", "mean", "mode", "variance"),
    ),
    (
        "gamma",
        lambda D, a, b: D.Gamma(a, b),
        [[0.05, 1.0, 4.0, 150.0], [2.0, 0.5, 1.0, 3.0]],
        [0.01, 2.0, 3.5, 50.0],
        ("log_prob", "entropy", "mean", "mode", "variance", "stddev"),
    ),
    ("chi2", lambda D, df: D.Chi2(df), [[0.5, 1.0, 7.0]], [0.2, 1.0, 9.0], ALL[:6]),
    (
        "beta",
        lambda D, a, b: D.Beta(a, b),
        [[0.5, 1.0, 4.0, 90.0], [2.0, 0.5, 1.0, 3.0]],
        [0.01, 0.5, 0.999, 0.97],
        ALL[:6],
    ),
    (
        "dirichlet",
        lambda D, c: D.Dirichlet(c),
        [[[0.5, 1.0, 4.0], [2.0, 3.0, 0.2]]],
        [[0.2, 0.3, 0.5], [0.05, 0.9, 0.05]],
        ALL[:6],
    ),
    (
        "pareto",
        lambda D, s, a: D.Pareto(s, a),
        [[1.0, 0.5, 2.0], [0.5, 3.0, 2.5]],
        [1.5, 0.5, 7.0],
        ALL,
    ),
    (
        "pareto_finite_moments",
        lambda D, s, a: D.Pareto(s, a),
        [[1.0, 0.5, 2.0], [2.5, 3.0, 7.5]],
        [1.5, 0.5, 7.0],
        ALL,
    ),
    (
        "weibull",
        lambda D, s, k: D.Weibull(s, k),
        [[1.0, 0.5, 2.0], [0.5, 3.0, 1.5]],
        [1.5, 0.5, 7.0],
        ALL,
    ),
    (
        "vonmises",
        lambda D, m, k: D.VonMises(m, k),
        [[0.0, 1.0, -2.0, 0.5], [0.01, 1.0, 25.0, 200.0]],
        [0.3, -3.0, -2.1, 0.4],
        ("log_prob", "mean", "mode"),  # variance: against mpmath below
    ),
    (
        "poisson",
        lambda D, r: D.Poisson(r),
        [[0.1, 1.0, 40.0]],
        [0.0, 3.0, 38.0],
        ("log_prob", "mean", "mode", "variance"),
    ),
    (
        "binomial_probs",
        lambda D, p: D.Binomial(10, probs=p),
        [[0.01, 0.5, 0.999]],
        [0.0, 5.0, 10.0],
        ALL[:5],
    ),
    (
        "binomial_logits",
        lambda D, n, lg: D.Binomial(n, logits=lg),
        [[10.0, 10.0, 10.0], [-3.0, 0.0, 20.0]],
        [1.0, 4.0, 10.0],
        ALL[:5],
    ),
    ("geometric", lambda D, p: D.Geometric(p), [[0.05, 0.5, 1.0]], [3.0, 0.0, 0.0], ALL[:5]),
    (
        "geometric_logits",
        lambda D, lg: D.Geometric(logits=lg),
        [[-3.0, 0.0, 4.0]],
        [3.0, 0.0, 1.0],
        ALL[:5],
    ),
    (
        "negative_binomial",
        lambda D, n, p: D.NegativeBinomial(n, p),
        [[1.0, 2.5, 10.0], [0.1, 0.5, 0.9]],
        [0.0, 3.0, 40.0],
        ("log_prob", "mean", "mode", "variance"),
    ),
    (
        "multinomial",
        lambda D, p: D.Multinomial(6, probs=p),
        [[[0.2, 0.3, 0.5], [0.0, 0.9, 0.1]]],
        [[1.0, 2.0, 3.0], [0.0, 6.0, 0.0]],
        ("log_prob", "mean", "variance", "entropy"),
    ),
    (
        "onehot",
        lambda D, lg: D.OneHotCategorical(logits=lg),
        [[[0.2, -3.0, 5.0], [0.0, 0.9, 0.1]]],
        [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]],
        ALL[:6],
    ),
    (
        "relaxed_bernoulli",
        lambda D, t, p: D.RelaxedBernoulli(t, probs=p),
        [[0.5, 0.5, 2.0], [0.1, 0.5, 0.9]],
        [0.01, 0.5, 0.9],
        ("log_prob",),
    ),
    (
        "logit_relaxed_bernoulli",
        lambda D, t, lg: _module(D, "relaxed_bernoulli").LogitRelaxedBernoulli(t, logits=lg),
        [[0.5, 0.5, 2.0], [-2.0, 0.0, 3.0]],
        [-1.0, 0.5, 4.0],
        ("log_prob",),
    ),
    (
        "relaxed_onehot",
        lambda D, t, p: D.RelaxedOneHotCategorical(t, probs=p),
        [0.7, [[0.2, 0.3, 0.5], [0.1, 0.8, 0.1]]],
        [[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]],
        ("log_prob",),
    ),
    (
        "exp_relaxed_categorical",
        lambda D, t, lg: _module(D, "relaxed_categorical").ExpRelaxedCategorical(t, logits=lg),
        [2.0, [[0.2, -1.3, 0.5], [0.1, 0.8, 0.1]]],
        [[-2.0, -1.0, -0.5], [-0.1, -3.0, -2.5]],
        ("log_prob",),
    ),
    (
        "lowrank_mvn",
        lambda D, m, w, d: D.LowRankMultivariateNormal(m, w, d),
        [
            [[0.0, 1.0, -1.0], [0.5, 0.5, 0.5]],
            [[1.0, 0.0], [0.5, -0.3], [0.2, 0.8]],
            [0.5, 1.0, 2.0],
        ],
        [[0.1, 0.9, -1.2], [1.0, 0.0, 0.0]],
        ("log_prob", "entropy", "mean", "mode", "variance"),
    ),
    (
        "mixture_normal",
        lambda D, lg, m, s: D.MixtureSameFamily(D.Categorical(logits=lg), D.Normal(m, s)),
        [[[0.0, 1.0, -1.0], [2.0, 0.0, 0.0]], [[-1.0, 0.0, 2.0], [0.0, 1.0, 5.0]], [0.5, 1.0, 2.0]],
        [0.3, -2.0],
        ("log_prob", "mean", "variance", "cdf"),
    ),
    (
        "mixture_independent",
        lambda D, lg, m, s: D.MixtureSameFamily(
            D.Categorical(logits=lg), D.Independent(D.Normal(m, s), 1)
        ),
        [[0.0, 1.0], [[-1.0, 0.0], [2.0, 1.0]], [[0.5, 1.0], [2.0, 0.3]]],
        [[0.3, -2.0], [1.0, 1.0]],
        ("log_prob", "mean", "variance"),
    ),
    (
        "tanh_normal",
        lambda D, m, s: D.TransformedDistribution(
            D.Normal(m, s), [D.TanhTransform(), D.AffineTransform(1.0, 2.0)]
        ),
        [[0.0, 1.0, -2.0], [1.0, 0.3, 2.0]],
        [0.3, 2.5, -0.9],
        ("log_prob",),
    ),
    (
        "sigmoid_affine_uniform",
        lambda D, lo, hi: D.TransformedDistribution(
            D.Uniform(lo, hi), D.ComposeTransform([D.SigmoidTransform(), D.ExpTransform()])
        ),
        [[-1.0, 0.0], [1.0, 3.0]],
        [1.5, 2.0],
        ("log_prob", "cdf", "icdf"),
    ),
]
NO_GRAD = {
    ("pareto", "mean"),  # infinite for alpha <= 1: the gradients too
    ("pareto", "variance"),
    ("pareto", "stddev"),
    ("beta", "mode"),  # 0 / 0 at concentrations (1, 0.5): torch's gradient there is 0, ours NaN
    ("cauchy", "mean"),
    ("cauchy", "variance"),
    ("halfcauchy", "mean"),
    ("halfcauchy", "variance"),
    ("studentt", "mean"),
    ("studentt", "variance"),
}


def _tensor(lib, values, grad):
    t = lib.tensor(np.asarray(values, dtype=np.float64), dtype=lib.float64)
    return t.requires_grad_() if grad else t


def _quantity(lib, case, name, grad):
    _, build, params, value, _ = case
    tensors = [_tensor(lib, p, grad) for p in params]
    d = build(lib.distributions, *tensors)
    if name == "log_prob":
        out = d.log_prob(_tensor(lib, value, False))
    elif name == "cdf":
        out = d.cdf(_tensor(lib, value, False))
    elif name == "icdf":
        probs = np.linspace(0.05, 0.95, np.size(value)).reshape(np.shape(value))
        out = d.icdf(_tensor(lib, probs, False))
    elif name == "entropy":
        out = d.entropy()
    else:
        out = getattr(d, name)
    return out, tensors, d


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_values_and_gradients_match_torch(case):
    for name in case[4]:
        grad = (case[0], name) not in NO_GRAD
        ours, our_params, d = _quantity(chainrule, case, name, grad)
        theirs, their_params, t = _quantity(torch, case, name, grad)
        assert tuple(d.batch_shape) == tuple(t.batch_shape), case[0]
        assert tuple(d.event_shape) == tuple(t.event_shape), case[0]
        assert tuple(ours.shape) == tuple(theirs.shape), (case[0], name)
        # torch's log I0 (VonMises) is a polynomial fit good to ~1e-7; ours is the series
        rtol = 2e-6 if case[0] == "vonmises" else 1e-7
        np.testing.assert_allclose(
            ours.detach().numpy(), theirs.detach().numpy(), rtol=rtol, atol=1e-10, err_msg=name
        )
        if not grad or not theirs.requires_grad:
            continue
        weights = np.random.default_rng(0).uniform(0.5, 1.5, tuple(theirs.shape))
        (ours * chainrule.tensor(weights)).sum().backward()
        (theirs * torch.tensor(weights)).sum().backward()
        for i, (a, b) in enumerate(zip(our_params, their_params)):
            expected = np.zeros(b.shape) if b.grad is None else b.grad.numpy()
            got = np.zeros(a.shape) if a.grad is None else a.grad.numpy()
            np.testing.assert_allclose(
                got, expected, rtol=10 * rtol, atol=1e-9, err_msg=f"{case[0]}.{name} d/dparam{i}"
            )


def test_gamma_cdf_matches_torch_with_the_gradient_to_rate():
    def run(lib):
        a = _tensor(lib, [0.05, 1.0, 4.0, 150.0, 2.0], False)
        rate = _tensor(lib, [2.0, 0.5, 1.0, 3.0, 0.1], True)
        value = _tensor(lib, [0.01, 2.0, 3.5, 50.0, 300.0], False)
        cdf = lib.distributions.Gamma(a, rate).cdf(value)
        cdf.sum().backward()
        return cdf.detach().numpy(), rate.grad.numpy()

    for ours, theirs in zip(run(chainrule), run(torch)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dtype_follows_the_parameters(dtype):
    D = chainrule.distributions
    dt = getattr(chainrule, dtype)
    rate = chainrule.tensor([1.0, 2.0], dtype=dt)
    for d in (D.Gamma(rate, rate), D.Beta(rate, rate), D.Exponential(rate), D.StudentT(rate)):
        assert d.rsample((3,)).dtype == dt
        assert d.log_prob(d.sample()).dtype == dt
    assert D.Poisson(rate).sample().dtype == dt
    assert D.OneHotCategorical(probs=rate / 3).sample().dtype == dt


def test_numbers_give_scalar_float32_distributions_as_in_torch():
    D = chainrule.distributions
    for d in (D.Gamma(2.0, 3.0), D.Laplace(0.0, 1.0), D.Pareto(1.0, 2.0), D.Weibull(1.0, 2.0)):
        assert tuple(d.batch_shape) == () and d.mean.dtype == chainrule.float32


def test_vonmises_variance_is_the_exact_circular_variance():
    """1 - I1(k) / I0(k) against mpmath: torch's polynomial fit is off by up to 3e-4 here."""
    mpmath = pytest.importorskip("mpmath")
    k = np.array([0.01, 1.0, 25.0, 200.0])
    concentration = chainrule.tensor(k, dtype=chainrule.float64, requires_grad=True)
    variance = chainrule.distributions.VonMises(0.0, concentration).variance
    variance.sum().backward()

    def exact(x):
        return 1 - mpmath.besseli(1, x) / mpmath.besseli(0, x)

    np.testing.assert_allclose(variance.detach().numpy(), [float(exact(x)) for x in k], rtol=1e-10)
    slopes = [float(mpmath.diff(exact, x)) for x in k]
    np.testing.assert_allclose(concentration.grad.numpy(), slopes, rtol=1e-9)


def test_lowrank_normal_matrices_match_torch():
    def run(lib):
        loc = _tensor(lib, [[0.0, 1.0, -1.0], [0.5, 0.5, 0.5]], False)
        factor = _tensor(lib, [[1.0, 0.0], [0.5, -0.3], [0.2, 0.8]], True)
        diag = _tensor(lib, [0.5, 1.0, 2.0], True)
        d = lib.distributions.LowRankMultivariateNormal(loc, factor, diag)
        out = [d.covariance_matrix, d.precision_matrix, d.scale_tril]
        sum(m.sum() for m in out).backward()
        return [m.detach().numpy() for m in out] + [factor.grad.numpy(), diag.grad.numpy()]

    for ours, theirs in zip(run(chainrule), run(torch)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-12)
