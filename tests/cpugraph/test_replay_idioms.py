"""CPUGraph replays of training-loop idioms from PyTorch tutorials and the CUDA-graph docs (the
third adversary's cases, part 3 of 3)."""

from __future__ import annotations


import numpy as np
import pytest

import chainrule as cr
from chainrule import functional as F
from tests.cpugraph.replay_harness import EagerOrReplayed, _grads, _assert_same, _grad


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
        watch = lambda: (
            [outs["y"].detach().numpy(), outs["loss"].detach().numpy()]
            + [p.detach().numpy() for p in params]
        )  # noqa: E731
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
                *(p.detach().numpy().tobytes() for p in model.parameters()),
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
            history.append(
                [
                    np.asarray(v.detach() if hasattr(v, "detach") else v).tobytes()
                    for v in [*model.parameters(), *state]
                ]
            )
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
            history.append([p.detach().numpy().tobytes() for p in model.parameters()])
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

        return dict(
            x=x, step=step, watch=lambda: [p.detach().numpy() for p in params] + _grads(params)
        )

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
        state["watch"] = lambda: [embedding.weight.detach().numpy(), _grad(embedding.weight)]
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

        return dict(
            x=x, step=step, watch=lambda: [p.detach().numpy() for p in params] + _grads(params)
        )

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
        return dict(
            x=x, step=step, watch=lambda: [p.detach().numpy() for p in params] + _grads(params)
        )

    _assert_same(make, steps=5)


def test_f_batchnorm_trained_by_replays_then_evaluated_eagerly():
    def run(captured):
        cr.manual_seed(0)
        model = cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.BatchNorm1d(4), cr.nn.Linear(4, 1))
        x, probe = cr.zeros((4, 3)), cr.tensor(np.float32([[0.3, -0.2, 0.1]]))
        opt = cr.optim.SGD(model.parameters(), lr=0.1)
        run, history = EagerOrReplayed(captured), []

        def step():
            opt.zero_grad()
            model(x).pow(2).mean().backward()
            opt.step()

        for i in range(4):
            x.copy_(cr.tensor(np.random.default_rng(i).standard_normal((4, 3)).astype(np.float32)))
            model.train()
            run(step)
            model.eval()
            with cr.no_grad():
                history.append(model(probe).numpy().tobytes())
        return history

    assert run(False) == run(True)
