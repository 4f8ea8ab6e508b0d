"""kl_divergence for the 28 cross pairs with Uniform, Gumbel or Pareto on a side (and Beta against
Exponential, Gamma, Uniform, Pareto): values and parameter gradients against torch 2.13, in
float32 and float64, with p and q of different batch shapes that broadcast, edges included
(inf where p leaves q's support, a Uniform touching 0 or 1, Pareto alpha at 1 and 2)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule

pytestmark = pytest.mark.oracle

# p's parameters have batch shape (3,), q's (2, 1): the KL is (2, 3).
P = {
    "beta": ("Beta", [[0.5, 1.0, 3.0], [2.0, 0.7, 1.0]]),
    "exponential": ("Exponential", [[0.5, 1.0, 3.0]]),
    "gamma": ("Gamma", [[0.5, 1.0, 3.0], [2.0, 0.7, 1.0]]),
    "gumbel": ("Gumbel", [[-1.0, 0.0, 2.0], [0.5, 1.0, 2.0]]),
    "laplace": ("Laplace", [[-1.0, 0.0, 2.0], [0.5, 1.0, 2.0]]),
    "normal": ("Normal", [[-1.0, 0.0, 2.0], [0.5, 1.0, 2.0]]),
    "pareto": ("Pareto", [[0.5, 1.0, 2.0], [1.0, 2.5, 4.0]]),  # alpha 1: inf; 2.5: finite
    "uniform": ("Uniform", [[-0.2, 0.0, 0.5], [0.3, 1.0, 1.2]]),  # below 0, [0, 1], above 1
}
Q = {
    "beta": ("Beta", [[[0.5], [2.0]], [[1.5], [0.8]]]),
    "exponential": ("Exponential", [[[0.5], [2.0]]]),
    "gamma": ("Gamma", [[[0.5], [2.0]], [[1.5], [0.8]]]),
    "gumbel": ("Gumbel", [[[-0.5], [1.0]], [[0.7], [2.0]]]),
    "normal": ("Normal", [[[-0.5], [1.0]], [[0.7], [2.0]]]),
    "pareto": ("Pareto", [[[0.1], [0.3]], [[1.5], [0.8]]]),  # the Uniform at 0.2 is below 0.3
    "uniform": ("Uniform", [[[-0.5], [0.1]], [[1.0], [2.0]]]),  # the Beta's 0 is outside 0.1
}
PAIRS = [
    ("beta", "pareto"),
    ("beta", "exponential"),
    ("beta", "gamma"),
    ("beta", "uniform"),
    ("exponential", "uniform"),
    ("exponential", "gumbel"),
    ("gamma", "uniform"),
    ("gamma", "gumbel"),
    ("gumbel", "uniform"),
    ("gumbel", "pareto"),
    ("gumbel", "gamma"),
    ("gumbel", "exponential"),
    ("gumbel", "beta"),
    ("gumbel", "normal"),
    ("laplace", "uniform"),
    ("normal", "uniform"),
    ("normal", "gumbel"),
    ("pareto", "uniform"),
    ("pareto", "beta"),
    ("pareto", "exponential"),
    ("pareto", "gamma"),
    ("pareto", "normal"),
    ("uniform", "beta"),
    ("uniform", "exponential"),
    ("uniform", "gamma"),
    ("uniform", "gumbel"),
    ("uniform", "normal"),
    ("uniform", "pareto"),
]
# A second parameter set per family, inside every support: the finite branch everywhere.
P_INSIDE = {
    "pareto": [[0.5, 1.0, 2.0], [2.5, 3.0, 6.0]],
    "uniform": [[0.1, 0.2, 0.5], [0.3, 0.6, 0.9]],
}
Q_INSIDE = {
    "pareto": [[[0.05], [0.1]], [[1.5], [0.8]]],
    "uniform": [[[-0.5], [0.0]], [[1.0], [2.0]]],
}


def _leaves(lib, values, dtype):
    return [
        lib.tensor(np.asarray(v, dtype=dtype), dtype=getattr(lib, dtype)).requires_grad_()
        for v in values
    ]


def _run(lib, pair, dtype, inside):
    (p_name, p_values), (q_name, q_values) = P[pair[0]], Q[pair[1]]
    if inside:
        p_values = P_INSIDE.get(pair[0], p_values)
        q_values = Q_INSIDE.get(pair[1], q_values)
    p_leaves, q_leaves = _leaves(lib, p_values, dtype), _leaves(lib, q_values, dtype)
    D = lib.distributions
    if lib is torch:  # torch's in-place inf needs the mask at the result's shape: expand first
        p_args = [t.expand(2, 3) for t in p_leaves]
        q_args = [t.expand(2, 3) for t in q_leaves]
    else:
        p_args, q_args = p_leaves, q_leaves
    p = getattr(D, p_name)(*p_args, validate_args=False)
    q = getattr(D, q_name)(*q_args, validate_args=False)
    kl = D.kl_divergence(p, q)
    if not kl.requires_grad:  # infinite everywhere: nothing to differentiate
        return [np.broadcast_to(kl.numpy(), (2, 3))]
    weights = lib.tensor(np.linspace(0.5, 1.5, 6, dtype=dtype).reshape(2, 3))
    (kl.expand(2, 3) * weights).sum().backward()
    leaves = p_leaves + q_leaves
    grads = [np.zeros(x.shape, dtype) if x.grad is None else x.grad.numpy() for x in leaves]
    return [kl.detach().expand(2, 3).numpy()] + grads


@pytest.mark.parametrize("inside", [False, True], ids=["edges", "inside"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("pair", PAIRS, ids=["_".join(p) for p in PAIRS])
def test_kl_pair_matches_torch(pair, dtype, inside):
    ours, theirs = _run(chainrule, pair, dtype, inside), _run(torch, pair, dtype, inside)
    assert len(ours) == len(theirs)
    rtol, atol = (1e-5, 1e-6) if dtype == "float32" else (1e-8, 1e-10)
    for got, expected in zip(ours, theirs):
        assert got.dtype == expected.dtype
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol)


def test_every_pair_is_registered_and_edges_reach_inf():
    infinite = 0
    for pair in PAIRS:
        kl = _run(chainrule, pair, "float64", inside=False)[0]
        infinite += int(np.isinf(kl).sum())
    assert infinite > 0


def test_a_uniform_outside_the_pareto_support_is_infinite_only_there():
    D = chainrule.distributions
    kl = D.kl_divergence(D.Uniform(chainrule.tensor([0.2, 0.5]), 1.0), D.Pareto(0.3, 2.0))
    assert np.isinf(kl[0].item()) and np.isfinite(kl[1].item())
    assert kl.dtype == chainrule.float32
