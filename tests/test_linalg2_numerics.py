"""torch-level msort, histogram, gradient, frexp and pdist (and F.pdist) against torch 2.13:
values, dtypes, edge cases, gradients and errors."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
import chainrule.nn.functional as F  # noqa: E402
from chainrule import gradcheck  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle


def _same_histogram(ours, theirs):
    np.testing.assert_array_equal(ours.bin_edges.numpy(), theirs.bin_edges.numpy())
    np.testing.assert_allclose(ours.hist.numpy(), theirs.hist.numpy(), rtol=1e-6)
    assert ours.hist.dtype == np.dtype(str(theirs.hist.dtype).replace("torch.", ""))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_histogram_matches_torch_for_int_bins(dtype, rng):
    x = rng.standard_normal(500).astype(dtype)
    weight = np.abs(rng.standard_normal(500)).astype(dtype)
    for kwargs in [
        dict(bins=5),
        dict(bins=7, range=(-1.0, 1.0)),
        dict(bins=4, density=True),
        dict(bins=13),
        dict(bins=3, range=(-0.5, 2.0), density=True),
    ]:
        ours = cr.histogram(cr.tensor(x), **kwargs)
        theirs = torch.histogram(torch.tensor(x), **kwargs)
        _same_histogram(ours, theirs)
        ours = cr.histogram(cr.tensor(x), weight=cr.tensor(weight), **kwargs)
        theirs = torch.histogram(torch.tensor(x), weight=torch.tensor(weight), **kwargs)
        _same_histogram(ours, theirs)


def test_histogram_with_edges_and_edge_cases_matches_torch(rng):
    x = rng.standard_normal((10, 5)).astype(np.float32)
    x[0, 0], x[0, 1] = 0.5, np.nan  # a value on an edge; NaN is left out
    edges = np.array([-1.0, 0.0, 0.5, 2.0], np.float32)
    _same_histogram(
        cr.histogram(cr.tensor(x), cr.tensor(edges)),
        torch.histogram(torch.tensor(x), torch.tensor(edges)),
    )
    ones = np.ones(3, np.float32)
    _same_histogram(cr.histogram(cr.tensor(ones), 2), torch.histogram(torch.tensor(ones), 2))
    empty = np.zeros(0, np.float32)
    _same_histogram(cr.histogram(cr.tensor(empty), 2), torch.histogram(torch.tensor(empty), 2))
    top = np.array([0.0, 1.0, 1.0], np.float32)  # the right edge belongs to the last bin
    _same_histogram(cr.histogram(cr.tensor(top), 4), torch.histogram(torch.tensor(top), 4))


def test_histogram_errors():
    with pytest.raises(cr.errors.DTypeError, match="histogram: expected a floating-point input"):
        cr.histogram(cr.tensor([1, 2]), 2)
    with pytest.raises(cr.errors.ArgumentError, match="histogram: expected bins > 0, got 0"):
        cr.histogram(cr.tensor([1.0, 2.0]), 0)
    with pytest.raises(cr.errors.ArgumentError, match="histogram: expected a finite range"):
        cr.histogram(cr.tensor([1.0, float("inf")]), 2)
    with pytest.raises(cr.errors.ArgumentError, match="histogram: expected min <= max"):
        cr.histogram(cr.tensor([1.0, 2.0]), 2, range=(3.0, 1.0))


GRADIENT_CASES = [
    {},
    dict(spacing=2.0),
    dict(dim=1, edge_order=2),
    dict(spacing=[0.5, 2.0], dim=[0, 2]),
    dict(spacing=(3.0,), dim=-1, edge_order=2),
    dict(coordinates=True, dim=1),
    dict(coordinates=True, dim=1, edge_order=2),
]


@pytest.mark.parametrize("case", GRADIENT_CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gradient_matches_torch_values_and_its_own_gradient(case, dtype, rng):
    m = rng.standard_normal((4, 5, 3)).astype(dtype)
    ours_kw, torch_kw = dict(case), dict(case)
    if ours_kw.pop("coordinates", False):
        coords = np.sort(rng.uniform(0, 5, 5)).astype(dtype)
        del torch_kw["coordinates"]
        ours_kw["spacing"], torch_kw["spacing"] = [cr.tensor(coords)], [torch.tensor(coords)]
    count = len(torch.gradient(torch.tensor(m), **torch_kw))
    assert len(cr.gradient(cr.tensor(m), **ours_kw)) == count
    tol = dict(rtol=2e-5, atol=2e-5) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-12)
    for i in range(count):
        compare(
            lambda t, i=i: cr.gradient(t, **ours_kw)[i],
            lambda t, i=i: torch.gradient(t, **torch_kw)[i],
            [m],
            rng,
            tolerance=tol,
        )


def test_gradient_errors():
    with pytest.raises(
        cr.errors.ShapeError,
        match="gradient: expected each dimension size to be at least edge_order \\+ 1 = 3",
    ):
        cr.gradient(cr.ones(2), edge_order=2)
    with pytest.raises(
        cr.errors.ArgumentError, match="gradient: expected edge_order 1 or 2, got 3"
    ):
        cr.gradient(cr.ones(5), edge_order=3)
    with pytest.raises(
        cr.errors.ArgumentError, match=r"gradient: expected one spacing per dimension \(2\), got 1"
    ):
        cr.gradient(cr.ones(3, 3), spacing=[1.0])


@pytest.mark.parametrize("p", [2, 1, 0.5, 3, 0, float("inf")])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pdist_matches_torch_with_gradients_including_repeated_rows(p, dtype, rng):
    points = rng.standard_normal((6, 3)).astype(dtype)
    points[4] = points[1]  # a zero distance: torch's gradient is 0 there
    tol = dict(rtol=2e-4, atol=2e-5) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)
    compare(lambda t: cr.pdist(t, p), lambda t: torch.pdist(t, p), [points], rng, tolerance=tol)
    compare(
        lambda t: F.pdist(t, p),
        lambda t: torch.nn.functional.pdist(t, p),
        [points],
        rng,
        tolerance=tol,
    )


def test_pdist_gradchecks_and_handles_tiny_inputs(rng):
    for p in (2, 1.5, 3):
        assert gradcheck(
            lambda t, p=p: cr.pdist(t, p),
            cr.tensor(rng.standard_normal((4, 3)), requires_grad=True),
        )
    for rows in (0, 1):
        assert cr.pdist(cr.ones(rows, 3)).shape == tuple(torch.pdist(torch.ones(rows, 3)).shape)
    with pytest.raises(
        cr.errors.ShapeError, match=r"pdist: expected a 2-D input \(N, M\), got \(3,\)"
    ):
        cr.pdist(cr.ones(3))


def test_frexp_matches_torch_with_its_gradient(rng):
    v = np.array([0.0, -3.0, 5.5, 1e-30, np.inf, -np.inf, np.nan, 1e-310], np.float64)
    ours, theirs = cr.frexp(cr.tensor(v)), torch.frexp(torch.tensor(v))
    np.testing.assert_array_equal(ours.mantissa.numpy(), theirs.mantissa.numpy())
    np.testing.assert_array_equal(ours.exponent.numpy(), theirs.exponent.numpy())
    assert ours.exponent.dtype == np.int32
    f32 = np.array([1e-45, 3.0, -0.1], np.float32)
    ours, theirs = cr.frexp(cr.tensor(f32)), torch.frexp(torch.tensor(f32))
    np.testing.assert_array_equal(ours.mantissa.numpy(), theirs.mantissa.numpy())
    np.testing.assert_array_equal(ours.exponent.numpy(), theirs.exponent.numpy())
    compare(
        lambda t: cr.frexp(t).mantissa,
        lambda t: torch.frexp(t).mantissa,
        [rng.standard_normal(6) * 100],
        rng,
    )
    with pytest.raises(cr.errors.DTypeError, match="frexp: expected a floating-point input"):
        cr.frexp(cr.tensor([1, 2]))


def test_msort_matches_torch(rng):
    compare(cr.msort, torch.msort, [rng.standard_normal((5, 3)).astype(np.float32)], rng)
    compare(cr.msort, torch.msort, [rng.standard_normal((4,))], rng)


def test_torch_level_names_are_there():
    for name in [
        "msort",
        "histogram",
        "gradient",
        "frexp",
        "pdist",
        "cartesian_prod",
        "block_diag",
    ]:
        assert hasattr(cr, name) and hasattr(torch, name), name
    assert hasattr(F, "pdist")


def test_cpugraph_replays_the_new_ops_bit_identically_to_eager_steps():
    """eigh, lu_factor / lu_solve, matrix_norm, the Bessel and zeta Functions, pdist, histogram
    and matrix_rank inside a captured step: each replay recomputes them for the new batch."""
    from tests.cpugraph.replay_harness2 import _arrays, _assert_same, _grads

    def batches(i):
        rng = np.random.default_rng(i)
        a = rng.standard_normal((3, 3))
        return [a @ a.T + 3 * np.eye(3), rng.standard_normal((3, 2))]

    def make():
        a, b = cr.zeros((3, 3), dtype=cr.float64), cr.zeros((3, 2), dtype=cr.float64)
        w = cr.tensor(np.linspace(0.5, 1.5, 3), requires_grad=True)
        optimizer = cr.optim.SGD([w], lr=0.01)
        seen = []

        def step():
            optimizer.zero_grad()
            values, vectors = cr.linalg.eigh(a * w)
            lu, pivots = cr.linalg.lu_factor(a + w.diag())
            x = cr.linalg.lu_solve(lu, pivots, b)
            loss = values.sum() + (vectors @ vectors.T).sum() + x.square().sum()
            loss = loss + cr.linalg.matrix_norm(a * w, "nuc") + cr.special.i1e(w).sum()
            loss = loss + cr.special.zeta(3.0, w + 1).sum() + cr.pdist(a * w).sum()
            loss.backward()
            optimizer.step()
            seen[:] = [cr.histogram(a.reshape(-1), 4).hist, cr.linalg.matrix_rank(b)]

        return [a, b], step, lambda: _arrays([w, *seen]) + _grads([w]), None

    _assert_same(make, batches)
