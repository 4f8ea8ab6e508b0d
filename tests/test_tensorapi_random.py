"""torch's random fills and samplers (tensorapi family 5): exact where torch's result is
determined (bernoulli with p in {0, 1}, shapes, dtypes, ranges), statistical elsewhere with fixed
seeds (the streams differ from torch's by design), reproducible with a generator=."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402

pytestmark = pytest.mark.oracle

N = 20000


def test_bernoulli_is_exact_at_zero_and_one_and_keeps_the_dtype():
    p = np.array([[0.0, 1.0, 1.0], [0.0, 0.0, 1.0]], np.float64)
    ours, theirs = cr.bernoulli(cr.tensor(p)), torch.bernoulli(torch.tensor(p))
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert ours.dtype == np.float64
    np.testing.assert_array_equal(cr.tensor(p).bernoulli().numpy(), p)
    x = cr.zeros(2, 3)
    assert x.bernoulli_(1.0) is x and x.numpy().all()
    x.bernoulli_(cr.tensor(p.astype(np.float32)))
    np.testing.assert_array_equal(x.numpy(), p)
    np.testing.assert_array_equal(cr.bernoulli(cr.zeros(2), 1.0).numpy(), [1.0, 1.0])
    with pytest.raises(RuntimeError, match=r"bernoulli: expected probabilities in \[0, 1\]"):
        cr.bernoulli(cr.tensor([1.5]))


def test_bernoulli_frequencies_and_generator_reproducibility():
    g = cr.Generator().manual_seed(3)
    draws = cr.bernoulli(cr.full((N,), 0.3), generator=g).numpy()
    assert abs(draws.mean() - 0.3) < 4 * np.sqrt(0.3 * 0.7 / N)
    again = cr.bernoulli(cr.full((N,), 0.3), generator=cr.Generator().manual_seed(3)).numpy()
    np.testing.assert_array_equal(draws, again)


def _fresh(dtype=cr.float64):
    return cr.empty(N, dtype=dtype)


@pytest.mark.parametrize(
    "fill, args, mean, var",
    [
        ("exponential_", (2.0,), 0.5, 0.25),
        ("geometric_", (0.25,), 4.0, 0.75 / 0.0625),
        ("log_normal_", (0.0, 0.5), np.exp(0.125), (np.exp(0.25) - 1) * np.exp(0.25)),
    ],
)
def test_fills_have_torchs_distributions(fill, args, mean, var):
    x = _fresh()
    assert getattr(x, fill)(*args, generator=cr.Generator().manual_seed(1)) is x
    values = x.numpy()
    assert abs(values.mean() - mean) < 5 * np.sqrt(var / N), (values.mean(), mean)
    theirs = getattr(torch.empty(N, dtype=torch.float64), fill)(*args).numpy()
    assert abs(values.mean() - theirs.mean()) < 8 * np.sqrt(var / N)
    if fill == "geometric_":
        assert values.min() >= 1 and np.all(values == np.round(values))


def test_cauchy_median_and_quartiles_match():
    x = _fresh().cauchy_(1.0, 2.0, generator=cr.Generator().manual_seed(2)).numpy()
    quartiles = np.percentile(x, [25, 50, 75])
    np.testing.assert_allclose(quartiles, [-1.0, 1.0, 3.0], atol=0.15)


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64", "int32", "uint8"])
def test_random_ranges_match_torch(dtype):
    g = cr.Generator().manual_seed(4)
    x = cr.empty(N, dtype=dtype)
    values = x.random_(3, 9, generator=g).numpy()
    assert values.min() == 3 and values.max() == 8 and x.dtype == np.dtype(dtype)
    values = x.random_(5, generator=g).numpy()
    assert values.min() == 0 and values.max() == 4
    values = x.random_(generator=g).numpy()
    theirs = torch.empty(N, dtype=getattr(torch, dtype)).random_().numpy()
    assert values.min() >= 0 and values.max() <= np.iinfo(np.int64).max
    assert values.max() > theirs.max() / 4  # the same (large) range
    with pytest.raises(RuntimeError, match="random_: expected from < to"):
        x.random_(5, 5)


def test_poisson_randint_like_and_multinomial_method():
    rates = cr.tensor(np.array([0.0, 1.0, 4.0] * (N // 3)))
    counts = cr.poisson(rates, generator=cr.Generator().manual_seed(5)).numpy().reshape(-1, 3)
    assert (counts[:, 0] == 0).all() and rates.dtype == np.float64
    np.testing.assert_allclose(counts.mean(0), [0.0, 1.0, 4.0], atol=0.1)
    like = cr.randint_like(cr.zeros(3, 4), 10, generator=7)
    theirs = torch.randint_like(torch.zeros(3, 4), 10)
    assert like.shape == tuple(theirs.shape) and like.dtype == np.float32
    assert like.numpy().min() >= 0 and like.numpy().max() <= 9
    ranged = cr.randint_like(cr.zeros(N, dtype=cr.int64), 3, 6).numpy()
    assert set(np.unique(ranged)) == {3, 4, 5}
    picks = cr.tensor([0.0, 1.0, 0.0, 3.0]).multinomial(2, generator=cr.Generator().manual_seed(1))
    assert sorted(picks.tolist()) == [1, 3] and picks.dtype == np.int64


def test_normal_with_tensor_mean_and_std():
    mean, std = cr.tensor(np.array([0.0, 10.0])), cr.tensor(np.array([1.0, 0.0]))
    draws = cr.normal(mean, std, generator=cr.Generator().manual_seed(1))
    assert draws.shape == (2,) and draws.numpy()[1] == 10.0


def test_random_fills_refuse_a_leaf_that_requires_grad():
    for fill in ("exponential_", "cauchy_", "log_normal_", "random_", "bernoulli_"):
        with pytest.raises(RuntimeError):
            getattr(cr.zeros(2, requires_grad=True), fill)()
