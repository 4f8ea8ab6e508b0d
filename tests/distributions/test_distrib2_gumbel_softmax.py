"""F.gumbel_softmax: torch's signature and shapes, the Gumbel-max law of its argmax, the soft
sample's exact form given its noise, and the straight-through gradient of hard=True."""

import inspect
import warnings

import numpy as np
import pytest

import chainrule

F = chainrule.nn.functional


def test_signature_is_torchs():
    torch = pytest.importorskip("torch")
    ours = inspect.signature(F.gumbel_softmax).parameters
    theirs = inspect.signature(torch.nn.functional.gumbel_softmax).parameters
    assert list(ours) == list(theirs)
    assert [p.default for p in ours.values()] == [p.default for p in theirs.values()]


def test_argmax_follows_softmax_of_the_logits():
    """Gumbel-max: argmax(logits + g) ~ Categorical(softmax(logits)), at any tau."""
    chainrule.manual_seed(4)
    logits = chainrule.tensor([[1.0, 0.0, -1.0, 2.0]]).expand(20_000, 4)
    for tau in (0.3, 3.0):
        y = F.gumbel_softmax(logits, tau=tau)
        np.testing.assert_allclose(y.sum(-1).numpy(), 1.0, rtol=1e-5)
        freq = np.bincount(y.argmax(-1).numpy(), minlength=4) / 20_000
        # binomial standard error is at most 0.0035 at n = 20,000
        np.testing.assert_allclose(freq, logits[0].softmax(-1).numpy(), atol=0.02)


def test_soft_sample_is_softmax_of_logits_plus_gumbel_noise_over_tau():
    logits = chainrule.tensor([[0.5, -1.0, 2.0], [0.0, 0.0, 0.0]], dtype=chainrule.float64)
    chainrule.manual_seed(8)
    y = F.gumbel_softmax(logits, tau=0.5)
    chainrule.manual_seed(8)
    noise = -np.log(chainrule.random.default_generator().standard_exponential((2, 3)))
    scores = (logits.numpy() + noise) / 0.5
    expected = np.exp(scores - scores.max(-1, keepdims=True))
    np.testing.assert_allclose(y.numpy(), expected / expected.sum(-1, keepdims=True), rtol=1e-12)
    assert y.dtype == chainrule.float64


def test_hard_is_one_hot_forward_and_soft_backward():
    logits = chainrule.tensor([[0.5, -1.0, 2.0], [0.3, 0.2, 0.1]], requires_grad=True)
    weights = chainrule.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 4.0]])
    chainrule.manual_seed(12)
    hard = F.gumbel_softmax(logits, tau=0.7, hard=True)
    (hard * weights).sum().backward()
    grad_hard = logits.grad.numpy().copy()
    logits.grad = None
    chainrule.manual_seed(12)
    soft = F.gumbel_softmax(logits, tau=0.7)
    (soft * weights).sum().backward()
    np.testing.assert_array_equal(hard.detach().numpy().sum(-1), [1.0, 1.0])
    assert set(np.unique(hard.detach().numpy())) <= {0.0, 1.0}
    np.testing.assert_array_equal(
        hard.detach().numpy().argmax(-1), soft.detach().numpy().argmax(-1)
    )
    np.testing.assert_allclose(grad_hard, logits.grad.numpy(), rtol=1e-6, atol=1e-7)


def test_dim_picks_the_category_axis_and_eps_is_deprecated():
    y = F.gumbel_softmax(chainrule.zeros(4, 3, 5), hard=True, dim=1)
    assert tuple(y.shape) == (4, 3, 5)
    np.testing.assert_array_equal(y.sum(1).numpy(), np.ones((4, 5)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        F.gumbel_softmax(chainrule.zeros(2, 3), eps=1e-5)
    assert any("deprecated" in str(w.message) for w in caught)
    with pytest.raises(ValueError, match="gumbel_softmax: expected logits a Tensor"):
        F.gumbel_softmax([1.0, 2.0])
