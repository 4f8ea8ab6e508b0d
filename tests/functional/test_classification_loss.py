"""NLL and cross-entropy as two Functions, each with one job, both checked against torch."""

import inspect

import numpy as np
import pytest

import chainrule as cr
import chainrule.functional as F
from chainrule.functional import activation, binary_loss, classification_loss

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle

CASES = {
    "labels": dict(),
    "weight": dict(weight=np.array([1.0, 2.0, 0.5])),
    "ignore": dict(ignore_index=1),
}


def _targets(rng):
    return rng.integers(0, 3, size=6)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_nll_loss_matches_torch_in_value_and_gradient(case, reduction, rng):
    log_p = np.log(rng.dirichlet(np.ones(3), size=6))
    target = _targets(rng)
    options = CASES[case]
    ours = cr.tensor(log_p, requires_grad=True)
    theirs = torch.tensor(log_p, requires_grad=True)
    loss = F.nll_loss(ours, target, reduction=reduction, **options)
    torch_options = {
        k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in options.items()
    }
    ref = torch.nn.functional.nll_loss(
        theirs, torch.tensor(target), reduction=reduction, **torch_options
    )
    np.testing.assert_allclose(loss.detach().numpy(), ref.detach().numpy(), rtol=1e-12, atol=1e-12)
    upstream = rng.standard_normal(loss.shape)
    loss.backward(upstream)
    ref.backward(torch.tensor(upstream))
    np.testing.assert_allclose(np.asarray(ours.grad), theirs.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_is_log_softmax_then_nll_to_the_last_bit_in_value(dtype, rng):
    logits = rng.standard_normal((5, 4)).astype(dtype)
    target = rng.integers(0, 4, size=5)
    fused = F.cross_entropy(cr.tensor(logits), target)
    split = F.nll_loss(F.log_softmax(cr.tensor(logits), dim=1), target)
    assert fused.dtype == dtype and fused.numpy().tobytes() == split.numpy().tobytes()


def test_the_two_functions_are_distinct_and_have_one_input_each():
    nll = inspect.signature(F.NLLLoss.forward).parameters
    ce = inspect.signature(F.CrossEntropyLoss.forward).parameters
    assert F.NLLLoss is not F.CrossEntropyLoss
    assert "from_logits" not in nll and "from_logits" not in ce
    assert list(nll)[:3] == ["ctx", "log_p", "target"] and list(ce)[:3] == ["ctx", "x", "target"]


def test_the_fused_losses_reuse_the_activation_formulas():
    # each formula once: the losses call the activation module's helpers, never rewrite them
    source = inspect.getsource(classification_loss) + inspect.getsource(binary_loss)
    for helper in ("sigmoid_array(", "log_softmax_array("):
        assert helper in source
    # sigmoid_array computes 1 / (1 + exp(-x)) in place, its last pass the division
    assert "np.divide(1.0, " not in source and "np.exp(shifted)" not in source
    activations = inspect.getsource(activation)
    assert activations.count("np.divide(1.0, ") == 1
    assert activations.count("np.log(np.add.reduce(np.exp(shifted)") == 1


@pytest.mark.parametrize(
    "x", [np.array([-800.0, -1.0, 0.0, 2.0, 800.0]), np.linspace(-30, 30, 7, dtype=np.float32)]
)
def test_the_shared_sigmoid_matches_torch_and_never_warns(x):
    out = activation.sigmoid_array(x)
    assert out.dtype == x.dtype
    np.testing.assert_allclose(out, torch.sigmoid(torch.tensor(x)).numpy(), rtol=1e-6, atol=0)
