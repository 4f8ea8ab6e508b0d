"""The gradcheck case tables, shared by the gradcheck tests and the coverage test.

Each case maps a name to ``make(rng) -> (fn, *inputs)``: the inputs are float64 tensors that
require grad (the tests that run them set float64 as the default dtype).
"""

import numpy as np

import chainrule as cr
import chainrule.functional as F


def _t(rng, *shape, positive=False, scale=1.0):
    values = scale * rng.standard_normal(shape)
    if positive:
        values = np.abs(values) + 0.5
    return cr.tensor(values, requires_grad=True)


# Every primitive Function, through gradcheck in float64.
PRIMITIVES = {
    "add": lambda r: (F.add, _t(r, 3, 1), _t(r, 4)),
    "sub": lambda r: (F.sub, _t(r, 2, 3), _t(r, 3)),
    "mul": lambda r: (F.mul, _t(r, 2, 3), _t(r, 2, 1)),
    "div": lambda r: (F.div, _t(r, 2, 3), _t(r, 3, positive=True)),
    "neg": lambda r: (F.neg, _t(r, 4)),
    "pow_scalar": lambda r: (lambda x: x**2.5, _t(r, 4, positive=True)),
    "pow": lambda r: (F.pow, _t(r, 3, positive=True), _t(r, 3)),
    "exp": lambda r: (F.exp, _t(r, 2, 2)),
    "log": lambda r: (F.log, _t(r, 5, positive=True)),
    "sqrt": lambda r: (F.sqrt, _t(r, 5, positive=True)),
    "abs": lambda r: (F.abs, _t(r, 5)),
    "maximum": lambda r: (F.maximum, _t(r, 3, 2), _t(r, 2)),
    "minimum": lambda r: (F.minimum, _t(r, 3, 2), _t(r, 2)),
    "clip": lambda r: (lambda x: F.clip(x, -0.5, 0.5), _t(r, 6)),
    "where": lambda r: (lambda a, b: F.where(a.detach().numpy() > 0, a, b), _t(r, 4), _t(r, 4)),
    "matmul": lambda r: (F.matmul, _t(r, 2, 3, 4), _t(r, 4, 2)),
    "matmul_vec": lambda r: (F.matmul, _t(r, 3), _t(r, 3, 2)),
    "sum": lambda r: (lambda x: x.sum(1), _t(r, 2, 3)),
    "mean": lambda r: (lambda x: x.mean(0, keepdim=True), _t(r, 2, 3)),
    "max": lambda r: (lambda x: x.amax(1), _t(r, 2, 3)),
    "max_dim_values": lambda r: (lambda x: x.max(1).values, _t(r, 2, 3)),
    "sin_cos": lambda r: (lambda x: cr.sin(x) * cr.cos(x), _t(r, 4)),
    "expand": lambda r: (lambda x: x.expand(2, 3, 3) * 1.5, _t(r, 3, 1)),
    "repeat": lambda r: (lambda x: x.repeat(2, 1, 3), _t(r, 2, 2)),
    "round": lambda r: (lambda x: x.round() + x, _t(r, 4)),
    "cumsum": lambda r: (lambda x: x.cumsum(1), _t(r, 2, 4)),
    "diag_vector": lambda r: (lambda x: x.diag(1), _t(r, 3)),
    "diag_matrix": lambda r: (lambda x: x.diag(-1), _t(r, 4, 3)),
    "tril_triu": lambda r: (lambda x: x.tril(1) + x.triu(-1) * 2, _t(r, 2, 3, 4)),
    "topk_sort": lambda r: (lambda x: x.topk(2).values.sum(1) + x.sort(0).values[0], _t(r, 3, 3)),
    "gather": lambda r: (lambda x: x.gather(1, np.array([[0, 0], [2, 1]])), _t(r, 2, 3)),
    "logsumexp": lambda r: (lambda x: x.logsumexp(1), _t(r, 3, 4)),
    "solve": lambda r: (
        cr.linalg.solve,
        _t(r, 3, 3) + cr.eye(3, dtype=cr.float64) * 3,
        _t(r, 3, 2),
    ),
    "solve_vector": lambda r: (
        cr.linalg.solve,
        _t(r, 2, 2) + cr.eye(2, dtype=cr.float64) * 3,
        _t(r, 2),
    ),
    "einsum": lambda r: (lambda a, b: cr.einsum("bij,jk->bki", a, b), _t(r, 2, 3, 4), _t(r, 4, 2)),
    "einsum_sum_out": lambda r: (
        lambda a, b: cr.einsum("ij,kl->i", a, b),
        _t(r, 2, 3),
        _t(r, 2, 2),
    ),
    "prod": lambda r: (lambda x: x.prod(1) + x.prod(), _t(r, 2, 3)),
    "inv": lambda r: (cr.linalg.inv, _t(r, 3, 3) + cr.eye(3, dtype=cr.float64) * 3),
    "pinv": lambda r: (cr.linalg.pinv, _t(r, 4, 3)),
    "setitem": lambda r: (lambda x, v: F.setitem(x, (slice(None), 1), v), _t(r, 2, 3), _t(r, 2)),
    "var_std": lambda r: (lambda x: x.var(1).sum() + x.std(0).sum(), _t(r, 3, 4)),
    "min": lambda r: (lambda x: x.min(), _t(r, 2, 3)),
    "reshape": lambda r: (lambda x: x.reshape(3, 2), _t(r, 2, 3)),
    "permute": lambda r: (lambda x: x.permute(1, 2, 0), _t(r, 2, 3, 2)),
    "getitem": lambda r: (lambda x: x[np.array([0, 0, 1])], _t(r, 2, 3)),
    "cat": lambda r: (lambda a, b: cr.cat([a, b], 1), _t(r, 2, 3), _t(r, 2, 1)),
    "stack": lambda r: (lambda a, b: cr.stack([a, b]), _t(r, 2), _t(r, 2)),
    "cast": lambda r: (lambda x: F.Cast.apply(x, dtype=np.dtype(np.float64)) * x, _t(r, 3)),
    "clone": lambda r: (lambda x: x.clone() * x, _t(r, 3)),
    "remainder": lambda r: (cr.remainder, _t(r, 4), _t(r, 4, positive=True)),
    "fmod": lambda r: (cr.fmod, _t(r, 4), _t(r, 4, positive=True)),
    "rounded_div": lambda r: (
        lambda a, b: cr.div(a, b, rounding_mode="floor") + a,
        _t(r, 4),
        _t(r, 4, positive=True),
    ),
    "lerp": lambda r: (cr.lerp, _t(r, 3), _t(r, 3), _t(r, 3)),
    "nan_to_num": lambda r: (cr.nan_to_num, _t(r, 4)),
}


LABELS = np.array([0, 2, 1, 2])
BINARY = np.array([[0.0], [1.0], [1.0], [0.0]])

# Every Function the layers, activations and losses use.
LAYERS = {
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
    "bce_eps": lambda r: (
        lambda x: F.binary_cross_entropy(F.sigmoid(x), BINARY, epsilon=1e-10),
        _t(r, 4, 1),
    ),
    "bce_logits": lambda r: (
        lambda x: F.binary_cross_entropy_with_logits(x, BINARY, pos_weight=np.array([2.0])),
        _t(r, 4, 1),
    ),
    "cross_entropy": lambda r: (
        lambda x: F.cross_entropy(x, LABELS, weight=np.array([1.0, 2.0, 0.5]), label_smoothing=0.1),
        _t(r, 4, 3),
    ),
    "cross_entropy_labels": lambda r: (lambda x: F.cross_entropy(x, LABELS), _t(r, 4, 3)),
    "nll": lambda r: (lambda x: F.nll_loss(F.log_softmax(x, 1), LABELS), _t(r, 4, 3)),
    "nll_weighted": lambda r: (
        lambda x: F.nll_loss(
            F.log_softmax(x, 1), LABELS, weight=np.array([1.0, 2.0, 0.5]), ignore_index=1
        ),
        _t(r, 4, 3),
    ),
    "batch_norm": lambda r: (
        lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
        _t(r, 5, 3),
        _t(r, 3),
        _t(r, 3),
    ),
    "batch_norm_eval": lambda r: (
        lambda x, w, b: F.batch_norm(x, np.zeros(3), np.ones(3) * 2, w, b),
        _t(r, 5, 3),
        _t(r, 3),
        _t(r, 3),
    ),
    "layer_norm": lambda r: (
        lambda x, w, b: F.layer_norm(x, (4,), w, b),
        _t(r, 3, 4),
        _t(r, 4),
        _t(r, 4),
    ),
    "embedding": lambda r: (lambda w: F.embedding(np.array([1, 1, 0, 3]), w), _t(r, 4, 2)),
    # An int seed draws the same mask on every call, which finite differences need.
    "dropout": lambda r: (lambda x: F.dropout(x, 0.5, generator=11), _t(r, 4, 4)),
    "dropout2d": lambda r: (lambda x: F.dropout2d(x, 0.5, generator=11), _t(r, 2, 3, 2, 2)),
    "batch_norm_2d": lambda r: (
        lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
        _t(r, 3, 2, 2, 3),
        _t(r, 2),
        _t(r, 2),
    ),
    "conv2d": lambda r: (
        lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=1, dilation=(1, 2)),
        _t(r, 2, 2, 5, 5),
        _t(r, 3, 2, 2, 2),
        _t(r, 3),
    ),
    "conv2d_groups_same": lambda r: (
        lambda x, w: F.conv2d(x, w, padding="same", groups=2),
        _t(r, 1, 4, 4, 3),
        _t(r, 2, 2, 2, 3),
    ),
    "conv1d": lambda r: (
        lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1),
        _t(r, 2, 2, 6),
        _t(r, 3, 2, 3),
        _t(r, 3),
    ),
    "conv_transpose2d": lambda r: (
        lambda x, w, b: F.conv_transpose2d(x, w, b, 2, 1, (1, 0), groups=2, dilation=(1, 2)),
        _t(r, 2, 4, 3, 3),
        _t(r, 4, 1, 3, 2),
        _t(r, 2),
    ),
    "conv_transpose1d": lambda r: (
        lambda x, w, b: F.conv_transpose1d(x, w, b, stride=3, padding=1, output_padding=2),
        _t(r, 2, 2, 4),
        _t(r, 2, 3, 3),
        _t(r, 3),
    ),
    "max_pool2d": lambda r: (lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True), _t(r, 1, 2, 6, 5)),
    "avg_pool2d": lambda r: (
        lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False),
        _t(r, 1, 2, 6, 5),
    ),
    "adaptive_avg_pool2d": lambda r: (
        lambda x: F.adaptive_avg_pool2d(x, (2, 3)),
        _t(r, 1, 2, 5, 4),
    ),
    "unfold": lambda r: (
        lambda x: F.unfold(x, 2, dilation=(1, 2), padding=1, stride=2),
        _t(r, 1, 2, 4, 5),
    ),
    "pad_reflect": lambda r: (lambda x: F.pad(x, (2, 1, 1, 0), mode="reflect"), _t(r, 1, 2, 3, 4)),
    "pad_constant_crop": lambda r: (lambda x: F.pad(x, (-1, 2), value=0.5), _t(r, 2, 3, 4)),
}


def _with_zeros(rng):
    values = rng.standard_normal((3, 4))
    values[1, 1] = values[2, 0] = 0.0  # cumprod's exact path for rows that hold a zero
    return cr.tensor(values, requires_grad=True)


PRIMITIVES.update(
    {
        "erf_expm1": lambda r: (lambda x: cr.erf(x) * cr.expm1(x), _t(r, 5)),
        "tan_atan": lambda r: (lambda x: cr.tan(x) + cr.atan(x * 3), _t(r, 5, scale=0.5)),
        "asin_acos": lambda r: (lambda x: cr.asin(x) * cr.acos(x), _t(r, 5, scale=0.3)),
        "sinh_cosh": lambda r: (lambda x: cr.sinh(x) * cr.cosh(x * 0.5), _t(r, 5)),
        "inverse_hyperbolics": lambda r: (
            lambda x: cr.acosh(x + 1) * cr.asinh(x) + cr.atanh(x * 0.3),
            _t(r, 5, positive=True),
        ),
        "atan2": lambda r: (cr.atan2, _t(r, 3, 4), _t(r, 4)),
        "cumprod": lambda r: (lambda x: x.cumprod(1), _t(r, 3, 4)),
        "cumprod_zeros": lambda r: (lambda x: x.cumprod(-1) + x.cumprod(0), _with_zeros(r)),
    }
)
PRIMITIVES.update(
    {
        "scatter": lambda r: (
            lambda x, s: x.scatter(1, np.array([[0, 2], [1, 0]]), s),
            _t(r, 2, 3),
            _t(r, 2, 2),
        ),
        "scatter_add": lambda r: (
            lambda x, s: x.scatter_add(0, np.array([[0, 1, 0], [0, 0, 1]]), s),
            _t(r, 2, 3),
            _t(r, 2, 3),
        ),
        "index_add": lambda r: (
            lambda x, s: x.index_add(1, np.array([2, 0, 2]), s, alpha=0.5),
            _t(r, 2, 3),
            _t(r, 2, 3),
        ),
        "index_put": lambda r: (
            lambda x, v: (
                x.index_put((np.array([0, 1, 0]),), v, accumulate=True)
                + x.index_put((np.array([1, 0]), np.array([2, 2])), v[0, :2])
            ),
            _t(r, 2, 3),
            _t(r, 1, 3),
        ),
    }
)
PRIMITIVES.update(
    {
        "special_erfc_ndtr_sinc": lambda r: (
            lambda x: cr.special.erfc(x) + cr.special.ndtr(x) * cr.special.sinc(x),
            _t(r, 5),
        ),
        "special_log_ndtr": lambda r: (
            cr.special.log_ndtr,
            cr.tensor(np.array([-30.0, -5.0, -0.5, 0.0, 2.0]), requires_grad=True),
        ),
        "special_erfinv": lambda r: (
            cr.special.erfinv,
            cr.tensor(0.8 * np.tanh(r.standard_normal(5)), requires_grad=True),
        ),
        "special_gammaln_digamma_entr": lambda r: (
            lambda x: cr.special.gammaln(x) + cr.special.digamma(x) * cr.special.entr(x),
            _t(r, 5, positive=True),
        ),
        "special_xlogy": lambda r: (cr.special.xlogy, _t(r, 3, 4), _t(r, 4, positive=True)),
    }
)

from tests.gradcheck_cases_tensorapi import TENSORAPI_CASES  # noqa: E402

PRIMITIVES.update(TENSORAPI_CASES)

# the nnlayers additions: activations, fold, max pool gather / unpool scatter, volumes
PRIMITIVES.update(
    {
        "selu": lambda r: (F.selu, _t(r, 3, 4)),
        "celu": lambda r: (lambda x: F.celu(x, 0.7), _t(r, 3, 4)),
        "prelu": lambda r: (F.prelu, _t(r, 2, 3, 4), _t(r, 3, scale=0.3)),
        "rrelu_train": lambda r: (lambda x: F.rrelu(x, training=True, generator=0), _t(r, 3, 4)),
        "softshrink": lambda r: (lambda x: F.softshrink(x, 0.2), _t(r, 3, 4)),
        "hardswish": lambda r: (F.hardswish, _t(r, 3, 4)),
        "hardsigmoid": lambda r: (F.hardsigmoid, _t(r, 3, 4)),
        "fold": lambda r: (lambda c: F.fold(c, (3, 4), 2), _t(r, 1, 8, 6)),
        "adaptive_max_pool2d": lambda r: (lambda x: F.adaptive_max_pool2d(x, 2), _t(r, 1, 2, 5, 4)),
        "max_unpool2d": lambda r: (
            lambda x: F.max_unpool2d(x, cr.tensor(np.array([[[[0, 3], [9, 14]]]])), 2),
            _t(r, 1, 1, 2, 2),
        ),
        "conv3d": lambda r: (
            lambda x, w, b: F.conv3d(x, w, b, padding=1, groups=2),
            _t(r, 1, 2, 3, 2, 3),
            _t(r, 4, 1, 2, 2, 2),
            _t(r, 4),
        ),
        "max_pool3d": lambda r: (lambda x: F.max_pool3d(x, 2, stride=1), _t(r, 1, 1, 3, 3, 2)),
    }
)

# the nnextra additions: grid_sample (bicubic, off the pixel lattice), CTC, fractional max pool
PRIMITIVES.update(
    {
        "grid_sample": lambda r: (
            lambda x, g: F.grid_sample(x, g, "bicubic", "reflection", align_corners=False),
            _t(r, 1, 2, 3, 4),
            cr.tensor(r.uniform(-0.9, 0.9, (1, 2, 3, 2)) + 0.013, requires_grad=True),
        ),
        "ctc_loss": lambda r: (
            lambda z: F.ctc_loss(
                z.log_softmax(2), cr.tensor([[1, 2, 2], [3, 1, 0]]), [6, 5], [3, 2], reduction="sum"
            ),
            _t(r, 6, 2, 4),
        ),
        "fractional_max_pool2d": lambda r: (
            lambda x: F.fractional_max_pool2d(
                x, 2, (3, 3), _random_samples=cr.tensor(np.full((1, 2, 2), 0.4))
            ),
            _t(r, 1, 2, 6, 5),
        ),
    }
)

from tests.gradcheck_cases_linalg2 import LINALG2_CASES  # noqa: E402  (linalg2)

PRIMITIVES.update(LINALG2_CASES)

# hostile9: the 3-d fractional max pool
PRIMITIVES["fractional_max_pool3d"] = lambda r: (
    lambda x: F.fractional_max_pool3d(
        x, 2, (2, 3, 2), _random_samples=cr.tensor(np.full((1, 2, 3), 0.4))
    ),
    _t(r, 1, 2, 5, 6, 4),
)

from tests.gradcheck_cases_torchapi2 import TORCHAPI2_CASES  # noqa: E402  (torchapi2)

PRIMITIVES.update(TORCHAPI2_CASES)

from tests.gradcheck_cases_views import VIEWS_CASES  # noqa: E402  (views)

PRIMITIVES.update(VIEWS_CASES)
