"""SiLU, Mish, Hardtanh, ReLU6, LogSigmoid, Softsign, SmoothL1Loss, KLDivLoss,
CosineSimilarity, PairwiseDistance and F.normalize against torch: values and gradients."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "make",
    [
        lambda nn: nn.SiLU(),
        lambda nn: nn.Mish(),
        lambda nn: nn.Hardtanh(-0.5, 0.8),
        lambda nn: nn.ReLU6(),
        lambda nn: nn.LogSigmoid(),
        lambda nn: nn.Softsign(),
    ],
)
def test_activation_modules_match_torch(make, dtype, rng):
    x = (rng.standard_normal((4, 5)) * 4).astype(dtype)
    x[0, :3] = [-60.0, 60.0, 7.0]  # tails: logsigmoid stays finite, relu6 saturates
    compare(make(cr.nn), make(torch.nn), [x], rng)


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, a, b: m.nn.SmoothL1Loss()(a, b),
        lambda m, a, b: m.nn.SmoothL1Loss(reduction="sum", beta=0.3)(a, b),
        lambda m, a, b: m.nn.functional.smooth_l1_loss(a, b, beta=0.0),
        lambda m, a, b: m.nn.KLDivLoss(reduction="batchmean")(m.log_softmax(a, 1), m.softmax(b, 1)),
        lambda m, a, b: m.nn.functional.kl_div(a, b.abs(), reduction="none"),
        lambda m, a, b: m.nn.functional.kl_div(
            a, m.log_softmax(b, 1), reduction="sum", log_target=True
        ),
        lambda m, a, b: m.nn.CosineSimilarity(dim=1)(a, b),
        lambda m, a, b: m.nn.functional.cosine_similarity(a, b, dim=0),
        lambda m, a, b: m.nn.PairwiseDistance()(a, b),
        lambda m, a, b: m.nn.functional.normalize(a, dim=1) + b,
        lambda m, a, b: m.nn.functional.normalize(a, p=1.0, dim=0) * b,
    ],
)
def test_losses_and_similarities_match_torch(fn, rng):
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    compare(
        lambda x, y: fn(cr, x, y),
        lambda x, y: fn(torch, x, y),
        [a, b],
        rng,
        grad_inputs=[True, False],
    )


def test_kl_div_with_zero_targets_and_zero_norms_stay_finite():
    target = np.array([[0.0, 0.5, 0.5]])
    log_probs = np.log(np.array([[0.2, 0.3, 0.5]]))
    ours = cr.nn.functional.kl_div(cr.tensor(log_probs), cr.tensor(target), reduction="sum")
    theirs = torch.nn.functional.kl_div(
        torch.tensor(log_probs), torch.tensor(target), reduction="sum"
    )
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-12)
    zero = cr.zeros(2, 3, requires_grad=True)
    out = cr.nn.functional.cosine_similarity(zero, cr.ones(2, 3))
    out.sum().backward()
    assert np.isfinite(out.detach().numpy()).all() and np.isfinite(zero.grad.numpy()).all()


def test_bad_reduction_and_beta_are_refused():
    with pytest.raises(ValueError, match="KLDivLoss"):
        cr.nn.KLDivLoss(reduction="average")
    with pytest.raises(ValueError, match="smooth_l1_loss: expected beta >= 0"):
        cr.nn.functional.smooth_l1_loss(cr.zeros(2), cr.zeros(2), beta=-1.0)
