"""CPUGraph replays of ``copy_`` of values the step computes, and the label and index checks
each replay makes (the third adversary's cases, part 2 of 3)."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

import chainrule as cr
from chainrule import functional as F
from chainrule.errors import GraphError
from tests.cpugraph.replay_harness import EagerOrReplayed, _grads, _assert_same, _histories, _param


# --- (c) copy_ of a value the step computes ---------------------------------------------------


@pytest.mark.parametrize("form", ["copy", "data", "mul_add", "float64", "broadcast"])
def test_c_polyak_averaging_of_a_whole_target_network(form):
    tau = 0.9

    def make():
        cr.manual_seed(0)
        net = lambda: cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.Tanh(), cr.nn.Linear(4, 1))  # noqa: E731
        online, target, x = net(), net(), cr.zeros(3)
        target.load_state_dict(online.state_dict())
        opt = cr.optim.Adam(online.parameters(), lr=0.05)

        def step():
            opt.zero_grad()
            (online(x) - target(x).detach()).pow(2).sum().backward()
            opt.step()
            with cr.no_grad():
                for t, p in zip(target.parameters(), online.parameters()):
                    if form == "copy":  # DDPG's soft update
                        t.copy_(tau * p + (1 - tau) * t)
                    elif form == "data":
                        t.data.copy_(tau * p.data + (1 - tau) * t.data)
                    elif form == "mul_add":
                        t.mul_(1 - tau).add_(p, alpha=tau)
                    elif form == "float64":  # cast back to float32 by copy_
                        t.copy_((tau * p).double() + (1 - tau) * t.double())
                    else:  # a 0-d value broadcast over the parameter
                        t.copy_((tau * p).mean())

        params = list(target.parameters()) + list(online.parameters())
        return dict(x=x, step=step, watch=lambda: [p.detach().numpy() for p in params])

    _assert_same(make)


@pytest.mark.parametrize("kind", ["row_to_matrix", "to_int", "from_float64"])
def test_c_copy_into_a_buffer_with_casts_and_broadcasting(kind):
    def make():
        w, x = _param(), cr.zeros(3)
        rows, out = cr.zeros((2, 3)), cr.zeros(3, dtype=cr.int64 if kind == "to_int" else None)
        opt = cr.optim.SGD([w], lr=0.1)

        def step():
            opt.zero_grad()
            (w * x).pow(2).sum().backward()
            opt.step()
            with cr.no_grad():
                if kind == "row_to_matrix":
                    rows.copy_(w * 2)
                elif kind == "to_int":
                    out.copy_(w * 3)
                else:
                    out.copy_(w.double() * 3)

        return dict(
            x=x,
            step=step,
            watch=lambda: [w.detach().numpy(), rows.detach().numpy(), out.detach().numpy()],
        )

    _assert_same(make)


def test_c_copy_between_two_static_inputs_is_refused_clearly():
    a, b = cr.zeros(3), cr.ones(3)
    with pytest.raises(GraphError, match=r"copy_: expected no copy_ inside a CPUGraph capture"):
        with cr.graph(cr.CPUGraph()):
            a.copy_(b)


def _copied(form):
    def make():
        w, x, b = _param(), cr.zeros(3), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1)

        def step():
            opt.zero_grad()
            (w * x).pow(2).sum().backward()
            opt.step()
            with cr.no_grad():
                source = {"view": x[:], "flip": x.flip(0), "reshape": x.reshape(3)}.get(form)
                b.copy_(source if source is not None else x.clone())

        return dict(x=x, step=step, watch=lambda: [w.detach().numpy(), b.detach().numpy()])

    return make


@pytest.mark.parametrize("form", ["view", "flip", "reshape", "clone"])
def test_c_copy_of_a_view_or_clone_of_a_static_input_follows_it(form):
    _assert_same(_copied(form))


@pytest.mark.parametrize("source", ["param", "param_detached", "static_detached"])
def test_c_copy_of_a_parameter_or_detached_static_is_refused(source):
    # documented: copy_ of something the step neither computes nor reads before is refused
    # (a DQN hard update, whose online parameters the step reads first, replays: see
    # tests/cpugraph/test_capture_rules.py)
    w, x, b = _param(), cr.zeros(3), cr.zeros(3)
    with pytest.raises(GraphError, match=r"copy_: expected no copy_ inside a CPUGraph capture"):
        with cr.graph(cr.CPUGraph()):
            with cr.no_grad():
                b.copy_({"param": w, "param_detached": w.detach()}.get(source, x.detach()))


def _target_network(update):
    def make():
        cr.manual_seed(0)
        online, target, x = cr.nn.Linear(3, 1), cr.nn.Linear(3, 1), cr.zeros(3)
        opt = cr.optim.SGD(online.parameters(), lr=0.1)

        def step():
            opt.zero_grad()
            (online(x) - target(x).detach()).pow(2).sum().backward()
            opt.step()
            if update == "load_state_dict":  # DQN's hard update
                target.load_state_dict(online.state_dict())
            else:  # older DDPG code rebinds .data
                for t, p in zip(target.parameters(), online.parameters()):
                    t.data = 0.5 * p.data + 0.5 * t.data

        params = list(online.parameters()) + list(target.parameters())
        return dict(x=x, step=step, watch=lambda: [p.detach().numpy() for p in params])

    return make


def test_c_hard_target_update_by_load_state_dict():
    _assert_same(_target_network("load_state_dict"))


def test_c_target_update_by_rebinding_data_is_refused_at_replay():
    with pytest.raises(GraphError, match=r"CPUGraph.replay: expected the parameter of shape"):
        _histories(_target_network("rebind"))


# --- (e) every replay checks labels and embedding indices --------------------------------------


_LOSSES = {
    "cross_entropy": ((4, 3), (4,), F.cross_entropy),
    "cross_entropy_Ncd": ((4, 3, 5), (4, 5), F.cross_entropy),
    "nll_loss_Ncd": ((4, 3, 5), (4, 5), lambda a, b: F.nll_loss(F.log_softmax(a, 1), b)),
}


def _captured_classifier(name):
    shape, label_shape, loss_fn = _LOSSES[name]
    rng = np.random.default_rng(0)
    x, y = (
        cr.tensor(rng.standard_normal(shape).astype(np.float32)),
        cr.zeros(label_shape, dtype=cr.int64),
    )
    y.copy_(cr.tensor(rng.integers(0, 3, label_shape)))
    scale = cr.nn.Parameter(np.ones((1, 3) + (1,) * (len(shape) - 2), dtype=np.float32))
    opt = cr.optim.SGD([scale], lr=0.1)
    graph = cr.CPUGraph()
    with cr.graph(graph):
        opt.zero_grad()
        loss_fn(x * scale, y).backward()
        opt.step()
    return graph, y, scale, rng


@pytest.mark.parametrize("bad", [3, -1])
@pytest.mark.parametrize("name", sorted(_LOSSES))
def test_e_a_bad_label_on_replay_raises_as_eagerly_and_changes_nothing(name, bad):
    graph, y, scale, rng = _captured_classifier(name)
    labels = rng.integers(0, 3, y.shape)
    labels.flat[0] = bad
    y.copy_(cr.tensor(labels))
    before = scale.detach().numpy().copy()
    who = "nll_loss" if name.startswith("nll") else "cross_entropy"
    with pytest.raises(IndexError, match=rf"{who}: expected class indices in \[0, 2\], got {bad}"):
        graph.replay()
    np.testing.assert_array_equal(scale.detach().numpy(), before)
    y.copy_(cr.tensor(rng.integers(0, 3, y.shape)))
    graph.replay()  # a good batch after a refused one replays


@pytest.mark.parametrize("name", sorted(_LOSSES))
def test_e_ignore_index_labels_after_a_plain_capture_are_refused(name):
    graph, y, _, rng = _captured_classifier(name)
    labels = rng.integers(0, 3, y.shape)
    labels.flat[0] = -100
    y.copy_(cr.tensor(labels))
    with pytest.raises(GraphError, match=r"got ignore_index \(-100\) among them"):
        graph.replay()


@pytest.mark.parametrize(
    "loss, config",
    [
        ("cross_entropy", dict(label_smoothing=0.1)),
        ("cross_entropy", dict(weight=np.float32([1, 2, 3]))),
        ("cross_entropy", dict(ignore_index=2)),
        ("nll_loss", dict(weight=np.float32([1, 2, 3]))),
        ("nll_loss", dict(ignore_index=2)),
    ],
)
def test_e_converted_targets_are_refused_at_capture(loss, config):
    config = {k: cr.tensor(v) if k == "weight" else v for k, v in config.items()}
    x, y = cr.zeros((4, 3)), cr.zeros(4, dtype=cr.int64)
    w = cr.nn.Parameter(np.ones(3, dtype=np.float32))
    with pytest.raises(GraphError, match=rf"{loss}: expected targets used as they are"):
        with cr.graph(cr.CPUGraph()):
            getattr(F, loss)(x * w, y, **config).backward()


@pytest.mark.parametrize("bad", [10, -1])
def test_e_embedding_indices_out_of_range_on_replay(bad):
    cr.manual_seed(0)
    embedding, idx = cr.nn.Embedding(10, 3), cr.zeros(4, dtype=cr.int64)
    opt = cr.optim.SGD(embedding.parameters(), lr=0.1)
    graph = cr.CPUGraph()
    with cr.graph(graph):
        opt.zero_grad()
        embedding(idx).pow(2).sum().backward()
        opt.step()
    idx.copy_(cr.tensor(np.array([1, 2, bad, 3])))
    before = embedding.weight.detach().numpy().copy()
    with pytest.raises(IndexError, match=rf"expected indices in \[0, 9\], got {bad}"):
        graph.replay()
    np.testing.assert_array_equal(embedding.weight.detach().numpy(), before)


def _refused_batch_run(captured):
    """Steps with BatchNorm and a seeded Dropout; batch 2 has a bad label, caught and skipped."""
    cr.manual_seed(0)
    model = cr.nn.Sequential(
        cr.nn.Linear(3, 5),
        cr.nn.BatchNorm1d(5),
        cr.nn.Dropout(0.3, generator=3),
        cr.nn.Linear(5, 3),
    )
    x, y = cr.zeros((4, 3)), cr.zeros(4, dtype=cr.int64)
    opt = cr.optim.Adam(model.parameters(), lr=0.01)
    run, arrays, grads = EagerOrReplayed(captured), [], []

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()

    for i in range(5):
        rng = np.random.default_rng(i)
        x.copy_(cr.tensor(rng.standard_normal((4, 3)).astype(np.float32)))
        labels = rng.integers(0, 3, 4)
        labels[1] = 7 if i == 2 else labels[1]
        y.copy_(cr.tensor(labels))
        with contextlib.suppress(IndexError):
            run(step)
        buffers = [b for _, b in model.named_buffers()]
        arrays.append([t.detach().numpy().tobytes() for t in [*buffers, *model.parameters()]])
        grads.append([None if g is None else g.tobytes() for g in _grads(model.parameters())])
    return arrays, grads


def test_e_a_batch_refused_for_its_labels_leaves_buffers_and_params_as_eagerly():
    assert _refused_batch_run(False)[0] == _refused_batch_run(True)[0]


def test_e_a_batch_refused_for_its_labels_leaves_grads_as_eagerly():
    # eager: zero_grad() ran, then the loss raised: every .grad is None; the replay dropped
    # that clear (the store overwrites it) and stopped before the store: last step's .grad
    eager, captured = _refused_batch_run(False)[1], _refused_batch_run(True)[1]
    assert eager[2] == captured[2]
