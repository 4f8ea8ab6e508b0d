"""Targeted attacks on the CPUGraph replay compiler's assumptions.

Each case is a small step run eagerly and as one capture plus replays from the same start,
on the same batches; the two must agree to the last bit, or the capture must raise a
GraphError. The cases marked xfail are bugs found here (strict: they flip once fixed).
"""

import contextlib

import numpy as np
import pytest

import chainrule as cr
from tests.cpugraph.replay_harness import EagerOrReplayed
from chainrule import functional as F
from chainrule.errors import GraphError


def _replayed(make, batches, steps=4):
    """Per-step snapshots (bytes) of eager steps and of capture + replays.

    ``make()`` returns (statics, step, watched): static tensors the batches are copied into,
    the step body (returns a tensor or None) and a callable giving the arrays to compare."""
    histories = []
    for captured in (False, True):
        statics, step, watched = make()
        history, run = [], EagerOrReplayed(captured)
        for i in range(steps):
            for tensor, array in zip(statics, batches(i)):
                tensor.copy_(cr.tensor(array))
            run(step)
            history.append([np.asarray(a).tobytes() for a in watched()])
        histories.append(history)
    return histories


def _assert_same(make, batches, steps=4):
    eager, captured = _replayed(make, batches, steps)
    for i, (a, b) in enumerate(zip(eager, captured)):
        assert a == b, f"step {i} differs"


def _vector(i):
    return [np.float32([1.0, -2.0, 3.0]) * (i + 1)]


def _w():
    return cr.tensor(np.float32([0.5, -1.0, 2.0]), requires_grad=True)


# --- bugs: each xfail is a minimal reproduction ---------------------------------------------


@pytest.mark.parametrize("given", ["static", "computed"])
def test_a_non_scalar_root_follows_the_gradient_it_is_given(given):
    def make():
        w, x, g = _w(), cr.zeros(3), cr.zeros(3)

        def step():
            w.grad = None
            y = w * x
            y.backward(g if given == "static" else y.detach() * 2.0)
            with cr.no_grad():
                w.sub_(0.1 * w.grad)

        return [x, g], step, lambda: [w.detach().numpy(), w.grad.numpy()]

    _assert_same(make, lambda i: _vector(i) + [np.float32([1.0, 2.0, -1.0]) * (i + 1)])


@pytest.mark.parametrize("edit", ["clip", "mul_", "second_backward", "retain_graph"])
def test_the_root_gradient_stays_one_when_a_leaf_receives_it_unchanged(edit):
    """loss = ... + b with a 0-d b: Add hands the root's own ones to b.grad, which is then
    edited in place (clipping, a scaling, the next backward's accumulation)."""

    def make():
        w, x = _w(), cr.zeros(3)
        b = cr.tensor(np.float32(0.3), requires_grad=True)
        optimizer = cr.optim.SGD([w, b], lr=0.01)

        def step():
            optimizer.zero_grad()
            loss = (w * x).sum() + b
            loss.backward(retain_graph=edit == "retain_graph")
            if edit == "clip":
                cr.nn.utils.clip_grad_norm_([w, b], 1.0)
            elif edit == "mul_":
                with cr.no_grad():
                    b.grad.mul_(0.5)
            elif edit == "second_backward":
                (b * x).sum().backward()
            else:
                loss.backward()
            optimizer.step()

        return (
            [x],
            step,
            lambda: [w.detach().numpy(), b.detach().numpy(), w.grad.numpy(), b.grad.numpy()],
        )

    _assert_same(make, _vector)


@pytest.mark.parametrize("inplace", ["relu_", "iadd", "mul_", "setitem", "ReLU(inplace=True)"])
def test_an_in_place_op_inside_the_graph_follows_the_batch(inplace):
    def make():
        w, x = _w(), cr.zeros(3)
        optimizer = cr.optim.SGD([w], lr=0.01)

        def step():
            optimizer.zero_grad()
            h = w * x
            if inplace == "relu_":
                h.relu_()
            elif inplace == "iadd":
                h += 1.0
            elif inplace == "mul_":
                h.mul_(x)
            elif inplace == "setitem":
                h[0] = 5.0
            else:
                h = cr.nn.ReLU(inplace=True)(h)
            (h * h).sum().backward()
            optimizer.step()

        return [x], step, lambda: [w.detach().numpy(), w.grad.numpy()]

    _assert_same(make, _vector)


@pytest.mark.parametrize("retain", [False, True])
def test_a_capture_of_a_backward_whose_forward_ran_outside_it_is_refused(retain):
    """Eagerly the second step raises (graph freed, or w modified since forward); a replay
    silently reruns the backward on the stale forward, so the capture should refuse."""
    w, x = _w(), cr.tensor(np.float32([1.0, -2.0, 3.0]))
    optimizer = cr.optim.SGD([w], lr=0.01)
    loss = ((w * x) ** 2).sum()
    graph = cr.CPUGraph()
    with pytest.raises(GraphError):
        with cr.graph(graph):
            optimizer.zero_grad()
            loss.backward(retain_graph=retain)
            optimizer.step()
        graph.replay()


def test_autograd_grad_inside_a_step_follows_the_batch():
    def make():
        w, x = _w(), cr.zeros(3)

        def step():
            w.grad = None
            (grad_w,) = cr.autograd.grad(((w * x) ** 2).mean(), w)
            with cr.no_grad():
                w.sub_(0.01 * grad_w)

        return [x], step, lambda: [w.detach().numpy()]

    _assert_same(make, _vector)


def test_gradient_accumulation_with_zero_grad_outside_the_graph():
    """torch's micro-batch pattern: capture the backward alone (grads accumulate), step and
    zero_grad() outside. After zero_grad's set_to_none, a replay adds into the dropped array:
    w.grad stays None and step() skips w, so training silently stops."""
    histories = []
    for captured in (False, True):
        w, x = _w(), cr.zeros(3)
        optimizer = cr.optim.SGD([w], lr=0.01)

        def micro(w=w, x=x):
            ((w * x) ** 2).mean().backward()

        x.copy_(cr.tensor(_vector(0)[0]))
        micro()  # eager warm-up: w.grad exists, so the capture accumulates into it
        graph = cr.CPUGraph()
        with cr.graph(graph) if captured else contextlib.nullcontext():
            micro()
        optimizer.step()
        optimizer.zero_grad()
        history = []
        for i in range(2, 6):
            x.copy_(cr.tensor(_vector(i)[0]))
            graph.replay() if captured else micro()
            if i % 2:
                history.append(None if w.grad is None else w.grad.numpy().tobytes())
                optimizer.step()
                optimizer.zero_grad()
                history.append(w.detach().numpy().tobytes())
        histories.append(history)
    assert histories[0] == histories[1]


@pytest.mark.parametrize("cast", ["int", "long", "to_int32", "bool"])
def test_integer_casts_inside_a_step_follow_the_batch(cast):
    def make():
        w, k = _w(), cr.zeros(3, dtype=cr.int32 if cast == "long" else cr.int64)

        def step():
            w.grad = None
            if cast == "int":
                y = k.int()
            elif cast == "long":
                y = k.long()
            elif cast == "to_int32":
                y = k.to(cr.int32)
            else:
                y = k.bool()
            (w * y.float()).sum().backward()
            with cr.no_grad():
                w.sub_(0.1 * w.grad)

        return [k], step, lambda: [w.detach().numpy()]

    _assert_same(make, lambda i: [np.array([[0, 2, 1], [2, 2, 0], [1, 0, 0], [0, 1, 2]][i])])


def test_one_hot_inside_a_step_follows_the_labels():
    def make():
        w, k = _w(), cr.zeros(3, dtype=cr.int64)

        def step():
            w.grad = None
            (w * F.one_hot(k, 3).float()).sum().backward()
            with cr.no_grad():
                w.sub_(0.1 * w.grad)

        return [k], step, lambda: [w.detach().numpy()]

    _assert_same(make, lambda i: [np.array([[0, 2, 1], [2, 2, 0], [1, 0, 0], [0, 1, 2]][i])])


# --- one op in a small model: losses, masks, labels, lookups --------------------------------


def _model_step(loss_fn):
    """A (3, 4) weight, a batch x (5, 4), int64 labels k (5,), a float batch t (5, 3) and an
    Adam step; returns what _assert_same wants."""

    def make():
        weight = cr.tensor(
            np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32),
            requires_grad=True,
        )
        x, k, t = cr.zeros((5, 4)), cr.zeros(5, dtype=cr.int64), cr.zeros((5, 3))
        optimizer = cr.optim.Adam([weight], lr=0.01)
        held = {}

        def step():
            optimizer.zero_grad()
            held["loss"] = loss = loss_fn(weight, x, k, t)
            loss.backward()
            optimizer.step()

        watched = lambda: [
            held["loss"].detach().numpy(),
            weight.detach().numpy(),
            weight.grad.numpy(),
        ]  # noqa: E731
        return [x, k, t], step, watched

    return make


def _model_batch(i):
    data = np.random.default_rng(100 + i)
    x = data.standard_normal((5, 4)).astype(np.float32)
    return [x, data.integers(0, 3, 5), data.random((5, 3)).astype(np.float32)]


def _out(weight, x):
    return F.linear(x, weight)


REPLAYED = {
    "bce_weight": lambda w, x, k, t: F.binary_cross_entropy(
        F.sigmoid(_out(w, x)), (t > 0.5).float(), weight=t
    ),
    "bce_sum": lambda w, x, k, t: F.binary_cross_entropy(F.sigmoid(_out(w, x)), t, reduction="sum"),
    "bce_none": lambda w, x, k, t: F.binary_cross_entropy(
        F.sigmoid(_out(w, x)), t, reduction="none"
    ).mean(),
    "bce_saturated": lambda w, x, k, t: F.binary_cross_entropy(F.sigmoid(_out(w, x) * 60.0), t),
    "bce_logits_pos_weight": lambda w, x, k, t: F.binary_cross_entropy_with_logits(
        _out(w, x), t, pos_weight=t[0]
    ),
    "ce_sum": lambda w, x, k, t: F.cross_entropy(_out(w, x), k, reduction="sum"),
    "ce_none": lambda w, x, k, t: F.cross_entropy(_out(w, x), k, reduction="none").mean(),
    "ce_probabilities": lambda w, x, k, t: F.cross_entropy(_out(w, x), F.softmax(t, dim=1)),
    "ce_labels_computed": lambda w, x, k, t: F.cross_entropy(_out(w, x), (k + 1) % 3),
    "ce_labels_argmax": lambda w, x, k, t: F.cross_entropy(_out(w, x), t.argmax(dim=1)),
    "nll": lambda w, x, k, t: F.nll_loss(F.log_softmax(_out(w, x), dim=1), k),
    "mse": lambda w, x, k, t: F.mse_loss(_out(w, x), t),
    "l1": lambda w, x, k, t: F.l1_loss(_out(w, x), t),
    "smooth_l1": lambda w, x, k, t: F.smooth_l1_loss(_out(w, x), t),
    "bool_mask": lambda w, x, k, t: F.linear(x * (x > 0), w).mean(),
    "int_labels_times_float": lambda w, x, k, t: (_out(w, x) * k[:, None]).mean(),
    "int_over_float": lambda w, x, k, t: (_out(w, x) / (k[:, None] + 1)).mean(),
    "int_sum_promoted": lambda w, x, k, t: _out(w, x).sum() + k.sum(),
    "gather": lambda w, x, k, t: _out(w, x).gather(1, k[:, None]).mean(),
    "index_rows": lambda w, x, k, t: _out(w, x)[k].mean(),
    "index_by_0d_tensor": lambda w, x, k, t: _out(w, x)[k[0]].sum(),
    "embedding": lambda w, x, k, t: F.embedding(k, w).mean() + _out(w, x).mean(),
    "where": lambda w, x, k, t: cr.where(t > 0.5, _out(w, x), _out(w, x) ** 2).mean(),
    "masked_fill": lambda w, x, k, t: _out(w, x).masked_fill(t > 0.5, 0.0).mean(),
    "clamp_abs": lambda w, x, k, t: (
        _out(w, x).clamp(min=-0.5, max=0.5).mean() + _out(w, x).abs().mean()
    ),
    "max_dim_topk_sort": lambda w, x, k, t: (
        _out(w, x).max(dim=1)[0].sum()
        + _out(w, x).topk(2, dim=1)[0].sum()
        + _out(w, x).sort(dim=1)[0][:, 0].sum()
    ),
    "std_var_norm": lambda w, x, k, t: (
        _out(w, x).std() + _out(w, x).var(dim=0).sum() + _out(w, x).norm()
    ),
    "layer_norm": lambda w, x, k, t: F.layer_norm(_out(w, x), (3,)).pow(2).mean(),
    "cat_stack_split": lambda w, x, k, t: (
        cr.cat([_out(w, x), t], dim=1).mean()
        + cr.stack([_out(w, x), t]).mean()
        + sum(part.mean() for part in _out(w, x).split(1, dim=1))
    ),
    "cumsum_prod": lambda w, x, k, t: (
        _out(w, x).cumsum(dim=0).mean() + _out(w, x).prod(dim=1).mean()
    ),
    "detach_product": lambda w, x, k, t: (_out(w, x) * _out(w, x).detach()).mean(),
    "pow_tensor_rpow": lambda w, x, k, t: (
        ((_out(w, x).abs() + 1) ** t).mean() + (2.0 ** _out(w, x)).mean()
    ),
}


@pytest.mark.parametrize("name", sorted(REPLAYED))
def test_ops_in_a_small_model_replay_bit_identically(name):
    _assert_same(_model_step(REPLAYED[name]), _model_batch)


FROZEN = {
    "kl_div": lambda w, x, k, t: F.kl_div(
        F.log_softmax(_out(w, x), dim=1), F.softmax(t, dim=1), reduction="batchmean"
    ),
    "cummax": lambda w, x, k, t: _out(w, x).cummax(dim=0)[0].sum(),
    "cummin": lambda w, x, k, t: _out(w, x).cummin(dim=0).values.sum(),
    "remainder_int": lambda w, x, k, t: _out(w, x).mean() * cr.remainder(k, 2).float().sum(),
    "floor_divide_int": lambda w, x, k, t: _out(w, x).mean() * cr.floor_divide(k, 2).float().sum(),
    "cumprod_int": lambda w, x, k, t: _out(w, x).mean() * (k + 1).cumprod(0)[-1].float(),
}


@pytest.mark.parametrize("name", sorted(FROZEN))
def test_ops_that_compute_in_python_follow_the_batch(name):
    _assert_same(_model_step(FROZEN[name]), _model_batch)


def test_normalize_follows_rows_that_become_zero():
    """The capture's batch has no zero row, so the clamp's masked_fill is not recorded; a
    replay on a batch with one divides 0 by 0 (eager clamps to eps)."""

    def batch(i):
        x, k, t = _model_batch(i)
        k[0] = 0 if i else 1  # row 0 is zeroed from the second batch on
        return [x, k, t]

    def loss(w, x, k, t):
        return F.normalize(_out(w, x) * (k[:, None] > 0), dim=1).sum()

    with np.errstate(divide="ignore", invalid="ignore"):  # the replay's 0 / 0, compared below
        _assert_same(_model_step(loss), batch)


def test_held_grads_and_outputs_are_the_static_arrays_the_replay_writes():
    """A .grad, loss or output held between replays is the array the capture fixed (as CUDA
    graphs keep memory static): it shows each replay's values, equal to the eager ones."""
    model = cr.nn.Sequential(cr.nn.Linear(4, 3, generator=0), cr.nn.ReLU())
    x = cr.zeros((5, 4))
    optimizer = cr.optim.SGD(model.parameters(), lr=0.1)
    graph = cr.CPUGraph()
    with cr.graph(graph):
        optimizer.zero_grad()
        output = model(x)
        loss = output.pow(2).mean()
        loss.backward()
        optimizer.step()
    held, arrays = model[0].weight.grad, (output.detach().numpy(), loss.detach().numpy())
    for i in range(3):
        before = held.numpy().copy()
        x.copy_(cr.tensor(_model_batch(i)[0]))
        graph.replay()
        assert held.numpy() is model[0].weight.grad.numpy()  # Linear's grad written in place
        assert not np.array_equal(before, held.numpy())
        assert all(a is b for a, b in zip((output.detach().numpy(), loss.detach().numpy()), arrays))


def test_an_evaluation_capture_under_no_grad_follows_the_batch():
    model = cr.nn.Sequential(cr.nn.Linear(4, 3, generator=0), cr.nn.Sigmoid())
    x = cr.zeros((5, 4))
    graph = cr.CPUGraph()
    with cr.no_grad(), cr.graph(graph):
        output = (model(x) * 2.0).mean(dim=1)
    for i in range(3):
        batch = _model_batch(i)[0]
        x.copy_(cr.tensor(batch))
        graph.replay()
        with cr.no_grad():
            eager = (model(cr.tensor(batch)) * 2.0).mean(dim=1)
        assert output.numpy().tobytes() == eager.numpy().tobytes()
