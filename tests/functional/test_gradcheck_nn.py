"""gradcheck on every Function that the layers, activations and losses use."""

import numpy as np
import pytest

import chainrule as cr
import chainrule.functional as F
from chainrule import gradcheck

pytestmark = pytest.mark.usefixtures("float64_default")  # these tests check float64 numerics


def _t(rng, *shape, scale=1.0):
    return cr.Tensor(scale * rng.standard_normal(shape), requires_grad=True)


LABELS = np.array([0, 2, 1, 2])
BINARY = np.array([[0.0], [1.0], [1.0], [0.0]])

CASES = {
    "sigmoid": lambda r: (F.sigmoid, _t(r, 3, 2)),
    "tanh": lambda r: (F.tanh, _t(r, 3, 2)),
    "relu": lambda r: (F.relu, _t(r, 3, 2)),
    "leaky_relu": lambda r: (lambda x: F.leaky_relu(x, 0.1), _t(r, 3, 2)),
    "elu": lambda r: (F.elu, _t(r, 3, 2)),
    "gelu": lambda r: (F.gelu, _t(r, 3, 2)),
    "gelu_tanh": lambda r: (lambda x: F.gelu(x, "tanh"), _t(r, 3, 2)),
    "softplus": lambda r: (F.softplus, _t(r, 3, 2, scale=3)),
    "softmax": lambda r: (lambda x: F.softmax(x, 1), _t(r, 3, 4)),
    "log_softmax": lambda r: (lambda x: F.log_softmax(x, 0), _t(r, 3, 4)),
    "linear": lambda r: (F.linear, _t(r, 4, 3), _t(r, 2, 3), _t(r, 2)),
    "mse": lambda r: (F.mse_loss, _t(r, 4, 1), _t(r, 4, 1)),
    "l1": lambda r: (F.l1_loss, _t(r, 4, 1), _t(r, 4, 1)),
    "huber": lambda r: (lambda a, b: F.huber_loss(a, b, delta=0.5), _t(r, 4, 1), _t(r, 4, 1)),
    "bce": lambda r: (lambda x: F.binary_cross_entropy(F.sigmoid(x), BINARY), _t(r, 4, 1)),
    "bce_eps": lambda r: (lambda x: F.binary_cross_entropy(F.sigmoid(x), BINARY, epsilon=1e-10), _t(r, 4, 1)),
    "bce_logits": lambda r: (lambda x: F.binary_cross_entropy_with_logits(x, BINARY, pos_weight=np.array([2.0])), _t(r, 4, 1)),
    "cross_entropy": lambda r: (lambda x: F.cross_entropy(x, LABELS, weight=np.array([1.0, 2.0, 0.5]), label_smoothing=0.1), _t(r, 4, 3)),
    "nll": lambda r: (lambda x: F.nll_loss(F.log_softmax(x, 1), LABELS), _t(r, 4, 3)),
    "batch_norm": lambda r: (lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), _t(r, 5, 3), _t(r, 3), _t(r, 3)),
    "batch_norm_eval": lambda r: (lambda x, w, b: F.batch_norm(x, np.zeros(3), np.ones(3) * 2, w, b), _t(r, 5, 3), _t(r, 3), _t(r, 3)),
    "layer_norm": lambda r: (lambda x, w, b: F.layer_norm(x, (4,), w, b), _t(r, 3, 4), _t(r, 4), _t(r, 4)),
    "embedding": lambda r: (lambda w: F.embedding(np.array([1, 1, 0, 3]), w), _t(r, 4, 2)),
    # An int seed draws the same mask on every call, which finite differences need.
    "dropout": lambda r: (lambda x: F.dropout(x, 0.5, generator=11), _t(r, 4, 4)),
    "dropout2d": lambda r: (lambda x: F.dropout2d(x, 0.5, generator=11), _t(r, 2, 3, 2, 2)),
    "batch_norm_2d": lambda r: (lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True), _t(r, 3, 2, 2, 3), _t(r, 2), _t(r, 2)),
    "conv2d": lambda r: (lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2)), _t(r, 2, 2, 5, 5), _t(r, 3, 2, 2, 2), _t(r, 3)),
    "conv2d_groups_same": lambda r: (lambda x, w: F.conv2d(x, w, padding="same", groups=2), _t(r, 1, 4, 4, 3), _t(r, 2, 2, 2, 3)),
    "conv1d": lambda r: (lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1), _t(r, 2, 2, 6), _t(r, 3, 2, 3), _t(r, 3)),
    "max_pool2d": lambda r: (lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True), _t(r, 1, 2, 6, 5)),
    "avg_pool2d": lambda r: (lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False), _t(r, 1, 2, 6, 5)),
    "adaptive_avg_pool2d": lambda r: (lambda x: F.adaptive_avg_pool2d(x, (2, 3)), _t(r, 1, 2, 5, 4)),
    "unfold": lambda r: (lambda x: F.unfold(x, 2, dilation=(1, 2), padding=1, stride=2), _t(r, 1, 2, 4, 5)),
    "pad_reflect": lambda r: (lambda x: F.pad(x, (2, 1, 1, 0), mode="reflect"), _t(r, 1, 2, 3, 4)),
    "pad_constant_crop": lambda r: (lambda x: F.pad(x, (-1, 2), value=0.5), _t(r, 2, 3, 4)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_layer_functions_pass_gradcheck(name, rng):
    fn, *inputs = CASES[name](rng)
    assert gradcheck(fn, *inputs)
