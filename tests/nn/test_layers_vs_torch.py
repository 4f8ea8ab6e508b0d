"""Layers, activations and losses against torch 2.13: same weights, same inputs."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr
import chainrule.functional as F
from chainrule import nn
from tests.torch_oracle import TOLERANCE, compare

pytestmark = [
    pytest.mark.oracle,
    pytest.mark.usefixtures("float64_default"),
]  # these tests check float64 numerics

DTYPES = [np.float32, np.float64]


def _load(ours, theirs):
    with torch.no_grad():
        for (name, p), (tname, tp) in zip(ours.named_parameters(), theirs.named_parameters()):
            assert name == tname
            tp.copy_(torch.tensor(p.detach().numpy()))


def _run_module(ours, theirs, x, rng, target=None):
    dtype = x.dtype.type
    tol = TOLERANCE[dtype]
    xs, xt = cr.tensor(x.copy(), requires_grad=True), torch.tensor(x.copy(), requires_grad=True)
    out, ref = ours(xs), theirs(xt)
    np.testing.assert_allclose(out.data, ref.detach().numpy(), **tol)
    assert out.dtype == x.dtype
    upstream = rng.standard_normal(out.shape).astype(dtype)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    np.testing.assert_allclose(xs.grad, xt.grad.numpy(), **tol)
    for (name, p), tp in zip(ours.named_parameters(), theirs.parameters()):
        assert p.grad.dtype == x.dtype, name
        np.testing.assert_allclose(p.grad, tp.grad.numpy(), **tol, err_msg=name)


@pytest.mark.parametrize("dtype", DTYPES)
def test_linear_matches_torch(dtype, rng):
    ours = nn.Linear(5, 3, dtype=dtype, generator=0)
    theirs = torch.nn.Linear(5, 3, dtype=getattr(torch, np.dtype(dtype).name))
    _load(ours, theirs)
    _run_module(ours, theirs, rng.standard_normal((7, 5)).astype(dtype), rng)
    _run_module(ours, theirs, rng.standard_normal((2, 4, 5)).astype(dtype), rng)


def test_linear_default_init_follows_torch_bounds():
    layer = nn.Linear(400, 300, generator=0)
    bound = 1 / math.sqrt(400)
    assert (
        np.abs(layer.weight.data).max() <= bound and np.abs(layer.weight.data).max() > 0.95 * bound
    )
    assert np.abs(layer.bias.data).max() <= bound
    assert abs(layer.weight.data.std() - bound / math.sqrt(3)) < 0.01 * bound


@pytest.mark.parametrize("dtype", DTYPES)
def test_batchnorm_train_and_eval_match_torch(dtype, rng):
    ours = nn.BatchNorm1d(4, dtype=dtype)
    theirs = torch.nn.BatchNorm1d(4, dtype=getattr(torch, np.dtype(dtype).name))
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(rng.standard_normal(4)))
        theirs.bias.copy_(torch.tensor(rng.standard_normal(4)))
    ours.weight.data[...] = theirs.weight.detach().numpy()
    ours.bias.data[...] = theirs.bias.detach().numpy()
    for _ in range(3):
        _run_module(ours, theirs, (3 * rng.standard_normal((6, 4)) + 1).astype(dtype), rng)
        ours.zero_grad()
        theirs.zero_grad()
    tol = TOLERANCE[dtype]
    np.testing.assert_allclose(ours.running_mean, theirs.running_mean.numpy(), **tol)
    np.testing.assert_allclose(ours.running_var, theirs.running_var.numpy(), **tol)
    ours.eval()
    theirs.eval()
    _run_module(ours, theirs, rng.standard_normal((5, 4)).astype(dtype), rng)
    ours.train()
    theirs.train()
    _run_module(ours, theirs, rng.standard_normal((5, 4, 3)).astype(dtype), rng)


@pytest.mark.parametrize("dtype", DTYPES)
def test_layernorm_matches_torch(dtype, rng):
    ours = nn.LayerNorm(6, dtype=dtype)
    theirs = torch.nn.LayerNorm(6, dtype=getattr(torch, np.dtype(dtype).name))
    with torch.no_grad():
        theirs.weight.copy_(torch.tensor(rng.standard_normal(6)))
        theirs.bias.copy_(torch.tensor(rng.standard_normal(6)))
    _load(ours, theirs)
    _run_module(ours, theirs, rng.standard_normal((4, 6)).astype(dtype), rng)
    _run_module(ours, theirs, rng.standard_normal((2, 3, 6)).astype(dtype), rng)


def test_embedding_matches_torch_with_repeats_and_padding(rng):
    ours = nn.Embedding(5, 3, padding_idx=0, generator=0)
    theirs = torch.nn.Embedding(5, 3, padding_idx=0, dtype=torch.float64)
    _load(ours, theirs)
    idx = np.array([[1, 2, 2], [0, 4, 1]])
    out, ref = ours(idx), theirs(torch.tensor(idx))
    np.testing.assert_allclose(out.data, ref.detach().numpy())
    g = rng.standard_normal(out.shape)
    out.backward(g)
    ref.backward(torch.tensor(g))
    np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy())


def test_dropout_is_seeded_scaled_and_off_in_eval():
    x = cr.ones(1000, 10)
    a = nn.Dropout(0.3, generator=5)(x).numpy()
    b = nn.Dropout(0.3, generator=5)(x).numpy()
    np.testing.assert_array_equal(a, b)
    assert set(np.unique(a)) == {0.0, 1 / 0.7}
    assert abs((a == 0).mean() - 0.3) < 0.01
    layer = nn.Dropout(0.3).eval()
    assert layer(x) is x


def test_flatten_and_identity():
    x = cr.randn(2, 3, 4, generator=0)
    assert nn.Flatten()(x).shape == (2, 12)
    assert nn.Identity()(x) is x


ACTIVATIONS = [
    (nn.Sigmoid(), torch.nn.Sigmoid()),
    (nn.Tanh(), torch.nn.Tanh()),
    (nn.ReLU(), torch.nn.ReLU()),
    (nn.LeakyReLU(0.2), torch.nn.LeakyReLU(0.2)),
    (nn.ELU(0.7), torch.nn.ELU(0.7)),
    (nn.GELU(), torch.nn.GELU()),
    (nn.GELU("tanh"), torch.nn.GELU("tanh")),
    (nn.Softplus(), torch.nn.Softplus()),
    (nn.Softplus(beta=2.0, threshold=3.0), torch.nn.Softplus(beta=2.0, threshold=3.0)),
    (nn.Softmax(dim=1), torch.nn.Softmax(dim=1)),
    (nn.LogSoftmax(dim=-1), torch.nn.LogSoftmax(dim=-1)),
    (nn.Softmax(dim=0), torch.nn.Softmax(dim=0)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("pair", ACTIVATIONS, ids=lambda p: repr(p[0]))
def test_activation_matches_torch(pair, dtype, rng):
    ours, theirs = pair
    x = (3 * rng.standard_normal((5, 4))).astype(dtype)
    compare(ours, theirs, [x], rng)


def _loss_case(name, reduction, rng, dtype):
    n, c = 6, 4
    logits = (2 * rng.standard_normal((n, c))).astype(dtype)
    labels = rng.integers(0, c, n)
    pred = rng.standard_normal((n, 1)).astype(dtype)
    target = rng.standard_normal((n, 1)).astype(dtype)
    prob = (1 / (1 + np.exp(-pred))).astype(dtype)
    binary = rng.integers(0, 2, (n, 1)).astype(dtype)
    weights = np.abs(rng.standard_normal(c)).astype(dtype) + 0.1
    soft = rng.dirichlet(np.ones(c), n).astype(dtype)
    t = torch.tensor
    cases = {
        "mse": (
            nn.MSELoss(reduction=reduction),
            torch.nn.MSELoss(reduction=reduction),
            pred,
            target,
        ),
        "l1": (nn.L1Loss(reduction=reduction), torch.nn.L1Loss(reduction=reduction), pred, target),
        "huber": (
            nn.HuberLoss(reduction, delta=0.5),
            torch.nn.HuberLoss(reduction=reduction, delta=0.5),
            pred,
            target,
        ),
        "bce": (
            nn.BCELoss(reduction=reduction),
            torch.nn.BCELoss(reduction=reduction),
            prob,
            binary,
        ),
        "bce_weight": (
            nn.BCELoss(weight=np.full((n, 1), 0.5, dtype)),
            torch.nn.BCELoss(weight=t(np.full((n, 1), 0.5, dtype))),
            prob,
            binary,
        ),
        "bce_logits": (
            nn.BCEWithLogitsLoss(reduction=reduction),
            torch.nn.BCEWithLogitsLoss(reduction=reduction),
            pred,
            binary,
        ),
        "bce_logits_pos": (
            nn.BCEWithLogitsLoss(pos_weight=np.array([3.0], dtype)),
            torch.nn.BCEWithLogitsLoss(pos_weight=t(np.array([3.0], dtype))),
            pred,
            binary,
        ),
        "nll": (
            nn.NLLLoss(reduction=reduction),
            torch.nn.NLLLoss(reduction=reduction),
            logits,
            labels,
        ),
        "nll_weight": (
            nn.NLLLoss(weight=weights, reduction=reduction),
            torch.nn.NLLLoss(weight=t(weights), reduction=reduction),
            logits,
            labels,
        ),
        "ce": (
            nn.CrossEntropyLoss(reduction=reduction),
            torch.nn.CrossEntropyLoss(reduction=reduction),
            logits,
            labels,
        ),
        "ce_weight_smooth": (
            nn.CrossEntropyLoss(weight=weights, reduction=reduction, label_smoothing=0.2),
            torch.nn.CrossEntropyLoss(weight=t(weights), reduction=reduction, label_smoothing=0.2),
            logits,
            labels,
        ),
        "ce_ignore": (
            nn.CrossEntropyLoss(ignore_index=1, reduction=reduction),
            torch.nn.CrossEntropyLoss(ignore_index=1, reduction=reduction),
            logits,
            labels,
        ),
        "ce_soft": (
            nn.CrossEntropyLoss(reduction=reduction, label_smoothing=0.1),
            torch.nn.CrossEntropyLoss(reduction=reduction, label_smoothing=0.1),
            logits,
            soft,
        ),
    }
    return cases[name]


LOSSES = [
    "mse",
    "l1",
    "huber",
    "bce",
    "bce_weight",
    "bce_logits",
    "bce_logits_pos",
    "nll",
    "nll_weight",
    "ce",
    "ce_weight_smooth",
    "ce_ignore",
    "ce_soft",
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", LOSSES)
def test_loss_matches_torch(name, reduction, dtype, rng):
    ours, theirs, x, target = _loss_case(name, reduction, rng, dtype)
    compare(lambda a: ours(a, target), lambda a: theirs(a, torch.tensor(target)), [x], rng)


@pytest.mark.parametrize("dtype", DTYPES)
def test_logit_losses_stay_finite_at_plus_minus_1e4(dtype, rng):
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 5.0]], dtype=dtype)
    labels = np.array([1, 0])
    out = compare(
        lambda a: F.cross_entropy(a, labels),
        lambda a: torch.nn.functional.cross_entropy(a, torch.tensor(labels)),
        [logits],
        rng,
    )
    assert np.isfinite(out.data)
    x = np.array([[1e4], [-1e4], [3.0]], dtype=dtype)
    t = np.array([[0.0], [1.0], [1.0]], dtype=dtype)
    out = compare(
        lambda a: F.binary_cross_entropy_with_logits(a, t),
        lambda a: torch.nn.functional.binary_cross_entropy_with_logits(a, torch.tensor(t)),
        [x],
        rng,
    )
    assert np.isfinite(out.data)


def test_bce_is_finite_on_outputs_of_exactly_zero_and_one(rng):
    p = np.array([[0.0], [1.0], [0.5]])
    t = np.array([[1.0], [0.0], [1.0]])
    out = compare(
        lambda a: F.binary_cross_entropy(a, t),
        lambda a: torch.nn.functional.binary_cross_entropy(a, torch.tensor(t)),
        [p],
        rng,
        tolerance=dict(rtol=1e-8, atol=0),
    )  # 1/1e-12 amplifies rounding-order differences
    assert np.isfinite(out.data)


def test_log_softmax_beats_softmax_then_log_at_extreme_logits():
    """The notebook's exercise: softmax underflows to 0, so log gives -inf and NaN gradients;
    log-softmax subtracts the maximum and takes the log of a sum that is at least 1."""
    logits = cr.tensor([[0.0, 800.0, -800.0]], requires_grad=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        naive = F.log(F.softmax(logits, dim=1))
    assert np.isneginf(naive.data).any()
    stable = F.log_softmax(logits, dim=1)
    assert np.isfinite(stable.data).all()
    np.testing.assert_allclose(stable.data, [[-800.0, 0.0, -1600.0]])
    loss = F.nll_loss(stable, np.array([0]))
    loss.backward()
    assert np.isfinite(logits.grad).all()
    np.testing.assert_allclose(logits.grad, [[-1.0, 1.0, 0.0]], atol=1e-12)


@pytest.mark.parametrize(
    "fill", ["xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_"]
)
def test_init_is_seeded_and_scaled(fill):
    w1 = nn.Parameter(np.zeros((200, 300)))
    w2 = nn.Parameter(np.zeros((200, 300)))
    getattr(nn.init, fill)(w1, generator=3)
    getattr(nn.init, fill)(w2, generator=3)
    np.testing.assert_array_equal(w1.data, w2.data)
    expected_std = {
        "xavier_uniform_": math.sqrt(2 / 500),
        "xavier_normal_": math.sqrt(2 / 500),
        "kaiming_uniform_": math.sqrt(2 / (1 + 0.01**2)) / math.sqrt(300),
        "kaiming_normal_": math.sqrt(2 / (1 + 0.01**2)) / math.sqrt(300),
    }[fill]
    assert abs(w1.data.std() - expected_std) < 0.03 * expected_std
    assert np.allclose(nn.init.ones_(w1).data, 1) and np.allclose(
        nn.init.constant_(w1, 0.3).data, 0.3
    )
    assert nn.init.calculate_gain("relu") == pytest.approx(math.sqrt(2))


def test_batchnorm_without_running_stats_uses_batch_statistics_in_eval(rng):
    ours = nn.BatchNorm1d(3, track_running_stats=False).eval()
    theirs = torch.nn.BatchNorm1d(3, track_running_stats=False, dtype=torch.float64).eval()
    _load(ours, theirs)
    _run_module(ours, theirs, rng.standard_normal((6, 3)), rng)
    assert "running_mean" not in ours.state_dict()
