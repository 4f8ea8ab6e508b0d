"""Replays of ops that run as bare NumPy calls (``replay_calls`` / ``replay_backward``).

Each program runs eagerly for some steps, and again as one capture plus replays, from the
same start and on the same batches (copied into static tensors); every loss, parameter and
gradient must match to the last bit. The programs are chosen for what the replay compiler
must get right: broadcasting sums, a tensor used twice (two gradient paths, summed), a Python
backward in the middle of bare ones (static and dynamic slots meeting), gradients added to
existing .grad arrays, and labels that change from batch to batch.
"""

import numpy as np
import pytest

import chainrule as cr
from chainrule import functional as F
from chainrule.cpugraph.backward import _PythonNode


def _run(make, batches, captured, lr=0.05):
    params, step = make()
    static = [cr.tensor(array.copy()) for array in batches[0]]
    history = []

    def body():
        for p in params:
            p.grad = None
        loss = step(params, *static)
        loss.backward()
        with cr.no_grad():
            for p in params:
                p -= lr * p.grad
        return loss

    if captured:
        graph = cr.CPUGraph()
        with cr.graph(graph):
            loss = body()
    for i, batch in enumerate(batches):
        if captured and i == 0:
            history.append(loss.detach().numpy().copy())
            continue
        for tensor, array in zip(static, batch):
            tensor.copy_(cr.tensor(array))
        if captured:
            graph.replay()
        else:
            loss = body()
        history.append(loss.detach().numpy().copy())
    state = [p.detach().numpy().copy() for p in params] + [
        np.asarray(p.grad).copy() for p in params
    ]
    return history, state, graph if captured else None


def _bits(arrays):
    return [np.asarray(a).tobytes() for a in arrays]


def _same(make, batches):
    eager_losses, eager_state, _ = _run(make, batches, captured=False)
    losses, state, graph = _run(make, batches, captured=True)
    assert _bits(eager_losses) == _bits(losses)
    assert _bits(eager_state) == _bits(state)
    return graph


def _params(seed, *shapes):
    rng = np.random.default_rng(seed)  # the same start for the eager and the captured run
    return [
        cr.tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True) for s in shapes
    ]


def _data(rng, steps, *shapes):
    return [[rng.standard_normal(s).astype(np.float32) for s in shapes] for _ in range(steps)]


def _python_nodes(graph):
    return sum(isinstance(step, _PythonNode) for step in graph._steps)


def test_scalar_parameters_broadcast_over_the_points_all_bare():
    seed = 0

    def make():
        return _params(seed, (), ()), lambda p, x, y: ((p[0] * x + p[1] - y) ** 2).mean()

    graph = _same(make, _data(np.random.default_rng(1), 6, (10,), (10,)))
    assert _python_nodes(graph) == 0


@pytest.mark.parametrize(
    "program",
    [
        lambda p, x, y: ((x * p[0] + p[1]) * (x - p[1])).mean(),  # rows and columns broadcast
        lambda p, x, y: ((p[1] - x) * p[0] - y).mean(),  # Sub's second input summed down
        lambda p, x, y: (p[0] * p[0] + p[0] * x - p[1]).mean(),  # one leaf on three paths
        lambda p, x, y: ((x * p[0]) ** 2 + x * p[0] * p[1]).mean(),  # a node used twice
    ],
)
def test_broadcasting_and_paths_that_meet(program):
    seed = 2

    def make():
        return _params(seed, (1, 3), (4, 1)), program

    graph = _same(make, _data(np.random.default_rng(3), 5, (4, 3), (4, 3)))
    assert _python_nodes(graph) == 0


@pytest.mark.parametrize(
    "program",
    [
        lambda p, x, y: (F.tanh(p[0] * x) * p[1]).mean(),  # Python (tanh) between bare ops
        lambda p, x, y: (F.tanh(p[0] * x) + p[0] * x + p[1]).mean(),  # static and dynamic meet
        lambda p, x, y: ((p[0] * x) ** 3).mean() + (p[1] * y).mean(),  # x ** 3 runs in Python
        lambda p, x, y: (p[0] * x).mean(dim=1).sum() * p[1].sum(),  # mean over a dim: Python
    ],
)
def test_python_backwards_among_bare_ones(program):
    seed = 4

    def make():
        return _params(seed, (1, 3), (4, 3)), program

    graph = _same(make, _data(np.random.default_rng(5), 5, (4, 3), (4, 3)))
    assert _python_nodes(graph) >= 1


@pytest.mark.parametrize("head", ["bce", "cross_entropy", "mse"])
def test_mlps_with_changing_labels(head):
    seed = 6
    classes = 1 if head == "bce" else 3

    def make():
        w1, b1, w2, b2 = _params(seed, (5, 4), (5,), (classes, 5), (classes,))

        def step(p, x, y):
            out = F.linear(F.relu(F.linear(x, p[0], p[1])), p[2], p[3])
            if head == "bce":
                return F.binary_cross_entropy(F.sigmoid(out), y)
            if head == "cross_entropy":
                return F.cross_entropy(out, y)
            return F.mse_loss(out, y)

        return [w1, b1, w2, b2], step

    data = np.random.default_rng(7)
    batches = []
    for _ in range(6):
        x = data.standard_normal((8, 4)).astype(np.float32)
        if head == "bce":
            y = (data.random((8, 1)) > 0.5).astype(np.float32)
        elif head == "cross_entropy":
            y = data.integers(0, classes, 8)
        else:
            y = data.standard_normal((8, classes)).astype(np.float32)
        batches.append([x, y])
    _same(make, batches)


def test_a_linear_layer_on_three_dimensional_inputs():
    seed = 8

    def make():
        return _params(seed, (2, 3), (2,)), lambda p, x, y: (F.linear(x, p[0], p[1]) * y).mean()

    _same(make, _data(np.random.default_rng(9), 4, (5, 4, 3), (5, 4, 2)))


def test_two_backwards_in_one_step_add_into_the_grads():
    a, b = _params(10, (3,), (3,))
    x = cr.tensor(np.random.default_rng(12).standard_normal(3).astype(np.float32))

    def body():
        a.grad = b.grad = None
        (a * x).sum().backward()
        ((a * b) ** 2).mean().backward()  # adds into a.grad, sets b.grad
        with cr.no_grad():
            a.sub_(0.1 * a.grad)
            b.sub_(0.1 * b.grad)

    for _ in range(4):
        body()
    eager = [
        a.detach().numpy().copy(),
        b.detach().numpy().copy(),
        a.grad.numpy().copy(),
        b.grad.numpy().copy(),
    ]
    a2, b2 = _params(10, (3,), (3,))
    a.data, b.data = a2.data, b2.data
    graph = cr.CPUGraph()
    with cr.graph(graph):
        body()
    for _ in range(3):
        graph.replay()
    assert _bits(eager) == _bits(
        [a.detach().numpy(), b.detach().numpy(), a.grad.numpy(), b.grad.numpy()]
    )


def test_bare_forms_are_skipped_for_the_cases_they_do_not_cover():
    seed, rng = 11, np.random.default_rng(13)

    def make():
        w = _params(seed, (3,))

        def step(p, x, y):
            weighted = F.binary_cross_entropy(
                F.sigmoid(p[0] * x), y, weight=cr.tensor(np.float32(2))
            )
            summed = F.cross_entropy(
                (p[0] * x).reshape(1, 3), cr.tensor(np.array([1])), reduction="sum"
            )
            return weighted + summed + (p[0] ** 2).mean()

        return w, step

    batches = [
        [rng.standard_normal(3).astype(np.float32), (rng.random(3) > 0.5).astype(np.float32)]
        for _ in range(4)
    ]
    _same(make, batches)


def test_retain_grad_on_an_activation_made_in_the_step_replays():
    # the activation is new on every eager step, so its .grad need not be cleared in the step
    def run(captured):
        a = cr.tensor(np.ones(3, np.float32), requires_grad=True)
        x = cr.tensor(np.arange(3, dtype=np.float32))
        grads = []

        def body():
            a.grad = None
            h = a * x
            h.retain_grad()
            (h * h).mean().backward()
            with cr.no_grad():
                a.sub_(0.1 * a.grad)
            return h

        if captured:
            graph = cr.CPUGraph()
            with cr.graph(graph):
                h = body()
        for i in range(4):
            if i:
                x.copy_(cr.tensor(np.full(3, i, np.float32)))
                if captured:
                    graph.replay()
            if not captured:
                h = body()
            grads.append(h.grad.numpy().copy())
        return grads + [a.detach().numpy().copy()]

    assert _bits(run(False)) == _bits(run(True))
