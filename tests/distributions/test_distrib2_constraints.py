"""distributions.constraints against torch's: check() per batch entry, event_dim, is_discrete,
repr; and validate_args: invalid parameters and out-of-support log_prob values raise ValueError
where torch's do, and pass silently with validation off."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule

pytestmark = pytest.mark.oracle

VALUES = [
    [0.0, 0.5, 1.0, -1.0, 2.0, float("nan"), float("inf"), 3.0],
    [[0.2, 0.3, 0.5], [0.0, 1.0, 0.0], [0.5, 0.6, -0.1], [1.0, 1.0, 0.0]],
    [[[1.0, 0.0], [0.5, 2.0]], [[1.0, 0.3], [0.3, 2.0]], [[-1.0, 0.0], [0.5, 2.0]]],
]
CONSTRAINTS = [
    lambda C: C.real,
    lambda C: C.positive,
    lambda C: C.nonnegative,
    lambda C: C.unit_interval,
    lambda C: C.boolean,
    lambda C: C.nonnegative_integer,
    lambda C: C.positive_integer,
    lambda C: C.interval(-0.5, 1.0),
    lambda C: C.half_open_interval(-0.5, 1.0),
    lambda C: C.greater_than(0.5),
    lambda C: C.greater_than_eq(0.5),
    lambda C: C.less_than(1.0),
    lambda C: C.integer_interval(0, 2),
    lambda C: C.simplex,
    lambda C: C.one_hot,
    lambda C: C.real_vector,
    lambda C: C.independent(C.positive, 1),
    lambda C: C.multinomial(2),
    lambda C: C.lower_cholesky,
    lambda C: C.positive_definite,
]


@pytest.mark.parametrize("index", range(len(CONSTRAINTS)))
def test_check_matches_torch(index):
    ours = CONSTRAINTS[index](chainrule.distributions.constraints)
    theirs = CONSTRAINTS[index](torch.distributions.constraints)
    assert ours.event_dim == theirs.event_dim and ours.is_discrete == theirs.is_discrete
    assert repr(ours) == repr(theirs)
    for values in VALUES:
        if np.ndim(values) < ours.event_dim:
            continue
        if ours.event_dim == 2 and np.shape(values)[-1] != np.shape(values)[-2]:
            continue  # matrices only
        got = ours.check(chainrule.tensor(values)).numpy()
        expected = theirs.check(torch.tensor(values)).numpy()
        np.testing.assert_array_equal(got, expected, err_msg=repr(theirs))


def test_dependent_constraints_and_distribution_supports():
    C = chainrule.distributions.constraints
    D = chainrule.distributions
    assert C.is_dependent(D.Uniform.arg_constraints["low"])
    with pytest.raises(ValueError, match="dependent"):
        C.dependent.check(chainrule.tensor([1.0]))
    support = D.Uniform(chainrule.tensor([0.0, 1.0]), 2.0).support
    assert support.check(chainrule.tensor([0.0, 1.5])).tolist() == [True, True]
    assert support.check(chainrule.tensor([2.0, 0.5])).tolist() == [False, False]
    assert (
        D.Binomial(4, probs=chainrule.tensor(0.5)).support.check(chainrule.tensor(5.0)).item()
        is False
    )
    assert repr(D.Gamma(1.0, 1.0).support) == repr(torch.distributions.Gamma(1.0, 1.0).support)
    assert repr(D.Dirichlet(chainrule.ones(3)).support) == "Simplex()"
    assert D.Gamma.has_rsample and not D.Poisson.has_rsample


# (builder of an invalid distribution, builder of a valid one with an out-of-support value)
INVALID = [
    lambda D, t: D.Exponential(t([-1.0])),
    lambda D, t: D.Gamma(t([1.0]), t([0.0])),
    lambda D, t: D.Beta(t([1.0]), t([-2.0])),
    lambda D, t: D.Dirichlet(t([1.0, -1.0])),
    lambda D, t: D.Laplace(t([float("nan")]), t([1.0])),
    lambda D, t: D.StudentT(t([-1.0])),
    lambda D, t: D.Poisson(t([-0.5])),
    lambda D, t: D.Binomial(t([2.5]), probs=t([0.5])),
    lambda D, t: D.Geometric(t([0.0])),
    lambda D, t: D.OneHotCategorical(probs=t([0.5, -0.1])),
    lambda D, t: D.Pareto(t([1.0]), t([0.0])),
    lambda D, t: D.HalfNormal(t([-1.0])),
    lambda D, t: D.LogNormal(t([0.0]), t([-1.0])),
    lambda D, t: D.VonMises(t([0.0]), t([-1.0])),
    lambda D, t: D.LowRankMultivariateNormal(t([0.0]), t([[1.0]]), t([-1.0])),
]
OUT_OF_SUPPORT = [
    (lambda D, t: D.Exponential(t([1.0])), [-1.0]),
    (lambda D, t: D.Gamma(t([1.0]), t([1.0])), [-0.5]),
    (lambda D, t: D.Beta(t([1.0]), t([2.0])), [1.5]),
    (lambda D, t: D.Dirichlet(t([1.0, 2.0])), [0.3, 0.3]),
    (lambda D, t: D.Poisson(t([1.0])), [1.5]),
    (lambda D, t: D.Binomial(3, probs=t([0.5])), [4.0]),
    (lambda D, t: D.Geometric(t([0.5])), [-1.0]),
    (lambda D, t: D.OneHotCategorical(probs=t([0.5, 0.5])), [1.0, 1.0]),
    (lambda D, t: D.Multinomial(2, probs=t([0.5, 0.5])), [2.0, 1.0]),
    (lambda D, t: D.Pareto(t([1.0]), t([2.0])), [0.5]),
    (lambda D, t: D.HalfNormal(t([1.0])), [-1.0]),
    (lambda D, t: D.LogNormal(t([0.0]), t([1.0])), [0.0]),
    (lambda D, t: D.RelaxedBernoulli(t([1.0]), probs=t([0.5])), [1.5]),
    (lambda D, t: D.Weibull(t([1.0]), t([2.0])), [-1.0]),
]


def _libs():
    return [(chainrule, chainrule.tensor), (torch, torch.tensor)]


@pytest.mark.parametrize("index", range(len(INVALID)))
def test_invalid_parameters_raise_value_error_like_torch(index):
    for lib, t in _libs():
        # torch's LowRankMultivariateNormal factors before it checks: a LinAlgError, a RuntimeError
        with pytest.raises((ValueError, RuntimeError)):
            INVALID[index](lib.distributions, t)
    chainrule.distributions.Distribution.set_default_validate_args(False)
    try:  # no check, no error (a negative cov_diag still cannot be factored, as in torch)
        if index != len(INVALID) - 1:
            INVALID[index](chainrule.distributions, chainrule.tensor)
    finally:
        chainrule.distributions.Distribution.set_default_validate_args(True)


@pytest.mark.parametrize("index", range(len(OUT_OF_SUPPORT)))
def test_out_of_support_values_raise_value_error_like_torch(index):
    build, value = OUT_OF_SUPPORT[index]
    for lib, t in _libs():
        d = build(lib.distributions, t)
        with pytest.raises(ValueError):
            d.log_prob(t(value))
    chainrule.distributions.Distribution.set_default_validate_args(False)
    try:  # no check, no error: a number, maybe nan
        build(chainrule.distributions, chainrule.tensor).log_prob(chainrule.tensor(value))
    finally:
        chainrule.distributions.Distribution.set_default_validate_args(True)


def test_messages_name_the_parameter_the_constraint_and_the_support():
    D, t = chainrule.distributions, chainrule.tensor
    with pytest.raises(ValueError, match=r"parameter rate .*GreaterThan\(lower_bound=0.0\)"):
        D.Exponential(t([-1.0]))
    with pytest.raises(
        ValueError, match=r"within the support \(GreaterThanEq\(lower_bound=0.0\)\)"
    ):
        D.Exponential(t([1.0])).log_prob(t([-1.0]))
    with pytest.raises(ValueError, match="to be positive"):
        D.Geometric(t([0.0]))
    assert D.Exponential(t([-1.0]), validate_args=False).rate.item() == -1.0


def test_utils_probs_logits_round_trip_as_torch():
    from chainrule.distributions import utils

    probs = [[0.0, 0.25, 0.75], [1.0, 0.5, 1e-30]]
    for binary in (False, True):
        ours = utils.probs_to_logits(chainrule.tensor(probs), is_binary=binary)
        theirs = torch.distributions.utils.probs_to_logits(torch.tensor(probs), is_binary=binary)
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
        back = utils.logits_to_probs(ours, is_binary=binary)
        expected = torch.distributions.utils.logits_to_probs(theirs, is_binary=binary)
        np.testing.assert_allclose(back.numpy(), expected.numpy(), rtol=1e-6, atol=1e-7)
    clamped = utils.clamp_probs(chainrule.tensor([0.0, 1.0]))
    expected = torch.distributions.utils.clamp_probs(torch.tensor([0.0, 1.0]))
    np.testing.assert_array_equal(clamped.numpy(), expected.numpy())
