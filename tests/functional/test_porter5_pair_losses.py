"""The metric-learning losses (margin ranking, hinge embedding, cosine embedding, triplet
margin), functional and module forms, against torch: values and gradients."""

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule.errors import ArgumentError, ShapeError


def _run(lib, name, arrays, kwargs, module):
    tensors = [lib.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    if module:
        fn = getattr(lib.nn, module)(**kwargs)
        out = fn(*tensors)
    else:
        out = getattr(lib.nn.functional, name)(*tensors, **kwargs)
    return out, tensors


CASES = [
    (
        "margin_ranking_loss",
        "MarginRankingLoss",
        lambda r: [r.standard_normal(6), r.standard_normal(6), np.array([1, -1, 1, 1, -1, -1.0])],
        {"margin": 0.3},
    ),
    (
        "hinge_embedding_loss",
        "HingeEmbeddingLoss",
        lambda r: [
            np.abs(r.standard_normal((4, 3))),
            np.array([[1, -1, 1], [-1, -1, 1], [1, 1, 1], [-1, 0, 2.0]]),
        ],
        {"margin": 1.5},
    ),
    (
        "cosine_embedding_loss",
        "CosineEmbeddingLoss",
        lambda r: [
            r.standard_normal((5, 4)),
            r.standard_normal((5, 4)),
            np.array([1, -1, 1, -1, -1.0]),
        ],
        {"margin": 0.1},
    ),
    (
        "cosine_embedding_loss",
        None,
        lambda r: [r.standard_normal(4), r.standard_normal(4), np.array(-1.0)],
        {"margin": -0.5},
    ),
    (
        "triplet_margin_loss",
        "TripletMarginLoss",
        lambda r: [r.standard_normal((5, 4)), r.standard_normal((5, 4)), r.standard_normal((5, 4))],
        {"margin": 2.0},
    ),
    (
        "triplet_margin_loss",
        "TripletMarginLoss",
        lambda r: [r.standard_normal((5, 4)), r.standard_normal((5, 4)), r.standard_normal((5, 4))],
        {"margin": 2.0, "p": 1, "swap": True},
    ),
    (
        "triplet_margin_loss",
        None,
        lambda r: [r.standard_normal(4), r.standard_normal(4), r.standard_normal(4)],
        {"eps": 1e-3, "p": 3},
    ),
]


@pytest.mark.parametrize(
    "case, use_module",
    [(c, m) for c in CASES for m in (False, True) if c[1] or not m],
    ids=lambda c: f"{c[0]}-{sorted(c[3].items())}" if isinstance(c, tuple) else str(c),
)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_pair_losses_match_torch(case, use_module, reduction, dtype, rng):
    name, module, make, kwargs = case
    arrays = [a.astype(dtype) for a in make(rng)]
    kwargs = dict(kwargs, reduction=reduction)
    ours, our_inputs = _run(cr, name, arrays, kwargs, module if use_module else None)
    theirs, their_inputs = _run(torch, name, arrays, kwargs, module if use_module else None)
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-12)
    assert ours.dtype == dtype and tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), **tol)
    upstream = rng.standard_normal(tuple(theirs.shape)).astype(dtype)
    ours.backward(cr.tensor(upstream))
    theirs.backward(torch.tensor(upstream))
    for a, b in zip(our_inputs, their_inputs):
        if b.grad is not None:
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **tol)


def test_pair_loss_errors():
    x = cr.ones(3, 4)
    with pytest.raises(ShapeError, match="cosine_embedding_loss: expected a 1-d target"):
        cr.nn.functional.cosine_embedding_loss(x, x, cr.ones(3, 1))
    with pytest.raises(ShapeError, match="triplet_margin_loss"):
        cr.nn.functional.triplet_margin_loss(x, x, cr.ones(4))
    with pytest.raises(ShapeError, match="margin_ranking_loss"):
        cr.nn.functional.margin_ranking_loss(cr.ones(3), cr.ones(3), cr.ones(3, 1))
    with pytest.raises(ArgumentError, match="reduction"):
        cr.nn.TripletMarginLoss(reduction="avg")
    for ours, theirs in [
        (
            lambda: cr.nn.functional.cosine_embedding_loss(x, x, cr.ones(3, 1)),
            lambda: torch.nn.functional.cosine_embedding_loss(
                torch.ones(3, 4), torch.ones(3, 4), torch.ones(3, 1)
            ),
        ),
    ]:
        with pytest.raises(RuntimeError):
            theirs()
        with pytest.raises(RuntimeError):
            ours()
