"""Margin and ranking losses and PoissonNLLLoss against torch: every reduction, both dtypes."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle

DTYPES = [np.float32, np.float64]
REDUCTIONS = ["mean", "sum", "none"]


def _signs(rng, shape, dtype):
    return rng.choice([-1.0, 1.0], shape).astype(dtype)


def _torch_like(m, array):
    return m.tensor(array)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_pair_losses_match_torch(reduction, dtype, rng):
    n = 6
    a, b = rng.standard_normal(n).astype(dtype), rng.standard_normal(n).astype(dtype)
    y = _signs(rng, n, dtype)
    for margin in (0.0, 0.3):
        compare(
            lambda p, q, margin=margin: cr.nn.MarginRankingLoss(margin, reduction=reduction)(
                p, q, cr.tensor(y)
            ),
            lambda p, q, margin=margin: torch.nn.MarginRankingLoss(margin, reduction=reduction)(
                p, q, torch.tensor(y)
            ),
            [a, b],
            rng,
        )
    d = np.abs(rng.standard_normal((3, 4))).astype(dtype) * 2
    y2 = _signs(rng, (3, 4), dtype)
    compare(
        lambda x: cr.nn.HingeEmbeddingLoss(1.5, reduction=reduction)(x, cr.tensor(y2)),
        lambda x: torch.nn.HingeEmbeddingLoss(1.5, reduction=reduction)(x, torch.tensor(y2)),
        [d],
        rng,
    )
    compare(
        lambda x: cr.nn.SoftMarginLoss(reduction=reduction)(x, cr.tensor(y2)),
        lambda x: torch.nn.SoftMarginLoss(reduction=reduction)(x, torch.tensor(y2)),
        [d - 1],
        rng,
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("batched", [True, False])
def test_cosine_embedding_loss_matches_torch(batched, reduction, dtype, rng):
    shape = (5, 4) if batched else (4,)
    x1, x2 = (rng.standard_normal(shape).astype(dtype) for _ in range(2))
    y = _signs(rng, shape[:-1], dtype)
    for margin in (0.0, -0.2, 0.5):
        compare(
            lambda p, q, margin=margin: cr.nn.CosineEmbeddingLoss(margin, reduction=reduction)(
                p, q, cr.tensor(y)
            ),
            lambda p, q, margin=margin: torch.nn.CosineEmbeddingLoss(margin, reduction=reduction)(
                p, q, torch.tensor(y)
            ),
            [x1, x2],
            rng,
        )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "kwargs", [{}, dict(margin=0.5, p=1.0), dict(swap=True), dict(p=3.0, eps=1e-3, swap=True)]
)
def test_triplet_margin_loss_matches_torch(kwargs, reduction, dtype, rng):
    for shape in [(5, 3), (3,)]:
        arrays = [rng.standard_normal(shape).astype(dtype) for _ in range(3)]
        compare(
            lambda a, p, n: cr.nn.TripletMarginLoss(**kwargs, reduction=reduction)(a, p, n),
            lambda a, p, n: torch.nn.TripletMarginLoss(**kwargs, reduction=reduction)(a, p, n),
            arrays,
            rng,
        )


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("swap", [False, True])
def test_triplet_with_distance_loss_matches_torch(swap, reduction, rng):
    arrays = [rng.standard_normal((5, 3)) for _ in range(3)]

    def cosine_distance(m):
        return lambda x, y: 1.0 - m.nn.functional.cosine_similarity(x, y)

    for dist in (None, cosine_distance):
        compare(
            lambda a, p, n, dist=dist: cr.nn.TripletMarginWithDistanceLoss(
                distance_function=dist and dist(cr), margin=0.7, swap=swap, reduction=reduction
            )(a, p, n),
            lambda a, p, n, dist=dist: torch.nn.TripletMarginWithDistanceLoss(
                distance_function=dist and dist(torch), margin=0.7, swap=swap, reduction=reduction
            )(a, p, n),
            arrays,
            rng,
        )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
def test_multilabel_soft_margin_loss_matches_torch(weighted, reduction, dtype, rng):
    x = rng.standard_normal((4, 5)).astype(dtype) * 3
    y = (rng.random((4, 5)) > 0.5).astype(dtype)
    w = rng.random(5).astype(dtype) if weighted else None
    compare(
        lambda t: cr.nn.MultiLabelSoftMarginLoss(
            None if w is None else cr.tensor(w), reduction=reduction
        )(t, cr.tensor(y)),
        lambda t: torch.nn.MultiLabelSoftMarginLoss(
            None if w is None else torch.tensor(w), reduction=reduction
        )(t, torch.tensor(y)),
        [x],
        rng,
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("p, margin, weighted", [(1, 1.0, False), (2, 0.5, False), (1, 2.0, True)])
def test_multi_margin_loss_matches_torch(p, margin, weighted, reduction, dtype, rng):
    x = rng.standard_normal((6, 4)).astype(dtype)
    y = rng.integers(0, 4, 6)
    w = rng.random(4).astype(dtype) + 0.5 if weighted else None

    def run(m):
        weight = None if w is None else m.tensor(w)
        return lambda t: m.nn.MultiMarginLoss(p, margin, weight, reduction=reduction)(
            t, m.tensor(y)
        )

    compare(run(cr), run(torch), [x], rng)
    compare(  # unbatched: (C,) with a 0-d target
        lambda t: cr.nn.functional.multi_margin_loss(t, cr.tensor(y[0]), p, margin),
        lambda t: torch.nn.functional.multi_margin_loss(t, torch.tensor(y[0]), p, margin),
        [x[0]],
        rng,
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_multilabel_margin_loss_matches_torch(reduction, dtype, rng):
    x = rng.standard_normal((4, 5)).astype(dtype)
    y = np.array(
        [[3, 0, -1, 1, 1], [4, -1, 2, 2, 2], [0, 1, 2, 3, 4], [2, 2, -1, 0, 0]], dtype=np.int64
    )  # -1 ends each list; duplicates count twice, as in torch
    compare(
        lambda t: cr.nn.MultiLabelMarginLoss(reduction=reduction)(t, cr.tensor(y)),
        lambda t: torch.nn.MultiLabelMarginLoss(reduction=reduction)(t, torch.tensor(y)),
        [x],
        rng,
    )
    compare(
        lambda t: cr.nn.functional.multilabel_margin_loss(t, cr.tensor(y[0])),
        lambda t: torch.nn.functional.multilabel_margin_loss(t, torch.tensor(y[0])),
        [x[0]],
        rng,
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize(
    "log_input, full", [(True, False), (False, False), (True, True), (False, True)]
)
def test_poisson_nll_loss_matches_torch(log_input, full, reduction, dtype, rng):
    y = rng.poisson(3.0, (4, 5)).astype(dtype)
    x = rng.standard_normal((4, 5)).astype(dtype)
    x = x if log_input else np.abs(x) + 0.1
    compare(
        lambda t: cr.nn.PoissonNLLLoss(log_input, full, reduction=reduction)(t, cr.tensor(y)),
        lambda t: torch.nn.PoissonNLLLoss(log_input, full, reduction=reduction)(t, torch.tensor(y)),
        [x],
        rng,
    )


def test_legacy_size_average_and_reduce_map_as_torch(rng):
    x, y = rng.standard_normal(5), _signs(rng, 5, np.float64)
    with pytest.warns(UserWarning):
        ours = cr.nn.SoftMarginLoss(size_average=False)(cr.tensor(x), cr.tensor(y))
    with pytest.warns(UserWarning):
        ref = torch.nn.SoftMarginLoss(size_average=False)(torch.tensor(x), torch.tensor(y))
    np.testing.assert_allclose(ours.item(), ref.item(), rtol=1e-12)
    assert cr.nn.SoftMarginLoss().reduction == "mean"


@pytest.mark.parametrize(
    "make, args",
    [
        (lambda nn: nn.MarginRankingLoss(0.5, reduction="sum"), 3),
        (lambda nn: nn.TripletMarginLoss(swap=True), 3),
        (lambda nn: nn.MultiMarginLoss(2), 2),
        (lambda nn: nn.PoissonNLLLoss(full=True), 2),
    ],
)
def test_loss_modules_have_no_state(make, args):
    assert make(cr.nn).state_dict() == {} and not list(make(torch.nn).state_dict())


def test_class_weight_is_a_buffer_as_in_torch():
    w = np.ones(3, np.float32)
    ours = cr.nn.MultiMarginLoss(weight=cr.tensor(w))
    theirs = torch.nn.MultiMarginLoss(weight=torch.tensor(w))
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]


@pytest.mark.parametrize(
    "call, family",
    [
        (lambda m: m.nn.functional.triplet_margin_loss(*[m.ones(2, 3)] * 3, margin=0.0), ValueError),
        (lambda m: m.nn.functional.multi_margin_loss(m.ones(3, 4), m.tensor([0, 1, 5])), RuntimeError),
        (lambda m: m.nn.functional.multi_margin_loss(m.ones(3, 4), m.tensor([0, 1, 2]), p=3), ValueError),
        (lambda m: m.nn.functional.multilabel_margin_loss(m.ones(2, 3), m.tensor([[0, 5, -1]] * 2)), RuntimeError),
        (lambda m: m.nn.functional.cosine_embedding_loss(m.ones(3, 2), m.ones(3, 2), m.ones(3, 1)), RuntimeError),
        (lambda m: m.nn.functional.margin_ranking_loss(m.ones(3), m.ones(3), m.ones(3, 1)), RuntimeError),
        (lambda m: m.nn.functional.multi_margin_loss(m.ones(3, 4), m.tensor([0.0, 1.0, 2.0])), RuntimeError),
        (lambda m: m.nn.MarginRankingLoss(reduction="avg")(m.ones(2), m.ones(2), m.ones(2)), ValueError),
    ],
)  # fmt: skip
def test_errors_are_torchs_family_and_name_the_loss(call, family):
    with pytest.raises(family):
        call(torch)
    with pytest.raises(family, match="loss|Loss"):
        call(cr)
