"""CPUGraph: a captured step replays bit-identically to eager steps, and refuses what it cannot see.

Each case runs the same steps twice from the same weights: eagerly, and as one capture plus
replays (the capture is the first step). Every parameter, gradient, optimizer state, running
statistic, loss and output must match to the last bit.
"""

import contextlib

import numpy as np
import pytest

import chainrule as cr
from chainrule import functional as F
from chainrule import nn
from chainrule.errors import GraphError, ShapeError


def _mlp(sizes, seed, batch_norm=False, dropout=0.0):
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out, generator=seed + i))
        if i < len(sizes) - 2:
            if batch_norm:
                layers.append(nn.BatchNorm1d(n_out))
            layers.append(nn.ReLU())
            if dropout:
                layers.append(nn.Dropout(dropout, generator=seed + 100 + i))
    return nn.Sequential(*layers)


def _batches(rng, steps, n, features, classes=None):
    out = []
    for _ in range(steps):
        x = rng.standard_normal((n, features)).astype(np.float32)
        if classes is None:
            y = rng.standard_normal((n, 1)).astype(np.float32)
        elif classes == 1:
            y = (rng.random((n, 1)) > 0.5).astype(np.float32)
        else:
            y = rng.integers(0, classes, n)
        out.append((x, y))
    return out


def _step(model, loss_fn, optimizer, x, y, clip):
    optimizer.zero_grad()
    output = model(x)
    loss = loss_fn(output, y)
    loss.backward()
    if clip:
        nn.utils.clip_grad_norm_(model.parameters(), clip)
    optimizer.step()
    return output, loss


def _state(model, optimizer, output, loss):
    arrays = [p.detach().numpy().copy() for p in model.parameters()]
    arrays += [np.asarray(p.grad).copy() for p in model.parameters()]
    arrays += [np.asarray(b).copy() for _, b in model.named_buffers()]
    for state in optimizer.state.values():
        arrays += [np.asarray(v).copy() for v in state.values()]
    return arrays + [output.detach().numpy().copy(), loss.detach().numpy().copy()]


def _compare(make, batches, scheduler=None, clip=0.0):
    """Eager steps and capture + replays from the same start; returns both final states."""
    results = []
    for captured in (False, True):
        model, loss_fn, optimizer = make()
        sched = scheduler(optimizer) if scheduler else None
        static_x, static_y = cr.tensor(batches[0][0]), cr.tensor(batches[0][1])
        if captured:
            g = cr.CPUGraph()
            with cr.graph(g):
                output, loss = _step(model, loss_fn, optimizer, static_x, static_y, clip)
        for i, (x, y) in enumerate(batches):
            if sched is not None and i:
                sched.step()
            if i == 0 and captured:
                continue
            static_x.copy_(cr.tensor(x))
            static_y.copy_(cr.tensor(y))
            if captured:
                g.replay()
            else:
                output, loss = _step(model, loss_fn, optimizer, static_x, static_y, clip)
        results.append(_state(model, optimizer, output, loss))
    eager, replayed = results
    assert len(eager) == len(replayed)
    for a, b in zip(eager, replayed):
        np.testing.assert_array_equal(a, b)
    return eager


def test_w1_regression_sgd(rng):
    batches = _batches(rng, 6, 10, 2)

    def make():
        model = nn.Linear(2, 1, bias=False, generator=0)
        return model, nn.MSELoss(), cr.optim.SGD(model.parameters(), lr=0.1)

    _compare(make, batches)


@pytest.mark.parametrize("by_hand", [False, True])
def test_w1_op_by_op_scalars(rng, by_hand):
    xs = [rng.standard_normal(10).astype(np.float32) for _ in range(5)]
    ys = [(3 * x + 1).astype(np.float32) for x in xs]

    def run(captured):
        a, b = cr.tensor(0.5, requires_grad=True), cr.tensor(-0.2, requires_grad=True)
        x, y = cr.tensor(xs[0]), cr.tensor(ys[0])
        optimizer = cr.optim.SGD([a, b], lr=0.05)

        def step():
            nonlocal a, b  # `a -= ...` rebinds the name to the same tensor, updated in place
            if not by_hand:
                optimizer.zero_grad()
            loss = ((a * x + b - y) ** 2).mean()
            loss.backward()
            if by_hand:  # the tutorials' form: update under no_grad, then drop the gradients
                with cr.no_grad():
                    a -= 0.05 * a.grad
                    b -= 0.05 * b.grad
                    a.grad = None
                    b.grad = None
            else:
                optimizer.step()
            return loss

        g = cr.CPUGraph()
        losses = []
        for i in range(len(xs)):
            x.copy_(cr.tensor(xs[i]))
            y.copy_(cr.tensor(ys[i]))
            if captured and i == 0:
                with cr.graph(g):
                    loss = step()
            elif captured:
                g.replay()
            else:
                loss = step()
            losses.append(loss.detach().numpy().copy())
        return losses, a.detach().numpy().copy(), b.detach().numpy().copy()

    eager, replayed = run(False), run(True)
    np.testing.assert_array_equal(eager[0], replayed[0])
    assert eager[1] == replayed[1] and eager[2] == replayed[2]
    assert len(set(float(v) for v in replayed[0])) == len(xs)  # new data each replay


@pytest.mark.parametrize("logits", [False, True])
def test_w2_classification(rng, logits):
    batches = _batches(rng, 5, 90, 2, classes=1)

    def make():
        linear = nn.Linear(2, 1, generator=1)
        model = linear if logits else nn.Sequential(linear, nn.Sigmoid())
        loss_fn = nn.BCEWithLogitsLoss() if logits else nn.BCELoss()
        return model, loss_fn, cr.optim.SGD(model.parameters(), lr=1.0)

    _compare(make, batches)


def test_w3_mlp_momentum_clipping_dropout_batchnorm_step_lr(rng):
    batches = _batches(rng, 6, 64, 64, classes=10)

    def make():
        model = _mlp([64, 128, 128, 10], seed=3, batch_norm=True, dropout=0.1)
        optimizer = cr.optim.SGD(
            model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4
        )
        return model, nn.CrossEntropyLoss(), optimizer

    _compare(
        make, batches, scheduler=lambda o: cr.optim.lr_scheduler.StepLR(o, 2, gamma=0.5), clip=0.5
    )


def test_w3_adam_with_cosine_schedule(rng):
    batches = _batches(rng, 5, 64, 64, classes=10)

    def make():
        model = _mlp([64, 128, 128, 10], seed=5)
        return model, nn.CrossEntropyLoss(), cr.optim.Adam(model.parameters(), lr=1e-2)

    _compare(make, batches, scheduler=lambda o: cr.optim.lr_scheduler.CosineAnnealingLR(o, 4))


def test_w4_large_mlp(rng):
    batches = _batches(rng, 3, 256, 784, classes=10)

    def make():
        model = _mlp([784, 1024, 1024, 10], seed=7)
        return model, nn.CrossEntropyLoss(), cr.optim.SGD(model.parameters(), lr=0.1)

    _compare(make, batches)


def test_dropout_generator_advances_as_in_eager_steps(rng):
    batches = _batches(rng, 4, 32, 8, classes=None)

    def make():
        model = nn.Sequential(
            nn.Linear(8, 16, generator=0),
            nn.Dropout(0.5, generator=9),
            nn.Linear(16, 1, generator=1),
        )
        return model, nn.MSELoss(), cr.optim.SGD(model.parameters(), lr=0.1)

    _compare(make, batches)
    # and the masks do change between replays: two replays on the same data differ
    model, loss_fn, optimizer = make()
    x = cr.tensor(batches[0][0])
    g = cr.CPUGraph()
    with cr.graph(g):
        output = model(x)
    first = output.detach().numpy().copy()
    g.replay()
    assert not np.array_equal(first, output.detach().numpy())


def test_item_and_bool_inside_a_capture_raise():
    w = nn.Parameter([1.0, 2.0])
    for read in (
        lambda t: t.item(),
        lambda t: bool(t > 0),
        lambda t: float(t),
        lambda t: t.tolist(),
    ):
        g = cr.CPUGraph()
        with pytest.raises(GraphError, match=r"inside a CPUGraph capture"):
            with cr.graph(g):
                read((w * w).sum())
        with pytest.raises(GraphError, match="expected a captured graph"):
            g.replay()  # the failed capture left nothing behind


def test_copy_inside_a_capture_raises():
    x = cr.zeros(3)
    with pytest.raises(GraphError, match=r"copy_: expected no copy_ inside a CPUGraph capture"):
        with cr.graph(cr.CPUGraph()):
            x.copy_(cr.ones(3))


def test_a_new_shape_for_a_static_input_raises():
    w = nn.Parameter(np.ones((3, 1), dtype=np.float32))
    x = cr.zeros((4, 3))
    g = cr.CPUGraph()
    with cr.graph(g):
        out = x @ w
    with pytest.raises(ShapeError, match=r"copy_: expected a source that broadcasts to \(4, 3\)"):
        x.copy_(cr.zeros((5, 3)))
    x.data = np.zeros((5, 3), dtype=np.float32)
    with pytest.raises(
        GraphError,
        match=r"replay: expected the static input of shape \(4, 3\) that the capture read to "
        r"keep its memory, got one whose data was replaced .*now shape \(5, 3\)",
    ):
        g.replay()
    assert out.shape == (4, 1)


def test_gradients_that_would_accumulate_must_be_cleared_in_the_step():
    w = nn.Parameter([1.0, 2.0])
    with pytest.raises(GraphError, match=r"expected the captured step to clear the gradients"):
        with cr.graph(cr.CPUGraph()):
            (w * w).sum().backward()


def test_accumulating_without_zero_grad_matches_eager_when_grads_exist():
    def run(captured):
        w = nn.Parameter([1.0, 2.0])
        (w * w).sum().backward()  # a .grad exists before: the step adds to it, eager and replay
        g = cr.CPUGraph()
        for i in range(3):
            if captured and i:
                g.replay()
                continue
            with cr.graph(g) if captured else _nothing():
                (w * w * w).sum().backward()
        return np.asarray(w.grad).copy()

    np.testing.assert_array_equal(run(False), run(True))


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def test_capture_twice_and_replay_before_capture_raise():
    g = cr.CPUGraph()
    with pytest.raises(GraphError, match="expected a captured graph"):
        g.replay()
    with cr.graph(g):
        cr.ones(2) * 2
    with pytest.raises(GraphError, match="expected a new graph"):
        with cr.graph(g):
            pass
    g.reset()
    with cr.graph(g):
        y = cr.ones(2) * 3
    g.replay()
    np.testing.assert_array_equal(y.numpy(), [3.0, 3.0])


@pytest.mark.parametrize(
    "loss",
    [
        lambda x: nn.CrossEntropyLoss(label_smoothing=0.1)(x, cr.tensor([0, 1, 2, 1])),
        lambda x: nn.CrossEntropyLoss(weight=cr.tensor([1.0, 2.0, 1.0]))(
            x, cr.tensor([0, 1, 2, 1])
        ),
        lambda x: nn.BCEWithLogitsLoss()(x, np.ones((4, 3), dtype=np.int64)),
    ],
)
def test_targets_converted_outside_the_op_raise_at_capture(loss):
    x = nn.Parameter(np.zeros((4, 3), dtype=np.float32))
    with pytest.raises(
        GraphError, match=r"expected targets used as they are inside a CPUGraph capture"
    ):
        with cr.graph(cr.CPUGraph()):
            loss(x)
    assert loss(x).shape == ()  # eagerly these are fine


def test_a_replay_writes_into_the_arrays_the_capture_saw(rng):
    # Linear, ReLU and Sigmoid take `into`: their forwards and Linear's weight and bias
    # gradients are written in place, so the output and every .grad keep their memory
    model = nn.Sequential(nn.Linear(3, 4, generator=0), nn.ReLU(), nn.Linear(4, 1, generator=1))
    model = nn.Sequential(model, nn.Sigmoid())
    optimizer = cr.optim.SGD(model.parameters(), lr=0.1)
    x, y = cr.tensor(rng.standard_normal((5, 3)).astype(np.float32)), cr.zeros((5, 1))
    g = cr.CPUGraph()
    with cr.graph(g):
        optimizer.zero_grad()
        output = model(x)
        nn.functional.mse_loss(output, y).backward()
        optimizer.step()
    grads, out = [p._grad for p in model.parameters()], output._data
    x.copy_(rng.standard_normal((5, 3)).astype(np.float32))
    optimizer.zero_grad()  # set_to_none between replays: the replay puts the arrays back
    g.replay()
    assert output._data is out and all(p._grad is a for p, a in zip(model.parameters(), grads))


def test_functions_with_into_give_eager_results_in_the_given_arrays(rng):
    x = rng.standard_normal((6, 3)).astype(np.float32)
    w, b = rng.standard_normal((2, 3)).astype(np.float32), np.ones(2, np.float32)
    for fn, args in ((F.Linear, (x, w, b)), (F.ReLU, (x,)), (F.Sigmoid, (x,))):
        eager, ctx = fn.forward(fn(), *args), fn()
        into = np.empty_like(eager)
        assert fn.forward(ctx, *args, into=into) is into
        np.testing.assert_array_equal(into, eager)
    ctx = F.Linear()
    ctx.needs_input_grad = (False, True, True)
    F.Linear.forward(ctx, x, w, b)
    grad_y = rng.standard_normal((6, 2)).astype(np.float32)
    _, grad_w, grad_b = F.Linear.backward(ctx, grad_y)
    into = (None, np.empty_like(w), np.empty_like(b))
    result = F.Linear.backward(ctx, grad_y, into=into)
    assert result[1] is into[1] and result[2] is into[2]
    np.testing.assert_array_equal(into[1], grad_w)
    np.testing.assert_array_equal(into[2], grad_b)


def test_sgd_settings_changed_between_replays_take_effect(rng):
    batches = _batches(rng, 5, 16, 4)
    finals = []
    for captured in (False, True):
        model = nn.Linear(4, 1, generator=2)
        optimizer = cr.optim.SGD(model.parameters(), lr=0.1)
        static_x, static_y = cr.tensor(batches[0][0]), cr.tensor(batches[0][1])
        g = cr.CPUGraph()
        for i, (x, y) in enumerate(batches):
            if i == 2:  # plain SGD first, then momentum and weight decay from the third step
                optimizer.param_groups[0].update(momentum=0.9, weight_decay=0.01)
            static_x.copy_(x)
            static_y.copy_(y)
            if captured and i:
                g.replay()
                continue
            with cr.graph(g) if captured else contextlib.nullcontext():
                _step(model, nn.MSELoss(), optimizer, static_x, static_y, 0.0)
        finals.append([p.detach().numpy().copy() for p in model.parameters()])
    for a, b in zip(*finals):
        np.testing.assert_array_equal(a, b)


def test_copy_into_a_plain_tensor_writes_its_memory_and_counts_as_a_write(rng):
    x = cr.tensor(np.zeros((2, 3), np.float32))
    memory, version = x._data, x._version
    batch = rng.standard_normal((2, 3)).astype(np.float32)
    assert x.copy_(batch) is x and x._data is memory and x._version == version + 1
    np.testing.assert_array_equal(x.numpy(), batch)
    x.copy_(np.arange(3))  # another dtype and shape: broadcast and cast, as torch
    np.testing.assert_array_equal(x.numpy(), np.tile(np.arange(3, dtype=np.float32), (2, 1)))
    w = cr.tensor(np.ones((3, 1), np.float32), requires_grad=True)
    y = cr.nn.functional.sigmoid(x @ w)  # saves its output
    y.detach().copy_(batch[:, :1])  # shares y's memory and version counter
    with pytest.raises(GraphError, match="output modified by an in-place operation"):
        y.sum().backward()


def test_masks_and_argmax_made_inside_the_step_follow_new_inputs_on_replay():
    """Comparisons, logical ops and argmax/argmax(dim) are recorded, so a replay recomputes a
    mask or a prediction from the new batch instead of reusing the capture's."""
    w = cr.nn.Parameter(cr.ones(2, 3))
    x = cr.tensor([[1.0, -1.0, 2.0], [0.5, 3.0, -2.0]])
    y = cr.tensor([0, 1])
    optimizer = cr.optim.SGD([w], lr=0.1)

    def step():
        optimizer.zero_grad()
        logits = (w * x).masked_fill(~(x > 0), 0.0)
        loss = cr.nn.functional.cross_entropy(logits, y)
        loss.backward()
        optimizer.step()
        correct = (logits.argmax(1) == y).float().mean()
        return loss, correct, logits.max(dim=1).indices, (x > 0).sum()

    graph = cr.CPUGraph()
    with cr.graph(graph):
        replayed = step()
    batches = [[[-1.0, 1.0, 0.5], [4.0, 0.0, -2.0]], [[2.0, 1.0, -3.0], [-1.0, -1.0, 5.0]]]
    w_eager = w.detach().clone()
    for batch in batches:
        x.copy_(cr.tensor(batch))
        graph.replay()
    got = [t.detach().numpy().copy() for t in replayed]
    w_replayed = w.detach().clone()
    with cr.no_grad():
        w.copy_(w_eager)
    for batch in batches:
        x.copy_(cr.tensor(batch))
        expected = [t.detach().numpy() for t in step()]
    for a, b in zip(got, expected):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(w_replayed.numpy(), w.detach().numpy())


def test_sorting_and_elementwise_tests_follow_new_inputs_and_shape_changing_ops_are_refused():
    w = cr.nn.Parameter(cr.ones(4))
    x = cr.tensor([3.0, -1.0, 2.0, 0.5])
    optimizer = cr.optim.SGD([w], lr=0.0)

    def step():
        optimizer.zero_grad()
        v = w * x
        loss = v.topk(2).values.sum() + v.sort(descending=True).values[0] + v.kthvalue(2).values
        loss = loss + cr.logical_and(v > 0, v < 2.5).float().sum() + cr.isfinite(v).float().sum()
        loss.backward()
        optimizer.step()
        return loss, v.argsort()

    graph = cr.CPUGraph()
    with cr.graph(graph):
        replayed = step()
    x.copy_(cr.tensor([-5.0, 4.0, 1.0, 2.0]))
    graph.replay()
    got = [t.detach().numpy().copy() for t in replayed]
    expected = [t.detach().numpy() for t in step()]
    for a, b in zip(got, expected):
        np.testing.assert_array_equal(a, b)
    for op in (cr.unique, lambda v: v.masked_select(v > 0)):
        with pytest.raises(GraphError, match="inside a CPUGraph capture"):
            with cr.graph(cr.CPUGraph()):
                optimizer.zero_grad()
                op(w * x).sum().backward()
