"""torchapi2: torch-level functional forms with ATen's signatures (torch.batch_norm,
torch.embedding, int reductions, the RNN cells), each against torch 2.13."""

import numpy as np
import pytest
import torch

import chainrule as cr
from tests.torch_oracle import compare


def _both(arrays, grad=None):
    grad = [a.dtype.kind == "f" for a in arrays] if grad is None else grad
    ours = [cr.tensor(a, requires_grad=g) for a, g in zip(arrays, grad)]
    theirs = [torch.tensor(a, requires_grad=g) for a, g in zip(arrays, grad)]
    return ours, theirs


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "name, flag", [("batch_norm", True), ("batch_norm", False), ("instance_norm", True)]
)
def test_torch_batch_norm_and_instance_norm_take_atens_order(name, flag, dtype, rng):
    x = rng.standard_normal((4, 3, 5)).astype(dtype)
    weight, bias = rng.random(3).astype(dtype) + 0.5, rng.standard_normal(3).astype(dtype)
    stats = [rng.standard_normal(3).astype(dtype), rng.random(3).astype(dtype) + 0.5]
    ours_stats = [cr.tensor(s.copy()) for s in stats]
    theirs_stats = [torch.tensor(s.copy()) for s in stats]
    compare(
        lambda x, w, b: getattr(cr, name)(x, w, b, *ours_stats, flag, 0.1, 1e-5, False),
        lambda x, w, b: getattr(torch, name)(x, w, b, *theirs_stats, flag, 0.1, 1e-5, False),
        [x, weight, bias],
        rng,
    )
    for a, b in zip(ours_stats, theirs_stats):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5)


def test_torch_layer_group_rms_norm_and_native_layer_norm(rng):
    x, weight, bias = rng.standard_normal((2, 4, 3)), rng.random(3) + 0.5, rng.standard_normal(3)
    compare(lambda x, w, b: cr.layer_norm(x, [3], w, b, 1e-5, True),
            lambda x, w, b: torch.layer_norm(x, [3], w, b, 1e-5, True), [x, weight, bias], rng)  # fmt: skip
    g_w, g_b = rng.random(4) + 0.5, rng.standard_normal(4)
    compare(lambda x, w, b: cr.group_norm(x, 2, w, b),
            lambda x, w, b: torch.group_norm(x, 2, w, b), [x, g_w, g_b], rng)  # fmt: skip
    compare(
        lambda x, w: cr.rms_norm(x, [3], w),
        lambda x, w: torch.rms_norm(x, [3], w),
        [x, weight],
        rng,
    )
    ours = cr.native_layer_norm(cr.tensor(x), [4, 3], None, None, 1e-5)
    theirs = torch.native_layer_norm(torch.tensor(x), [4, 3], None, None, 1e-5)
    for a, b in zip(ours, theirs):
        assert a.shape == tuple(b.shape)
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("padding_idx", [-1, 0, 2])
def test_torch_embedding_takes_the_weight_first(padding_idx, rng):
    weight, indices = rng.standard_normal((5, 3)), np.array([[0, 2, 2], [4, 0, 1]])
    compare(
        lambda w, i: cr.embedding(w, i, padding_idx),
        lambda w, i: torch.embedding(w, i, padding_idx),
        [weight, indices],
        rng,
    )


LOSSES = {
    "kl_div": (lambda r: [np.log(r.random((3, 4))), r.random((3, 4))], {}),
    "hinge_embedding_loss": (
        lambda r: [r.standard_normal((3, 4)), np.sign(r.standard_normal((3, 4)))],
        {},
    ),
    "margin_ranking_loss": (
        lambda r: [r.standard_normal(5), r.standard_normal(5), np.sign(r.standard_normal(5))],
        {"margin": 0.3},
    ),
    "cosine_embedding_loss": (
        lambda r: [
            r.standard_normal((4, 3)),
            r.standard_normal((4, 3)),
            np.array([1.0, -1, 1, -1]),
        ],
        {"margin": 0.1},
    ),
    "binary_cross_entropy_with_logits": (
        lambda r: [r.standard_normal((3, 4)), r.random((3, 4))],
        {},
    ),
    "triplet_margin_loss": (
        lambda r: [r.standard_normal((4, 3)) for _ in range(3)],
        {"swap": True},
    ),
}


@pytest.mark.parametrize("reduction", [0, 1, 2])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_torch_level_losses_take_an_int_reduction(name, reduction, rng):
    make, kwargs = LOSSES[name]
    arrays = make(rng)
    grad = [True] + [True] * (len(arrays) - 2) + [False]
    if name == "triplet_margin_loss":
        grad = [True, True, True]
    compare(
        lambda *t: getattr(cr, name)(*t, reduction=reduction, **kwargs),
        lambda *t: getattr(torch, name)(*t, reduction=reduction, **kwargs),
        arrays,
        rng,
        grad_inputs=grad,
    )


def test_poisson_nll_loss_and_ctc_loss_at_top_level(rng):
    x, y = rng.standard_normal((3, 4)), rng.poisson(2.0, (3, 4)).astype(np.float64)
    compare(lambda x, y: cr.poisson_nll_loss(x, y, True, True, 1e-8, 2),
            lambda x, y: torch.poisson_nll_loss(x, y, True, True, 1e-8, 2), [x, y], rng, [True, False])  # fmt: skip
    logits = rng.standard_normal((6, 2, 4))
    targets, lengths, target_lengths = np.array([[1, 2], [3, 3]]), [6, 5], [2, 2]
    compare(
        lambda p: cr.ctc_loss(p.log_softmax(2), cr.tensor(targets), lengths, target_lengths, 0, 1),
        lambda p: torch.ctc_loss(
            p.log_softmax(2), torch.tensor(targets), lengths, target_lengths, 0, 1
        ),
        [logits],
        rng,
        tolerance=dict(rtol=1e-8, atol=1e-10),
    )


def test_int_reduction_is_checked():
    with pytest.raises(
        cr.ArgumentError,
        match=r"kl_div: expected reduction 0 \(none\), 1 \(mean\) or 2 \(sum\), got 'mean'",
    ):
        cr.kl_div(cr.zeros(2), cr.ones(2), "mean")


def test_constant_pad_nd_convolution_and_conv_tbc(rng):
    x = rng.standard_normal((2, 3, 5))
    compare(
        lambda x: cr.constant_pad_nd(x, [1, 2], 0.5),
        lambda x: torch.constant_pad_nd(x, [1, 2], 0.5),
        [x],
        rng,
    )
    w, b = rng.standard_normal((4, 3, 2)), rng.standard_normal(4)
    compare(
        lambda x, w, b: cr.convolution(x, w, b, [2], [1], [1], False, [0], 1),
        lambda x, w, b: torch.convolution(x, w, b, [2], [1], [1], False, [0], 1),
        [x, w, b],
        rng,
    )
    wt = rng.standard_normal((3, 2, 3))
    compare(
        lambda x, w, b: cr.convolution(x, w, b, [2], [1], [1], True, [1], 1),
        lambda x, w, b: torch.convolution(x, w, b, [2], [1], [1], True, [1], 1),
        [x, wt, b[:2]],
        rng,
    )
    tbc, wtbc = rng.standard_normal((7, 2, 3)), rng.standard_normal((3, 3, 4))
    compare(
        lambda x, w, b: cr.conv_tbc(x, w, b, 1),
        lambda x, w, b: torch.conv_tbc(x, w, b, 1),
        [tbc, wtbc, b],
        rng,
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rnn_cells_at_top_level(dtype, rng):
    n, i, h = 3, 4, 5
    x, hx = rng.standard_normal((n, i)).astype(dtype), rng.standard_normal((n, h)).astype(dtype)
    for name, gates in (("gru_cell", 3), ("rnn_tanh_cell", 1), ("rnn_relu_cell", 1)):
        w_ih = rng.standard_normal((gates * h, i)).astype(dtype)
        w_hh = rng.standard_normal((gates * h, h)).astype(dtype)
        b_ih, b_hh = (
            rng.standard_normal(gates * h).astype(dtype),
            rng.standard_normal(gates * h).astype(dtype),
        )
        compare(getattr(cr, name), getattr(torch, name), [x, hx, w_ih, w_hh, b_ih, b_hh], rng)
    c = rng.standard_normal((n, h)).astype(dtype)
    w_ih, w_hh = (
        rng.standard_normal((4 * h, i)).astype(dtype),
        rng.standard_normal((4 * h, h)).astype(dtype),
    )
    (xo, ho, co, wio, who), (xt, ht, ct, wit, wht) = _both([x, hx, c, w_ih, w_hh])
    ours, theirs = cr.lstm_cell(xo, (ho, co), wio, who), torch.lstm_cell(xt, (ht, ct), wit, wht)
    tol = dict(rtol=2e-5, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-10)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), **tol)
    (ours[0].sum() + ours[1].square().sum()).backward()
    (theirs[0].sum() + theirs[1].square().sum()).backward()
    for a, b in zip((xo, ho, co, wio, who), (xt, ht, ct, wit, wht)):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **tol)
