"""References for what students write after the notebook: more activations and SoftmaxWithLoss.

Each reads its hyperparameter from the student's object under the names students give it (a
LeakyReLU's slope as ``negative_slope``, ``slope``, ``alpha`` or ``a``), so a layer built with
another slope is held to that slope, and computes the truth with chainrule's own functions.
"""

from __future__ import annotations

import numpy as np

from .. import nn, tensor
from .reference import Reference, as_array

F = nn.functional


def _read(obj, names: tuple[str, ...], default: float) -> float:
    for name in names:
        value = getattr(obj, name, None)
        # check() may have swapped a plain float for a 0-d float64 array while it runs
        if (
            not isinstance(value, bool)
            and np.ndim(value) == 0
            and np.asarray(value).dtype.kind in "fi"
        ):
            return float(value)
    return default


def _activation(function, names: tuple[str, ...] = (), default: float = 0.0):
    def forward(obj, inputs, params=None, targets=None):
        args = (_read(obj, names, default),) if names else ()
        return as_array(function(tensor(np.asarray(inputs, dtype=np.float64)), *args).numpy())

    return forward


def _gelu(obj, inputs, params=None, targets=None):
    """GELU with tanh (the usual hand-written one) or with erf: both are right, so the one
    nearer the student's own forward is the truth (they differ by up to 5e-4)."""
    x = tensor(np.asarray(inputs, dtype=np.float64))
    both = [as_array(F.gelu(x, approximate=form).numpy()) for form in ("tanh", "none")]
    try:
        theirs = as_array(obj.forward(np.array(inputs, dtype=np.float64)))
        return min(both, key=lambda truth: float(np.max(np.abs(truth - theirs))))
    except Exception:  # noqa: BLE001 - the student's own failure is reported by the check itself
        return both[0]


def _swish(obj, inputs, params=None, targets=None):
    beta = _read(obj, ("beta",), 1.0)
    x = np.asarray(inputs, dtype=np.float64)
    return as_array(x * F.sigmoid(tensor(beta * x)).numpy())


def _softmax_with_loss(obj, inputs, params=None, targets=None):
    """Mean cross-entropy of softmax(inputs): one-hot targets or class labels alike."""
    t = np.asarray(targets)
    labels = t.argmax(axis=1) if t.ndim == 2 and t.shape == np.shape(inputs) else t.astype(np.int64)
    x = tensor(np.asarray(inputs, dtype=np.float64))
    return as_array(F.cross_entropy(x, tensor(labels.reshape(-1))).numpy())


def _normal(rng, n):
    return rng.standard_normal((n, 3))


def _logits(rng, n):
    # positive, as the loss candidates before this reference were: pushed to +-1000 with their
    # signs kept they stay within 1 of each other, so t * log(y) with a one-hot t is not
    # blamed for the 0 * log(0) that only logits 745 apart would give
    return rng.uniform(0.1, 0.9, size=(n, 3))


def _one_hot(rng, n):
    labels = np.arange(n) % 3  # every class present: no column of the gradient is zero by chance
    rng.shuffle(labels)
    return np.eye(3)[labels]


_SLOPE = ("negative_slope", "slope", "alpha", "a")
SEQUEL: dict[str, Reference] = {
    "LeakyReLU": Reference("layer", _activation(F.leaky_relu, _SLOPE, 0.01), _normal),
    "LeakyRelu": Reference("layer", _activation(F.leaky_relu, _SLOPE, 0.01), _normal),
    "ELU": Reference("layer", _activation(F.elu, ("alpha", "a"), 1.0), _normal),
    "Elu": Reference("layer", _activation(F.elu, ("alpha", "a"), 1.0), _normal),
    "GELU": Reference("layer", _gelu, _normal),
    "Gelu": Reference("layer", _gelu, _normal),
    "Softplus": Reference("layer", _activation(F.softplus), _normal),
    "Swish": Reference("layer", _swish, _normal),
    "SiLU": Reference("layer", _swish, _normal),
    "SoftmaxWithLoss": Reference("loss", _softmax_with_loss, _logits, _one_hot),
}
