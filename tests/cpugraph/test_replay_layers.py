"""CPUGraph replays of layers the earlier rounds barely touched: convolutions (padding, stride,
groups), pools, normalisation, recurrent layers, attention with masks, interpolate, activations
(the fourth adversary's cases, part 1 of 2). Bit for bit as eager steps, or a clear GraphError."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.nn import functional as F
from tests.cpugraph.module_harness import (
    _assert_same,
    _ce,
    _labels,
    _rand,
    _trainer,
    _xy,
)


CONVS = {
    "conv1d_stride_pad_groups_maxpool1d": (
        lambda: nn.Sequential(
            nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2), nn.ReLU(), nn.MaxPool1d(2),
            nn.AvgPool1d(2), nn.Flatten(), nn.Linear(12, 3),
        ),
        (5, 4, 16),
    ),
    "conv2d_groups_no_bias_groupnorm_avgpool_convtranspose": (
        lambda: nn.Sequential(
            nn.Conv2d(4, 8, 3, stride=2, padding=2, groups=4, bias=False), nn.GroupNorm(2, 8),
            nn.AvgPool2d(2), nn.ConvTranspose2d(8, 3, 3, stride=2, padding=1, output_padding=1),
            nn.Flatten(), nn.Linear(3 * 6 * 6, 3),
        ),
        (3, 4, 12, 12),
    ),
    "conv2d_dilation_batchnorm2d_maxpool_padding_adaptive": (
        lambda: nn.Sequential(
            nn.Conv2d(3, 6, 3, padding=2, dilation=2), nn.BatchNorm2d(6), nn.GELU(),
            nn.MaxPool2d(3, stride=2, padding=1), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.LayerNorm(6), nn.Linear(6, 3),
        ),
        (4, 3, 9, 9),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", CONVS)
def test_convolutions_pools_and_norms_replay_as_eager(name):
    model, shape = CONVS[name]
    _assert_same(_trainer(model, _ce), _xy(shape, 3))


class _Recurrent(nn.Module):
    """A recurrent layer fed a static h0 (and c0), read at the last step of each direction."""

    def __init__(self, kind, **kwargs):
        super().__init__()
        self.rnn = getattr(nn, kind)(3, 5, batch_first=True, **kwargs)
        self.head = nn.Linear(5 * (2 if kwargs.get("bidirectional") else 1), 2)

    def forward(self, x, h0, c0=None):
        out, state = self.rnn(x, h0 if c0 is None else (h0, c0))
        return self.head(out[:, -1]), out, state


RECURRENT = {
    "rnn_tanh_2_layers_bidirectional": ("RNN", {"num_layers": 2, "bidirectional": True}),
    "rnn_relu": ("RNN", {"nonlinearity": "relu"}),
    "gru_bidirectional": ("GRU", {"bidirectional": True}),
    "gru_2_layers_dropout": ("GRU", {"num_layers": 2, "dropout": 0.3}),
    "lstm_2_layers_bidirectional": ("LSTM", {"num_layers": 2, "bidirectional": True}),
}


@pytest.mark.parametrize("name", RECURRENT)
def test_recurrent_layers_with_h0_replay_as_eager(name):
    kind, kwargs = RECURRENT[name]
    layers = kwargs.get("num_layers", 1) * (2 if kwargs.get("bidirectional") else 1)

    def loss_of(m, x, h0, c0, t):
        pred, out, state = m(x, h0, c0 if kind == "LSTM" else None)
        return (F.cross_entropy(pred, t), out, *(state if kind == "LSTM" else (state,)))

    def batch(i):
        return (
            _rand(4, 6, 3, seed=i),
            _rand(layers, 4, 5, seed=50 + i),
            _rand(layers, 4, 5, seed=70 + i),
            _labels(4, 2, seed=90 + i),
        )

    _assert_same(_trainer(lambda: _Recurrent(kind, **kwargs), loss_of), batch)


def _padding_mask(i):
    """A key padding mask that changes per batch (a different tail padded in each row)."""
    lengths = np.random.default_rng(200 + i).integers(2, 7, 4)
    return cr.from_numpy(np.arange(6)[None, :] >= lengths[:, None])


class _Attention(nn.Module):
    def __init__(self, float_mask):
        super().__init__()
        self.mha = nn.MultiheadAttention(8, 2, batch_first=True, dropout=0.2)
        layer = nn.TransformerEncoderLayer(8, 2, 16, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.head = nn.Linear(8, 3)
        causal = cr.triu(cr.ones(6, 6, dtype=cr.bool), diagonal=1)
        self.causal = causal.float().masked_fill(causal, float("-inf")) if float_mask else causal

    def forward(self, x, pad):
        a, w = self.mha(x, x, x, key_padding_mask=pad, attn_mask=self.causal)
        h = self.encoder(x + a, mask=self.causal, src_key_padding_mask=pad)
        return self.head(h[:, 0]), w


@pytest.mark.parametrize("float_mask", [False, True], ids=["bool_mask", "float_mask"])
def test_attention_and_transformer_encoder_with_masks_per_batch_replay_as_eager(float_mask):
    def loss_of(m, x, pad, t):
        pred, weights = m(x, pad)
        return F.cross_entropy(pred, t), weights

    def batch(i):
        return _rand(4, 6, 8, seed=i), _padding_mask(i), _labels(4, 3, seed=300 + i)

    _assert_same(_trainer(lambda: _Attention(float_mask), loss_of), batch)


class _Tokens(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(10, 4, padding_idx=0)
        self.head = nn.Linear(4, 3)

    def forward(self, idx):
        return self.head(self.emb(idx).mean(1))


def test_embedding_with_padding_idx_and_new_indices_per_batch_replays_as_eager():
    def batch(i):  # padding tokens in every batch, at new places
        idx = np.random.default_rng(400 + i).integers(0, 10, (5, 7))
        return cr.from_numpy(idx), _labels(5, 3, seed=410 + i)

    _assert_same(_trainer(_Tokens, _ce), batch)


INTERPOLATE = {
    "nearest_scale": {"scale_factor": 2, "mode": "nearest"},
    "nearest_size": {"size": (7, 5), "mode": "nearest"},
    "bilinear": {"scale_factor": 2, "mode": "bilinear", "align_corners": False},
    "bilinear_corners": {"size": (6, 9), "mode": "bilinear", "align_corners": True},
}


@pytest.mark.parametrize("name", INTERPOLATE)
def test_interpolate_replays_as_eager(name):
    class Up(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(2, 2, 3, padding=1)

        def forward(self, x):
            return self.conv(F.interpolate(x, **INTERPOLATE[name]))

    def loss_of(m, x, y):
        out = m(x)
        return F.mse_loss(out.sum((2, 3)), y), out

    def batch(i):
        return _rand(3, 2, 4, 3, seed=i), _rand(3, 2, seed=500 + i)

    _assert_same(_trainer(Up, loss_of), batch)


def test_pad_sequence_of_static_sequences_replays_as_eager():
    pad_sequence = nn.utils.rnn.pad_sequence

    def loss_of(m, a, b, c, t):
        padded = pad_sequence([a, b, c], batch_first=True, padding_value=-1.0)
        out, _ = m(padded)
        return F.cross_entropy(out[:, -1], t), padded, out

    def batch(i):
        return (
            _rand(5, 3, seed=i),
            _rand(2, 3, seed=10 + i),
            _rand(4, 3, seed=20 + i),
            _labels(3, 4, seed=30 + i),
        )

    _assert_same(_trainer(lambda: nn.GRU(3, 4, batch_first=True), loss_of), batch)


ACTIVATIONS = {
    "gelu_exact": lambda h: F.gelu(h),
    "gelu_tanh": lambda h: F.gelu(h, approximate="tanh"),
    "softmax_dim0": lambda h: F.softmax(h, dim=0),
    "softmax_dim1_module": lambda h: nn.Softmax(dim=1)(h),
    "log_softmax_dim_minus2": lambda h: F.log_softmax(h, dim=-2),
    "log_softmax_module_dim2": lambda h: nn.LogSoftmax(dim=2)(h),
}


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_activations_and_softmax_dims_replay_as_eager(name):
    def loss_of(m, x, y):
        out = ACTIVATIONS[name](m(x))
        return ((out - y) ** 2).mean(), out

    def batch(i):
        return _rand(3, 4, 5, seed=i), _rand(3, 4, 6, seed=600 + i)

    _assert_same(_trainer(lambda: nn.Linear(5, 6), loss_of), batch)
