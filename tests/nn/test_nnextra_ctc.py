"""F.ctc_loss and nn.CTCLoss against torch: losses and gradients for padded and concatenated
targets, every reduction, zero_infinity, repeated labels, empty targets and unbatched input."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from chainrule.gradcheck import gradcheck  # noqa: E402
from tests.torch_oracle import TOLERANCE  # noqa: E402

pytestmark = pytest.mark.oracle

T, N, C, S = 12, 4, 5, 4


def _case(rng, dtype, *, infeasible=False, empty=False, repeats=False):
    logits = rng.standard_normal((T, N, C))
    log_probs = torch.log_softmax(torch.tensor(logits), 2).numpy().astype(dtype)
    target_lengths = rng.integers(1, S + 1, N)
    input_lengths = rng.integers(T - 5, T + 1, N)
    targets = rng.integers(1, C, (N, S))
    if infeasible:  # more labels than time steps: no alignment, an infinite loss
        target_lengths[0], input_lengths[0] = S, 2
    if empty:
        target_lengths[1] = 0
    if repeats:  # a repeated label needs a blank between its copies
        targets[:] = 2
    return log_probs, targets, input_lengths, target_lengths


def _run(lib, log_probs, targets, input_lengths, target_lengths, upstream, **kwargs):
    lp = lib.tensor(log_probs, requires_grad=True)
    loss = lib.nn.functional.ctc_loss(
        lp, lib.tensor(targets), input_lengths, target_lengths, **kwargs
    )
    loss.backward(lib.tensor(upstream))
    return loss.detach().numpy(), lp.grad.numpy()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("layout", ["padded", "concatenated"])
@pytest.mark.parametrize("variant", ["plain", "empty", "repeats", "infeasible"])
def test_ctc_loss_matches_torch(variant, layout, reduction, dtype, rng):
    log_probs, targets, input_lengths, target_lengths = _case(
        rng, dtype, infeasible=variant == "infeasible", empty=variant == "empty",
        repeats=variant == "repeats",
    )  # fmt: skip
    if layout == "concatenated":
        targets = np.concatenate([targets[i, : target_lengths[i]] for i in range(N)])
    zero_infinity = variant == "infeasible"
    upstream = rng.standard_normal(N if reduction == "none" else ()).astype(dtype)
    kwargs = dict(reduction=reduction, zero_infinity=zero_infinity)
    ours = _run(
        cr, log_probs, targets, list(input_lengths), list(target_lengths), upstream, **kwargs
    )
    theirs = _run(
        torch, log_probs, targets, torch.tensor(input_lengths), torch.tensor(target_lengths),
        upstream, **kwargs,
    )  # fmt: skip
    tol = TOLERANCE[dtype] if dtype == np.float64 else dict(rtol=1e-4, atol=1e-5)
    for a, b in zip(ours, theirs):
        assert a.dtype == b.dtype
        np.testing.assert_allclose(a, b, **tol)


def test_infinite_loss_without_zero_infinity_is_inf_as_torch(rng):
    log_probs, targets, input_lengths, target_lengths = _case(rng, np.float64, infeasible=True)
    ours = cr.nn.functional.ctc_loss(
        cr.tensor(log_probs), cr.tensor(targets), input_lengths, target_lengths, reduction="none"
    )
    theirs = torch.nn.functional.ctc_loss(
        torch.tensor(log_probs), torch.tensor(targets), torch.tensor(input_lengths),
        torch.tensor(target_lengths), reduction="none",
    )  # fmt: skip
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), **TOLERANCE[np.float64])
    assert np.isinf(ours.numpy()[0])


def test_unbatched_ctc_and_the_layer_match_torch(rng):
    log_probs = torch.log_softmax(torch.tensor(rng.standard_normal((7, 4))), 1).numpy()
    targets = np.array([1, 3, 3])
    ours = cr.nn.CTCLoss(blank=0, reduction="none")(cr.tensor(log_probs), cr.tensor(targets), 7, 3)
    theirs = torch.nn.CTCLoss(blank=0, reduction="none")(
        torch.tensor(log_probs), torch.tensor(targets), torch.tensor(7), torch.tensor(3)
    )
    assert ours.shape == tuple(theirs.shape) == ()
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), **TOLERANCE[np.float64])
    layer = cr.nn.CTCLoss(blank=2, zero_infinity=True)
    assert (layer.blank, layer.reduction, layer.zero_infinity) == (2, "mean", True)


def test_ctc_with_a_nonzero_blank_matches_torch(rng):
    log_probs, targets, input_lengths, target_lengths = _case(rng, np.float64)
    targets = np.where(targets == 4, 0, targets)  # blank=4: labels from 0 to 3
    upstream = rng.standard_normal(())
    ours = _run(cr, log_probs, targets, input_lengths, target_lengths, upstream, blank=4)
    theirs = _run(
        torch, log_probs, targets, torch.tensor(input_lengths), torch.tensor(target_lengths),
        upstream, blank=4,
    )  # fmt: skip
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, **TOLERANCE[np.float64])


def test_ctc_through_log_softmax_gradchecks(rng):
    logits = cr.tensor(rng.standard_normal((6, 2, 4)), requires_grad=True)
    targets = cr.tensor(np.array([[1, 2, 2], [3, 1, 0]]))

    def loss(z):
        return cr.nn.functional.ctc_loss(
            z.log_softmax(2), targets, [6, 5], [3, 2], reduction="none"
        )

    assert gradcheck(loss, logits)


def test_ctc_errors():
    lp = cr.zeros(5, 2, 3)
    ctc = cr.nn.functional.ctc_loss
    with pytest.raises(ValueError, match=r"ctc_loss: expected input_lengths in \[0, 5\]"):
        ctc(lp, cr.tensor([[1], [2]]), [6, 5], [1, 1])
    with pytest.raises(ValueError, match=r"expected blank in \[0, 2\]"):
        ctc(lp, cr.tensor([[1], [2]]), [5, 5], [1, 1], blank=3)
    with pytest.raises(ValueError, match="target labels in"):
        ctc(lp, cr.tensor([[0], [2]]), [5, 5], [1, 1])
    with pytest.raises(RuntimeError, match=r"expected targets of shape \(2, >= 3\)"):
        ctc(lp, cr.tensor([[1], [2]]), [5, 5], [3, 1])
    with pytest.raises(RuntimeError, match="one entry per sample"):
        ctc(lp, cr.tensor([[1], [2]]), [5], [1, 1])
    with pytest.raises(TypeError, match="integer targets"):
        ctc(lp, cr.tensor([[1.0], [2.0]]), [5, 5], [1, 1])
    with pytest.raises(ValueError, match="reduction"):
        ctc(lp, cr.tensor([[1], [2]]), [5, 5], [1, 1], reduction="avg")
