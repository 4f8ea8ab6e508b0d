"""The nnlayers additions under CPUGraph: a captured training step replays bit for bit as the
eager steps do, with new inputs, targets and random draws each step."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.nn import functional as F
from tests.cpugraph.module_harness import _assert_same, _labels, _rand, _trainer

LAYERS = {
    "prelu_rrelu_selu": lambda: nn.Sequential(
        nn.Linear(6, 8), nn.PReLU(8), nn.RReLU(), nn.SELU(), nn.AlphaDropout(0.2), nn.Linear(8, 4)
    ),
    "hard_shrink_glu": lambda: nn.Sequential(
        nn.Linear(6, 8),
        nn.Hardswish(),
        nn.Softshrink(0.1),
        nn.GLU(),
        nn.Threshold(0.0, -1.0),
        nn.Linear(4, 4),
    ),  # fmt: skip
}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_activations_and_dropouts_replay_as_eager(name):
    make = _trainer(LAYERS[name], lambda m, x, y: (F.cross_entropy(m(x), y),))
    _assert_same(make, lambda i: (_rand(5, 6, seed=i), _labels(5, 4, seed=i)))


LOSSES = {
    "multi_margin": lambda out, y: F.multi_margin_loss(out, y, p=2),
    "multilabel_margin": lambda out, y: F.multilabel_margin_loss(out, _listed(y)),
    "hinge_embedding": lambda out, y: F.hinge_embedding_loss(out, _signs(y)),
    "soft_margin": lambda out, y: F.soft_margin_loss(out, _signs(y)),
    "poisson_full": lambda out, y: F.poisson_nll_loss(out, _as_float(y), full=True),
}


def _signs(y):
    return (y % 2).to(np.float32).unsqueeze(1).expand(-1, 4) * 2 - 1


def _as_float(y):
    return y.to(np.float32).unsqueeze(1).expand(-1, 4) * 1


def _listed(y):
    return cr.stack([y, (y + 1) % 4, y * 0 - 1, y * 0], 1)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_margin_losses_with_new_targets_replay_as_eager(name):
    loss = LOSSES[name]
    make = _trainer(lambda: nn.Linear(6, 4), lambda m, x, y: (loss(m(x), y),))
    _assert_same(make, lambda i: (_rand(5, 6, seed=i), _labels(5, 4, seed=i + 10)))


def test_pools_norms_and_bags_replay_as_eager():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(2, 4, 3, padding=1)
            self.norm, self.lrn = nn.RMSNorm(6), nn.LocalResponseNorm(3)
            self.pool, self.pad = nn.AdaptiveMaxPool2d(3, True), nn.ReflectionPad2d(1)
            self.unpool = nn.MaxUnpool2d(2)
            self.bag = nn.EmbeddingBag(5, 9, mode="max")

        def forward(self, x, idx):
            h = self.lrn(self.norm(self.conv(self.pad(x))))
            pooled, where = self.pool(h)
            return (
                self.unpool(pooled, where, (6, 6)).sum()
                + (self.bag(idx) * pooled.flatten(1)[:, :9]).sum()
            )

    make = _trainer(Net, lambda m, x, idx: (m(x, idx),))
    _assert_same(make, lambda i: (_rand(2, 2, 4, 4, seed=i), _labels(6, 5, seed=i).reshape(2, 3)))


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_with_new_offsets_and_padding_per_batch_replays_as_eager(mode):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.bag = nn.EmbeddingBag(5, 3, mode=mode, padding_idx=0)

        def forward(self, idx, offsets):
            return self.bag(idx, offsets).square().sum()

    def batch(i):
        rng = np.random.default_rng(i)
        cut = np.sort(rng.integers(0, 8, 2))
        return cr.from_numpy(rng.integers(0, 5, 8)), cr.from_numpy(np.array([0, *cut]))

    _assert_same(_trainer(Net, lambda m, idx, off: (m(idx, off),)), batch)
