"""Ops that compute on a tensor's array in Python (no Function) inside a CPUGraph capture.

Each one is either recorded, so a replay recomputes it from the new batch and matches eager
steps to the last bit, or refused at capture with a GraphError that says what to do instead.
The harness is test_replay_attacks.py's: eager steps against capture + replays, byte for byte.
"""

import numpy as np
import pytest

import chainrule as cr
from chainrule import functional as F
from chainrule.errors import GraphError

from .test_replay_attacks import _assert_same, _model_batch, _model_step, _out


def _labels(i):
    return [np.array([[0, 2, 1], [2, 2, 0], [1, 0, 0], [0, 1, 2]][i])]


def _w():
    return cr.tensor(np.float32([0.5, -1.0, 2.0]), requires_grad=True)


def _sgd_on(features):
    """A step w -= 0.1 dL/dw with L = sum(w * features(k)), k a static int64 batch."""

    def make():
        w, k = _w(), cr.zeros(3, dtype=cr.int64)

        def step():
            w.grad = None
            (w * features(k)).sum().backward()
            with cr.no_grad():
                w.sub_(0.1 * w.grad)

        return [k], step, lambda: [w.detach().numpy()]

    return make


def _zero_rows(i):
    x, k, t = _model_batch(i)
    k[i % 5] = 0  # a different row of labels is 0 on each batch (and so masks its row)
    return [x, k, t]


# --- recorded: one op in a small model (Adam on a (3, 4) weight) ----------------------------

IN_A_MODEL = {
    "fmod_float": lambda w, x, k, t: cr.fmod(_out(w, x), 0.3).pow(2).mean(),
    "trunc_float": lambda w, x, k, t: (_out(w, x) * 3.0).trunc().mean() + _out(w, x).mean(),
    "div_trunc_float": lambda w, x, k, t: (
        cr.div(_out(w, x), 0.2, rounding_mode="trunc").mean() + _out(w, x).mean()
    ),
    "fmod_int": lambda w, x, k, t: _out(w, x).mean() * cr.fmod(k - 1, 2).float().sum(),
    "div_trunc_int": lambda w, x, k, t: (
        _out(w, x).mean() * cr.div(k * 3 - 2, 2, rounding_mode="trunc").float().sum()
    ),
    "remainder_int_tensor": lambda w, x, k, t: (
        _out(w, x).mean() * cr.remainder(k + 3, k + 1).float().sum()
    ),
    "cosine_similarity_zero_rows": lambda w, x, k, t: F.cosine_similarity(
        _out(w, x) * (k[:, None] > 0), t
    ).sum(),
    "kl_div_zero_targets": lambda w, x, k, t: F.kl_div(
        F.log_softmax(_out(w, x), dim=1), t * (t > 0.5), reduction="sum"
    ),
    "one_hot_given_width": lambda w, x, k, t: (_out(w, x) * F.one_hot(k, 3).float()).sum(),
    "scatter_int32_index": lambda w, x, k, t: (
        cr.zeros((5, 3)).scatter(1, k[:, None].int(), _out(w, x)).pow(2).sum()
    ),
    "scatter_add": lambda w, x, k, t: (
        cr.zeros((5, 3)).scatter_add(1, k[:, None], _out(w, x)).pow(2).sum()
    ),
    "index_fill_labels": lambda w, x, k, t: _out(w, x).index_fill(0, k[:2], 0.0).pow(2).sum(),
    "index_add": lambda w, x, k, t: cr.zeros((3, 3)).index_add(0, k[:3], _out(w, x)[:3]).sum(),
    "masked_sdpa": lambda w, x, k, t: (
        F.scaled_dot_product_attention(
            _out(w, x)[None], _out(w, x)[None], t[None], attn_mask=(k[:, None] > 0) | (k[None] > 0)
        )
        .pow(2)
        .sum()
    ),
    "pad_sequence_of_labels": lambda w, x, k, t: (
        _out(w, x)[:2] * cr.nn.utils.rnn.pad_sequence([k[:3], k[3:]], batch_first=True).float()
    ).sum(),
    "cummax_int": lambda w, x, k, t: _out(w, x).mean() * k.cummax(0).values.float().sum(),
    "fill_a_computed_buffer": lambda w, x, k, t: _fill_in_graph(_out(w, x)),
}


def _fill_in_graph(h):
    h = h * 1.0  # a non-leaf: its fill_ is recorded in the graph (zero gradient behind it)
    h[0].fill_(2.0)
    return (h * h).sum()


@pytest.mark.parametrize("name", sorted(IN_A_MODEL))
def test_ops_in_a_small_model_follow_the_batch(name):
    with np.errstate(divide="ignore", invalid="ignore"):
        _assert_same(_model_step(IN_A_MODEL[name]), _zero_rows)


def test_a_lstsq_solution_inside_a_step_follows_the_batch():
    def make():
        w, a = _w(), cr.zeros((4, 3))

        def step():
            w.grad = None
            solution = cr.linalg.lstsq(a, (a**2).sum(dim=1, keepdim=True)).solution
            (w * solution.reshape(-1)).sum().backward()
            with cr.no_grad():
                w.sub_(0.1 * w.grad)

        return [a], step, lambda: [w.detach().numpy()]

    def batch(i):
        return [np.random.default_rng(i).standard_normal((4, 3)).astype(np.float32)]

    _assert_same(make, batch)


# --- recorded: casts and fills ---------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["int32", "int64", "bool", "uint8"])
def test_to_an_integer_dtype_follows_the_batch(dtype):
    _assert_same(_sgd_on(lambda k: k.to(getattr(cr, dtype)).float()), _labels)


@pytest.mark.parametrize("fill", ["zero_", "fill_"])
def test_a_fill_of_a_gradient_inside_the_step_writes_the_constant_on_every_replay(fill):
    """p.grad.zero_() (or fill_(0.5)) in the step, then backward accumulates onto it."""

    def make():
        w, x = _w(), cr.zeros(3)
        ((w * 0.0).sum()).backward()  # an eager warm-up: w.grad exists before the capture
        optimizer = cr.optim.SGD([w], lr=0.01)

        def step():
            w.grad.zero_() if fill == "zero_" else w.grad.fill_(0.5)
            ((w * x) ** 2).sum().backward()
            optimizer.step()

        return [x], step, lambda: [w.detach().numpy(), w.grad.numpy()]

    _assert_same(make, lambda i: [np.float32([1.0, -2.0, 3.0]) * (i + 1)])


def test_a_fill_with_a_0d_tensor_rereads_its_value_on_replay():
    def make():
        w, x, buffer = _w(), cr.zeros(3), cr.zeros(3)

        def step():
            w.grad = None
            with cr.no_grad():
                buffer.fill_(x.mean())
            (w * buffer * x).sum().backward()
            with cr.no_grad():
                w.sub_(0.1 * w.grad)

        return [x], step, lambda: [w.detach().numpy(), buffer.detach().numpy()]

    _assert_same(make, lambda i: [np.float32([1.0, -2.0, 4.0]) * (i + 1)])


def test_copy_of_outside_data_is_still_refused():
    x = cr.zeros(3)
    with pytest.raises(GraphError, match="copy_: expected no copy_ inside a CPUGraph capture"):
        with cr.graph(cr.CPUGraph()):
            x.copy_(cr.tensor(np.float32([1.0, 2.0, 3.0])))  # (a value the step computes replays)


# --- autograd.grad ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form",
    [
        "no_clear",
        "non_leaf_input",
        "two_inputs",
        "grad_outputs",
    ],
)
def test_autograd_grad_inside_a_step_follows_the_batch(form):
    def make():
        w, b, x = _w(), cr.tensor(np.float32(0.2), requires_grad=True), cr.zeros(3)

        def step():
            h = w * x + b
            loss = (h**2).mean()
            if form == "no_clear":
                (grad_w,) = cr.autograd.grad(loss, w)
                update = [(w, grad_w)]
            elif form == "non_leaf_input":
                (grad_h,) = cr.autograd.grad(loss, h)
                update = [(w, grad_h * x)]
            elif form == "two_inputs":
                grad_w, grad_b = cr.autograd.grad(loss, [w, b])
                update = [(w, grad_w), (b, grad_b)]
            else:
                (grad_w,) = cr.autograd.grad(h, w, grad_outputs=x.detach() * 2.0)
                update = [(w, grad_w)]
            with cr.no_grad():
                for p, g in update:
                    p.sub_(0.01 * g)

        return [x], step, lambda: [w.detach().numpy(), b.detach().numpy()]

    _assert_same(make, lambda i: [np.float32([1.0, -2.0, 3.0]) * (i + 1)])


# --- refused: results whose shape the labels decide ------------------------------------------


def test_one_hot_without_num_classes_is_refused():
    k = cr.zeros(3, dtype=cr.int64)
    with pytest.raises(GraphError, match=r"one_hot: expected num_classes given .*\nHint: pass"):
        with cr.graph(cr.CPUGraph()):
            F.one_hot(k)


def test_one_hot_rechecks_the_labels_on_every_replay():
    k = cr.zeros(3, dtype=cr.int64)
    graph = cr.CPUGraph()
    with cr.graph(graph):
        F.one_hot(k, 3)
    k.copy_(cr.tensor(np.array([0, 3, 1])))
    with pytest.raises(ValueError, match=r"one_hot: expected class indices in \[0, 2\]"):
        graph.replay()


@pytest.mark.parametrize(
    "op, message",
    [
        ("bool_mask_index", r"getitem: expected an index whose result's shape is fixed .*\nHint"),
        ("nonzero", "nonzero: expected no read of a tensor's value"),
        ("argwhere", "nonzero: expected no read of a tensor's value"),
    ],
)
def test_a_result_as_long_as_a_mask_is_refused(op, message):
    x = cr.zeros(3)
    with pytest.raises(GraphError, match=message):
        with cr.graph(cr.CPUGraph()):
            if op == "bool_mask_index":
                x[x > 0]
            elif op == "nonzero":
                (x > 0).nonzero()
            else:
                (x > 0).argwhere()
