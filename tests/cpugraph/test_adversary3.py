"""Third adversary of CPUGraph: the newest fixes (optimizers reading .grad at replay, ``p.grad =
t`` and ``copy_`` recorded, schedulers stepped inside a capture, labels checked per replay) and
training-loop idioms copied from PyTorch tutorials and the CUDA-graph docs.

Each case runs the same steps eagerly and as capture + replays from the same start, on the same
batches, with the same edits between steps; every watched array (dtype and bytes, or None) must
agree, or the capture must raise a GraphError. Schedulers stepped inside a capture are in
tests/optim/test_scheduler_capture.py. The xfails are bugs found here, each a minimal
reproduction (strict: they flip once fixed).
"""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

import chainrule as cr
from chainrule import functional as F
from chainrule.errors import GraphError


def _histories(make, steps=4, between=None, warmup=0):
    """Per-step snapshots of eager steps and of (warm-up, capture, replays).

    ``make()`` returns a dict: ``x`` (a static input of shape (3,) fed i-dependent batches),
    ``step``, ``watch`` (arrays or None) and anything ``between(i, state)`` edits."""
    histories = []
    for captured in (False, True):
        state = make()
        history, graph = [], None
        for i in range(steps):
            state["x"].copy_(cr.tensor(np.float32([1.0, -2.0, 0.5]) * (i + 1)))
            if between is not None:
                between(i, state)
            if graph is not None:
                graph.replay()
            elif captured and i == warmup:
                graph = cr.CPUGraph()
                with cr.graph(graph):
                    state["step"]()
            else:
                state["step"]()
            snapshot = [None if a is None else (a.dtype.str, a.tobytes()) for a in state["watch"]()]
            history.append(snapshot)
        histories.append(history)
    return histories


def _assert_same(make, steps=4, between=None, warmup=0):
    eager, captured = _histories(make, steps, between, warmup)
    for i, (a, b) in enumerate(zip(eager, captured)):
        differ = [k for k, (x, y) in enumerate(zip(a, b)) if x != y]
        assert not differ, f"step {i} differs in watched arrays {differ}"


def _grad(t):
    return None if t.grad is None else t.grad.numpy()


def _param(values=(0.5, -1.0, 2.0)):
    return cr.nn.Parameter(np.float32(values))


_OPTIMIZERS = {
    "sgd": lambda p: cr.optim.SGD(p, lr=0.1),
    "sgd_momentum": lambda p: cr.optim.SGD(p, lr=0.1, momentum=0.9),
    "sgd_nesterov": lambda p: cr.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    "sgd_decay_maximize": lambda p: cr.optim.SGD(p, lr=0.1, weight_decay=0.1, maximize=True),
    "adam": lambda p: cr.optim.Adam(p, lr=0.1),
    "adamw_amsgrad": lambda p: cr.optim.AdamW(p, lr=0.1, amsgrad=True),
    "rmsprop": lambda p: cr.optim.RMSprop(p, lr=0.01, momentum=0.5),
    "adagrad": lambda p: cr.optim.Adagrad(p, lr=0.1),
}


# --- (a) optimizer replays read .grad at replay time -----------------------------------------


def _w_and_u(optimizer):
    """w is trained by the step; u is in the optimizer but not in the loss: its .grad is
    whatever the user left there between steps."""

    def make():
        w, u, x = _param(), _param((1.0, 2.0, 3.0)), cr.zeros(3)
        opt = _OPTIMIZERS[optimizer]([w, u])

        def step():
            w.grad = None
            (w * x).pow(2).sum().backward()
            opt.step()

        watch = lambda: [w.numpy(), u.numpy(), _grad(w), _grad(u)]  # noqa: E731
        return dict(x=x, step=step, watch=watch, u=u)

    return make


@pytest.mark.parametrize("optimizer", sorted(_OPTIMIZERS))
def test_a_grad_set_at_capture_and_none_later_is_skipped_as_eagerly(optimizer):
    def between(i, state):
        state["u"].grad = cr.ones(3) if i == 0 else None

    _assert_same(_w_and_u(optimizer), between=between)


@pytest.mark.parametrize("optimizer", sorted(_OPTIMIZERS))
def test_a_grad_replaced_between_replays_is_read_at_replay(optimizer):
    def between(i, state):
        state["u"].grad = cr.full((3,), float(i + 1))

    _assert_same(_w_and_u(optimizer), between=between)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_a_grad_none_at_capture_and_set_later_is_stepped(optimizer):
    # eager: step() updates u once u.grad is set; replay: u was not in the capture's updates
    def between(i, state):
        state["u"].grad = cr.ones(3) if i >= 2 else None

    _assert_same(_w_and_u(optimizer), between=between)


def test_a_param_group_added_after_capture_is_stepped():
    def make():
        w, v, x = _param(), _param((1.0, 2.0, 3.0)), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1)

        def step():
            w.grad = v.grad = None
            (w * x + v).pow(2).sum().backward()
            opt.step()

        return dict(x=x, step=step, watch=lambda: [w.numpy(), v.numpy()], opt=opt, v=v)

    def between(i, state):
        if i == 2:
            state["opt"].add_param_group({"params": [state["v"]], "lr": 0.2})

    _assert_same(make, between=between)


@pytest.mark.parametrize("optimizer", sorted(_OPTIMIZERS))
def test_a_every_optimizer_with_lr_edits_and_a_warm_up(optimizer):
    def make():
        cr.manual_seed(0)
        model = cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.Tanh(), cr.nn.Linear(4, 1))
        x, params = cr.zeros(3), list(model.parameters())
        opt = _OPTIMIZERS[optimizer](params)

        def step():
            opt.zero_grad()
            model(x).pow(2).sum().backward()
            opt.step()

        state = lambda: [v for s in opt.state.values() for v in s.values()]  # noqa: E731
        watch = lambda: [p.numpy() for p in params] + [np.asarray(v) for v in state()]  # noqa: E731
        return dict(x=x, step=step, watch=watch, opt=opt)

    def between(i, state):
        state["opt"].param_groups[0]["lr"] = 0.05 / (i + 1)

    _assert_same(make, steps=5, between=between, warmup=2)


def _stateful(optimizer):
    def make():
        w, x = _param(), cr.zeros(3)
        opt = _OPTIMIZERS[optimizer]([w])

        def step():
            opt.zero_grad()
            (w * x).pow(2).sum().backward()
            opt.step()

        return dict(x=x, step=step, watch=lambda: [w.numpy()], opt=opt, w=w)

    return make


@pytest.mark.parametrize(
    "optimizer, how", [("adam", "clear"), ("adam", "load_fresh"), ("sgd_momentum", "clear")]
)
def test_a_optimizer_state_reset_between_replays_starts_afresh(optimizer, how):
    # eager: step() makes new state (Adam's step 1 again); replay: self.state[id(param)] raises
    # a bare KeyError (the parameter's id) from inside g.replay()

    def between(i, state):
        if i == 2 and how == "clear":
            state["opt"].state.clear()
        elif i == 2:
            fresh = _OPTIMIZERS[optimizer]([state["w"]])
            state["opt"].load_state_dict(fresh.state_dict())

    _assert_same(_stateful(optimizer), between=between)


@pytest.mark.parametrize("optimizer", ["adam", "sgd_momentum"])
def test_a_optimizer_state_loaded_between_replays_is_read_at_replay(optimizer):
    saved = {}

    def between(i, state):
        if i == 1:
            saved["state"] = state["opt"].state_dict()
        if i == 3:
            state["opt"].load_state_dict(saved["state"])

    _assert_same(_stateful(optimizer), steps=5, between=between)


# --- (b) p.grad = t inside the step -----------------------------------------------------------


def _set_grad(kind, after):
    def make():
        w, x = _param(), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1, momentum=0.9)
        outside = cr.ones(3)

        def step():
            if kind == "outside":
                w.grad = outside
            elif kind == "inside":
                w.grad = cr.ones(3)
            elif kind == "of_w":
                w.grad = (w * 2).detach()
            else:
                w.grad = x * 0.5
            if after == "backward":
                (w * x).pow(2).sum().backward()
            elif after == "clip_value":
                cr.nn.utils.clip_grad_value_([w], 0.4)
            elif after == "clip_norm":
                cr.nn.utils.clip_grad_norm_([w], 0.5)
            opt.step()

        watch = lambda: [w.numpy(), _grad(w), outside.numpy()]  # noqa: E731
        return dict(x=x, step=step, watch=watch)

    return make


@pytest.mark.parametrize("kind", ["outside", "inside", "of_w", "of_x"])
def test_b_grad_set_in_the_step_then_step(kind):
    _assert_same(_set_grad(kind, "step"))


@pytest.mark.parametrize("kind", ["inside", "of_w", "of_x"])
def test_b_grad_set_in_the_step_then_backward_adds_to_it(kind):
    _assert_same(_set_grad(kind, "backward"))


def test_b_grad_set_to_an_outside_tensor_then_backward():
    # eager (as torch): backward adds into t's memory, so t grows and the next step reads it;
    # a replay gives w a copy of t's capture-time value and leaves t alone
    _assert_same(_set_grad("outside", "backward"))


@pytest.mark.parametrize("clip", ["clip_norm", "clip_value"])
@pytest.mark.parametrize("kind", ["inside", "of_x"])
def test_b_grad_set_in_the_step_then_clipped(kind, clip):
    _assert_same(_set_grad(kind, clip))


@pytest.mark.parametrize("clip", ["norm", "value"])
@pytest.mark.parametrize("zero_at_end", [False, True])
def test_b_clipping_with_zero_grad_at_either_end(clip, zero_at_end):
    def make():
        cr.manual_seed(0)
        model, x = cr.nn.Linear(3, 2), cr.zeros(3)
        opt = cr.optim.SGD(model.parameters(), lr=0.1)

        def step():
            if not zero_at_end:
                opt.zero_grad()
            model(x).pow(2).sum().backward()
            if clip == "norm":
                cr.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
            else:
                cr.nn.utils.clip_grad_value_(model.parameters(), 0.3)
            opt.step()
            if zero_at_end:
                opt.zero_grad()

        params = list(model.parameters())
        return dict(x=x, step=step, watch=lambda: [p.numpy() for p in params] + _grads(params))

    _assert_same(make)


def _grads(tensors):
    return [_grad(t) for t in tensors]


def test_b_grad_divided_in_place_through_the_property():
    # `p.grad /= n` calls the .grad setter with p's own gradient array; the capture takes that
    # array for a constant and every replay sets .grad to the capture's gradient / n
    def make():
        w, x = _param(), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1)

        def step():
            opt.zero_grad()
            (w * x).pow(2).sum().backward()
            w.grad /= 4.0  # averaging over workers or micro-batches
            opt.step()

        return dict(x=x, step=step, watch=lambda: [w.numpy(), _grad(w)])

    _assert_same(make)


@pytest.mark.parametrize("form", ["div_", "mul_", "alias", "data", "out_of_place"])
def test_b_grad_scaled_inside_the_step_in_the_other_forms(form):
    def make():
        w, x = _param(), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1)

        def step():
            opt.zero_grad()
            (w * x).pow(2).sum().backward()
            if form == "div_":
                w.grad.div_(4.0)
            elif form == "mul_":
                w.grad.mul_(0.25)
            elif form == "alias":
                grad = w.grad
                grad *= 0.25
            elif form == "data":
                w.grad.data.mul_(0.25)
            else:
                w.grad = w.grad / 4.0
            opt.step()

        return dict(x=x, step=step, watch=lambda: [w.numpy(), _grad(w)])

    _assert_same(make)


def test_b_grad_set_to_a_static_tensor_refilled_between_replays():
    # gradients computed elsewhere (another process, a hand-written backward) copied into a
    # static tensor before each step: eager reads its values now, a replay the capture's
    def make():
        w, x, given = _param(), cr.zeros(3), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1)

        def step():
            w.grad = given
            opt.step()

        return dict(x=x, step=step, watch=lambda: [w.numpy(), _grad(w)], given=given)

    def between(i, state):
        state["given"].copy_(state["x"])

    _assert_same(make, between=between)


def test_b_a_tensor_given_as_grad_holds_what_backward_added():
    # eager (and torch): p.grad is t, so backward adds into t; a replay gives p a copy of t
    def make():
        w, x, held = _param(), cr.zeros(3), {}

        def step():
            w.grad = held["t"] = (w * 2).detach()
            (w * x).pow(2).sum().backward()

        return dict(x=x, step=step, watch=lambda: [_grad(w), held["t"].numpy()])

    _assert_same(make)


def test_b_clipping_a_grad_the_user_replaced_between_replays():
    # the adv2 fix made zeroing and accumulation follow the .grad there is now; clipping
    # still scales the array the capture saw
    def make():
        w, x = _param(), cr.zeros(3)
        opt = cr.optim.SGD([w], lr=0.1)

        def step():
            opt.zero_grad(set_to_none=False)
            (w * x).pow(2).sum().backward()
            cr.nn.utils.clip_grad_norm_([w], 0.5)
            opt.step()

        return dict(x=x, step=step, watch=lambda: [w.numpy(), _grad(w)], w=w)

    def between(i, state):
        if i >= 2:
            state["w"].grad = cr.full((3,), 5.0)

    _assert_same(make, between=between, warmup=1)


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
        return dict(x=x, step=step, watch=lambda: [p.numpy() for p in params])

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

        return dict(x=x, step=step, watch=lambda: [w.numpy(), rows.numpy(), out.numpy()])

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

        return dict(x=x, step=step, watch=lambda: [w.numpy(), b.numpy()])

    return make


@pytest.mark.parametrize("form", ["view", "flip", "reshape", "clone"])
def test_c_copy_of_a_view_or_clone_of_a_static_input_follows_it(form):
    _assert_same(_copied(form))


@pytest.mark.parametrize("source", ["param", "param_detached", "static_detached"])
def test_c_copy_of_a_parameter_or_detached_static_is_refused(source):
    # documented (copy_ of anything the step did not compute), though a DQN hard update
    # `target.copy_(online)` is replayable, and load_state_dict of the same replays (below)
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
        return dict(x=x, step=step, watch=lambda: [p.numpy() for p in params])

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
    before = scale.numpy().copy()
    who = "nll_loss" if name.startswith("nll") else "cross_entropy"
    with pytest.raises(IndexError, match=rf"{who}: expected class indices in \[0, 2\], got {bad}"):
        graph.replay()
    np.testing.assert_array_equal(scale.numpy(), before)
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
    before = embedding.weight.numpy().copy()
    with pytest.raises(IndexError, match=rf"expected indices in \[0, 9\], got {bad}"):
        graph.replay()
    np.testing.assert_array_equal(embedding.weight.numpy(), before)


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
    graph, arrays, grads = None, [], []

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
            if graph is not None:
                graph.replay()
            elif captured:
                graph = cr.CPUGraph()
                with cr.graph(graph):
                    step()
            else:
                step()
        buffers = [b for _, b in model.named_buffers()]
        arrays.append([t.numpy().tobytes() for t in [*buffers, *model.parameters()]])
        grads.append([None if g is None else g.tobytes() for g in _grads(model.parameters())])
    return arrays, grads


def test_e_a_batch_refused_for_its_labels_leaves_buffers_and_params_as_eagerly():
    assert _refused_batch_run(False)[0] == _refused_batch_run(True)[0]


def test_e_a_batch_refused_for_its_labels_leaves_grads_as_eagerly():
    # eager: zero_grad() ran, then the loss raised: every .grad is None; the replay dropped
    # that clear (the store overwrites it) and stopped before the store: last step's .grad
    eager, captured = _refused_batch_run(False)[1], _refused_batch_run(True)[1]
    assert eager[2] == captured[2]


# --- (f) training-loop idioms -----------------------------------------------------------------


def test_f_cuda_graph_docs_loop_static_outputs_after_warm_up():
    """torch's whole-network capture: warm up, capture forward+backward+step, read the static
    loss and output after each replay."""

    def make():
        cr.manual_seed(0)
        model = cr.nn.Sequential(cr.nn.Linear(3, 8), cr.nn.ReLU(), cr.nn.Linear(8, 2))
        x, outs = cr.zeros(3), {}
        opt = cr.optim.Adam(model.parameters(), lr=0.01)

        def step():
            opt.zero_grad(set_to_none=True)
            outs["y"] = model(x)
            outs["loss"] = F.mse_loss(outs["y"], cr.ones(2))
            outs["loss"].backward()
            opt.step()

        params = list(model.parameters())
        watch = lambda: [outs["y"].numpy(), outs["loss"].numpy()] + [p.numpy() for p in params]  # noqa: E731
        return dict(x=x, step=step, watch=watch)

    _assert_same(make, steps=6, warmup=3)


def _train_and_eval(captured, steps=4):
    cr.manual_seed(0)
    model = cr.nn.Sequential(
        cr.nn.Linear(3, 5), cr.nn.BatchNorm1d(5), cr.nn.Tanh(), cr.nn.Linear(5, 1)
    )
    x, probe = cr.zeros((4, 3)), cr.tensor(np.float32([[0.1, 0.2, 0.3]]))
    opt = cr.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    outs, history = {}, []

    def train():
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()

    def evaluate():
        with cr.no_grad():
            outs["eval"] = model(probe)

    graphs = None
    for i in range(steps):
        x.copy_(cr.tensor(np.random.default_rng(i).standard_normal((4, 3)).astype(np.float32)))
        if graphs is not None:
            model.train()
            graphs[0].replay()
            graphs[1].replay()
        else:
            model.train()
            if captured:
                graphs = cr.CPUGraph(), cr.CPUGraph()
                with cr.graph(graphs[0]):
                    train()
            else:
                train()
            model.eval()
            if captured:
                with cr.graph(graphs[1]):
                    evaluate()
            else:
                evaluate()
        buffers = [b.numpy().tobytes() for _, b in model.named_buffers()]
        history.append(
            [
                outs["eval"].numpy().tobytes(),
                *buffers,
                *(p.numpy().tobytes() for p in model.parameters()),
            ]
        )
    return history


def test_f_an_eval_graph_under_no_grad_replayed_beside_the_training_graph():
    assert _train_and_eval(False) == _train_and_eval(True)


def test_f_two_graphs_sharing_one_optimizer_alternate():
    """Two batch shapes (a full batch and the last, shorter one), one graph each, one Adam."""

    def run(captured):
        cr.manual_seed(0)
        model = cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.ReLU(), cr.nn.Linear(4, 1))
        opt = cr.optim.Adam(model.parameters(), lr=0.01)
        statics = {4: cr.zeros((4, 3)), 2: cr.zeros((2, 3))}
        graphs, history = {}, []

        def step(x):
            opt.zero_grad()
            model(x).pow(2).mean().backward()
            opt.step()

        for i, n in enumerate([4, 2, 4, 2, 4, 4, 2]):
            statics[n].copy_(
                cr.tensor(np.random.default_rng(i).standard_normal((n, 3)).astype(np.float32))
            )
            if not captured:
                step(statics[n])
            elif n in graphs:
                graphs[n].replay()
            else:
                graphs[n] = cr.CPUGraph()
                with cr.graph(graphs[n]):
                    step(statics[n])
            state = [v for s in opt.state.values() for v in s.values()]
            history.append([np.asarray(v).tobytes() for v in [*model.parameters(), *state]])
        return history

    assert run(False) == run(True)


def test_f_gradient_accumulation_over_replays_with_step_outside():
    def run(captured, micro=3, steps=3):
        cr.manual_seed(0)
        model, x = cr.nn.Linear(3, 2), cr.zeros((2, 3))
        opt = cr.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        graph, history, k = None, [], 0

        def backward():
            (model(x).pow(2).mean() / micro).backward()

        for _ in range(steps):
            for _ in range(micro):
                x.copy_(
                    cr.tensor(np.random.default_rng(k).standard_normal((2, 3)).astype(np.float32))
                )
                if graph is not None:
                    graph.replay()
                elif captured and k == 1:  # one eager micro-batch first, as the README says
                    graph = cr.CPUGraph()
                    with cr.graph(graph):
                        backward()
                else:
                    backward()
                k += 1
                history.append([p.grad.numpy().tobytes() for p in model.parameters()])
            opt.step()
            opt.zero_grad(set_to_none=False)
            history.append([p.numpy().tobytes() for p in model.parameters()])
        return history

    assert run(False) == run(True)


def test_f_a_float64_head_on_a_float32_body():
    def make():
        cr.manual_seed(0)
        body, head = cr.nn.Linear(3, 4), cr.nn.Linear(4, 1).double()
        x, params = cr.zeros(3), list(body.parameters()) + list(head.parameters())
        opt = cr.optim.AdamW(params, lr=0.01)

        def step():
            opt.zero_grad()
            head(body(x).tanh().double()).pow(2).sum().backward()
            opt.step()

        return dict(x=x, step=step, watch=lambda: [p.numpy() for p in params] + _grads(params))

    _assert_same(make)


def test_f_tied_embedding_and_output_weights():
    def make():
        cr.manual_seed(0)
        embedding, out = cr.nn.Embedding(6, 3), cr.nn.Linear(3, 6, bias=False)
        out.weight = embedding.weight  # weight tying, as in language models
        idx, x = cr.zeros(4, dtype=cr.int64), cr.zeros(3)
        opt = cr.optim.Adam(embedding.parameters(), lr=0.05)

        def step():
            opt.zero_grad()
            logits = out(embedding(idx) * x)
            F.cross_entropy(logits, (idx + 1) % 6).backward()
            opt.step()

        state = dict(x=x, step=step, idx=idx)
        state["watch"] = lambda: [embedding.weight.numpy(), _grad(embedding.weight)]
        return state

    def between(i, state):
        state["idx"].copy_(cr.tensor(np.array([i, i + 1, 5 - i, 0]) % 6))

    _assert_same(make, steps=5, between=between)


@pytest.mark.parametrize("generator", [None, 7])
def test_f_dropout_with_a_generator(generator):
    def make():
        cr.manual_seed(0)
        model = cr.nn.Sequential(
            cr.nn.Linear(3, 8), cr.nn.Dropout(0.5, generator=generator), cr.nn.Linear(8, 1)
        )
        x, params = cr.zeros(3), list(model.parameters())
        opt = cr.optim.SGD(params, lr=0.1)

        def step():
            opt.zero_grad()
            model(x).pow(2).sum().backward()
            opt.step()

        return dict(x=x, step=step, watch=lambda: [p.numpy() for p in params] + _grads(params))

    _assert_same(make, steps=5)


def test_f_a_gan_step_with_two_optimizers_in_one_graph():
    """The DCGAN tutorial's step: D on real and detached fake, then G through D."""

    def make():
        cr.manual_seed(0)
        gen = cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.Tanh(), cr.nn.Linear(4, 3))
        disc = cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.LeakyReLU(0.2), cr.nn.Linear(4, 1))
        x, noise, ones, zeros = cr.zeros(3), cr.ones((2, 3)), cr.ones((2, 1)), cr.zeros((2, 1))
        opt_g = cr.optim.Adam(gen.parameters(), lr=0.01, betas=(0.5, 0.999))
        opt_d = cr.optim.Adam(disc.parameters(), lr=0.01, betas=(0.5, 0.999))
        bce = F.binary_cross_entropy_with_logits

        def step():
            fake = gen(noise * x)
            opt_d.zero_grad()
            real_loss = bce(disc(x.reshape(1, 3)), ones[:1])
            (real_loss + bce(disc(fake.detach()), zeros)).backward()
            opt_d.step()
            opt_g.zero_grad()
            bce(disc(fake), ones).backward()
            opt_g.step()

        params = list(gen.parameters()) + list(disc.parameters())
        return dict(x=x, step=step, watch=lambda: [p.numpy() for p in params] + _grads(params))

    _assert_same(make, steps=5)


def test_f_batchnorm_trained_by_replays_then_evaluated_eagerly():
    def run(captured):
        cr.manual_seed(0)
        model = cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.BatchNorm1d(4), cr.nn.Linear(4, 1))
        x, probe = cr.zeros((4, 3)), cr.tensor(np.float32([[0.3, -0.2, 0.1]]))
        opt = cr.optim.SGD(model.parameters(), lr=0.1)
        graph, history = None, []

        def step():
            opt.zero_grad()
            model(x).pow(2).mean().backward()
            opt.step()

        for i in range(4):
            x.copy_(cr.tensor(np.random.default_rng(i).standard_normal((4, 3)).astype(np.float32)))
            model.train()
            if graph is not None:
                graph.replay()
            elif captured:
                graph = cr.CPUGraph()
                with cr.graph(graph):
                    step()
            else:
                step()
            model.eval()
            with cr.no_grad():
                history.append(model(probe).numpy().tobytes())
        return history

    assert run(False) == run(True)
