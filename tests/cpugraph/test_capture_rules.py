"""Where zero_grad sits in a captured step, and what a capture refuses about it."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.errors import DTypeError, GraphError


def _setup():
    w = cr.tensor(np.float32([0.5, -1.0, 2.0]), requires_grad=True)
    x = cr.tensor(np.float32([1.0, 2.0, 3.0]))
    return w, x, cr.optim.SGD([w], lr=0.1)


def _batch(i):
    return cr.tensor(np.float32([1.0, -2.0, 0.5]) * (i + 1))


def _eager_and_replayed(make, batches=range(1, 4), warm_up=False, batch=_batch):
    """``make()`` gives (x, step, observe); the step runs eagerly, then as one capture plus
    replays, on the same batches copied into x; returns what ``observe`` saw after each, twice."""
    runs = []
    for captured in (False, True):
        x, step, observe = make()
        if warm_up:
            step()
        if captured:
            graph = cr.CPUGraph()
            with cr.graph(graph):
                step()
        else:
            step()
        seen = []
        for i in batches:
            x.copy_(batch(i))
            graph.replay() if captured else step()
            seen.append(observe())
        runs.append(seen)
    return runs


def _bits_of(*tensors):
    return [None if t is None else t.detach().numpy().tobytes() for t in tensors]


@pytest.mark.parametrize("where", ["start", "end"])
def test_zero_grad_at_the_start_or_the_end_of_the_step_replays_as_eager(where):
    def make():
        w, x, optimizer = _setup()

        def step():
            if where == "start":
                optimizer.zero_grad()
            ((w * x) ** 2).mean().backward()
            optimizer.step()
            if where == "end":
                optimizer.zero_grad()

        return x, step, lambda: _bits_of(w, w.grad)

    eager, replayed = _eager_and_replayed(make)
    assert eager == replayed
    if where == "end":
        assert replayed[-1][1] is None  # eager leaves no .grad; neither does the replay


def test_zero_grad_without_set_to_none_needs_a_gradient_to_zero_at_capture():
    w, x, optimizer = _setup()

    def step():
        optimizer.zero_grad(set_to_none=False)
        ((w * x) ** 2).mean().backward()
        optimizer.step()

    with pytest.raises(
        GraphError, match=r"(?s)set_to_none=False.*no \.grad yet.*run one eager step"
    ):
        with cr.graph(cr.CPUGraph()):
            step()
    assert w.grad is None or np.isfinite(w.grad.numpy()).all()


def test_zero_grad_without_set_to_none_after_a_warm_up_step_replays_as_eager():
    def make():
        w, x, optimizer = _setup()

        def step():
            optimizer.zero_grad(set_to_none=False)
            (F_relu(w * x) - 1.0).sum().backward()  # relu's masked zeros are -0.0 in the product
            optimizer.step()

        return x, step, lambda: _bits_of(w, w.grad)

    eager, replayed = _eager_and_replayed(make, range(2, 5), warm_up=True)
    assert eager == replayed


def F_relu(t):
    return cr.nn.functional.relu(t)


def test_a_backward_through_a_forward_recorded_before_the_capture_is_refused():
    w, x, optimizer = _setup()
    loss = ((w * x) ** 2).sum()
    with pytest.raises(GraphError, match="graph built inside the CPUGraph capture"):
        with cr.graph(cr.CPUGraph()):
            optimizer.zero_grad()
            loss.backward()
    assert w.grad is None  # nothing was stored


def test_autograd_grad_inside_a_step_leaves_dot_grad_as_eager_does():
    finals = []
    for captured in (False, True):
        w = cr.tensor(np.float32([1.0, 2.0, 3.0]), requires_grad=True)
        x = cr.tensor(np.float32([1.0, 1.0, 1.0]))

        def step(w=w, x=x):
            (grad_w,) = cr.autograd.grad(((w * x) ** 2).mean(), w)
            with cr.no_grad():
                w.sub_(0.1 * grad_w)

        if captured:
            graph = cr.CPUGraph()
            with cr.graph(graph):
                step()
            graph.replay()
        else:
            step()
            step()
        assert w.grad is None  # autograd.grad returns the gradient; it never writes .grad
        finals.append(w.detach().numpy().tobytes())
    assert finals[0] == finals[1]


@pytest.mark.parametrize(
    "labels, error, match",
    [
        ([0, 1, 3, 0, 1], IndexError, r"expected class indices in \[0, 2\], got 3"),
        ([0, 1, -1, 0, 1], IndexError, r"got -1"),  # not a silent pick from the end
        ([0, 1, -100, 0, 1], GraphError, r"ignore_index \(-100\)"),
    ],
)
@pytest.mark.parametrize("loss", ["cross_entropy", "nll_loss"])
def test_each_replay_checks_its_labels_as_an_eager_step_does(labels, error, match, loss):
    rng = np.random.default_rng(0)
    w = cr.tensor(rng.standard_normal((4, 3)).astype(np.float32), requires_grad=True)
    x = cr.tensor(np.ones((5, 4), np.float32))
    t = cr.tensor(np.array([0, 1, 2, 0, 1]))
    graph = cr.CPUGraph()
    with cr.graph(graph):
        w.grad = None
        logits = x @ w
        if loss == "nll_loss":
            logits = cr.nn.functional.log_softmax(logits, dim=1)
        getattr(cr.nn.functional, loss)(logits, t).backward()
    t.copy_(cr.tensor(np.array(labels)))
    with pytest.raises(error, match=match):
        graph.replay()


def test_each_replay_checks_embedding_indices():
    embedding = cr.nn.Embedding(5, 2)
    indices = cr.tensor(np.array([0, 1, 2]))
    graph = cr.CPUGraph()
    with cr.graph(graph):
        embedding.zero_grad()
        embedding(indices).sum().backward()
    indices.copy_(cr.tensor(np.array([0, -1, 2])))
    with pytest.raises(
        IndexError, match=r"embedding\(5, 2\): expected indices in \[0, 4\], got -1"
    ):
        graph.replay()


def test_comparing_whole_tensors_inside_a_capture_is_refused():
    a, b = cr.ones(3), cr.ones(3)
    for read in (lambda: a.equal(b), lambda: a.allclose(b)):
        with pytest.raises(GraphError, match="expected no read of a tensor's value"):
            with cr.graph(cr.CPUGraph()):
                read()


@pytest.mark.parametrize(
    "make",
    [
        lambda o: cr.optim.lr_scheduler.StepLR(o, 1, 0.5),
        lambda o: cr.optim.lr_scheduler.OneCycleLR(o, max_lr=0.2, total_steps=7),
        lambda o: cr.optim.lr_scheduler.SequentialLR(
            o,
            [
                cr.optim.lr_scheduler.LinearLR(o, 0.5, total_iters=2),
                cr.optim.lr_scheduler.ExponentialLR(o, 0.9),
            ],
            milestones=[2],
        ),
    ],
)
def test_a_scheduler_stepped_inside_the_capture_steps_on_every_replay(make):
    def run():
        w, x, _ = _setup()
        optimizer = cr.optim.SGD([w], lr=0.1, momentum=0.9)
        scheduler = make(optimizer)

        def step():
            optimizer.zero_grad()
            ((w * x) ** 2).mean().backward()
            optimizer.step()
            scheduler.step()

        def observe():
            return _bits_of(w) + [(g["lr"], g["momentum"]) for g in optimizer.param_groups]

        return x, step, observe

    eager, replayed = _eager_and_replayed(run, range(1, 7))
    assert eager == replayed


def test_float_labels_for_cross_entropy_get_a_dtype_error():
    with pytest.raises(
        DTypeError, match=r"expected integer class indices of shape \(8,\).*got dtype float32"
    ):
        cr.nn.functional.cross_entropy(cr.zeros((8, 3)), cr.zeros(8))


def test_a_replaced_parameter_is_named_as_such():
    w, x, optimizer = _setup()
    graph = cr.CPUGraph()
    with cr.graph(graph):
        optimizer.zero_grad()
        ((w * x) ** 2).mean().backward()
        optimizer.step()
    w.data = np.zeros(3, np.float32)
    with pytest.raises(
        GraphError, match=r"(?s)expected the parameter of shape \(3,\).*p\.copy_\(new\)"
    ):
        graph.replay()


def test_copy_of_a_value_the_step_computes_replays_and_outside_data_is_still_refused():
    def make():
        w, x, optimizer = _setup()
        ema = cr.tensor(np.float32([0.5, -1.0, 2.0]))

        def step():
            optimizer.zero_grad()
            ((w * x) ** 2).mean().backward()
            optimizer.step()
            with cr.no_grad():
                ema.copy_(ema * 0.9 + w * 0.1)  # an average the step computes

        return x, step, lambda: _bits_of(w, ema)

    eager, replayed = _eager_and_replayed(make, range(1, 5))
    assert eager == replayed
    target = cr.zeros(3)
    with pytest.raises(GraphError, match="expected no copy_ inside a CPUGraph capture"):
        with cr.graph(cr.CPUGraph()):
            target.copy_(cr.tensor(np.float32([1.0, 2.0, 3.0])))


def test_a_hard_update_of_a_target_network_replays():
    def make():
        online, target = cr.nn.Linear(3, 2, generator=0), cr.nn.Linear(3, 2, generator=1)
        x = cr.tensor(np.ones((4, 3), np.float32))
        optimizer = cr.optim.SGD(online.parameters(), lr=0.1)

        def step():
            optimizer.zero_grad()
            ((online(x) - target(x).detach()) ** 2).mean().backward()
            optimizer.step()
            with cr.no_grad():
                for t, o in zip(target.parameters(), online.parameters()):
                    t.copy_(o)  # the step read o in its forward: a replay copies it again

        return x, step, lambda: _bits_of(*online.parameters(), *target.parameters())

    def batch(i):
        return cr.tensor(np.full((4, 3), i + 2, np.float32))

    eager, replayed = _eager_and_replayed(make, batch=batch)
    assert eager == replayed


def test_each_replay_checks_scatter_indices():
    w = cr.tensor(np.float32([1.0, 2.0, 3.0]), requires_grad=True)
    index = cr.tensor(np.array([0, 2]))
    graph = cr.CPUGraph()
    with cr.graph(graph):
        w.grad = None
        cr.zeros(3).index_add(0, index, w[:2]).sum().backward()
    index.copy_(cr.tensor(np.array([0, 5])))
    with pytest.raises(cr.errors.ShapeError, match=r"index_add: expected index values in \[0, 3\)"):
        graph.replay()
