"""The harness of the fourth CPUGraph adversary: a small model trained on new batches per step,
eagerly and as warm-up + capture + replays from the same start; losses, outputs, parameters,
.grad, buffers and optimizer state must agree bit for bit."""

from __future__ import annotations

import numpy as np

import chainrule as cr
from chainrule.nn import functional as F


def _bits(t):
    if t is None or isinstance(t, (int, float, str)):
        return t
    a = np.asarray(t.detach().numpy() if isinstance(t, cr.Tensor) else t)
    return a.dtype.str, a.shape, a.tobytes()


def _history(make, batch, captured, steps=4, warmup=1):
    """``make()`` gives (module, optimizer, step); ``batch(i)`` the step's inputs, copied into
    static tensors; returns the bits of every output and of the whole training state per step."""
    model, optimizer, step = make()
    statics = [b.clone() for b in batch(0)]
    graph, history = None, []
    for i in range(steps):
        for static, b in zip(statics, batch(i)):
            static.copy_(b)
        if graph is not None:
            graph.replay()
        elif captured and i == warmup:
            graph = cr.CPUGraph()
            with cr.graph(graph):
                outs = step(*statics)
        else:
            outs = step(*statics)
        seen = [_bits(o) for o in outs]
        seen += [(n, _bits(p), _bits(p.grad)) for n, p in model.named_parameters()]
        seen += [(n, _bits(b)) for n, b in model.named_buffers()]
        for key, values in sorted(optimizer.state_dict()["state"].items()):
            seen += [(key, k, _bits(v)) for k, v in values.items()]
        history.append(seen)
    return history


def _assert_same(make, batch, steps=4, warmup=1):
    eager = _history(make, batch, False, steps, warmup)
    captured = _history(make, batch, True, steps, warmup)
    for i, (a, b) in enumerate(zip(eager, captured)):
        differ = [k for k, (x, y) in enumerate(zip(a, b)) if x != y]
        assert not differ, f"step {i} differs in watched entries {differ[:6]}"


def _rand(*shape, seed=0):
    return cr.from_numpy(np.random.default_rng(seed).standard_normal(shape).astype(np.float32))


def _labels(n, classes, seed):
    return cr.from_numpy(np.random.default_rng(seed).integers(0, classes, n))


def _trainer(model, loss_of, opt=cr.optim.Adam, **kwargs):
    """A make() for _history: ``loss_of(model, *inputs)`` gives (loss, *more outputs)."""

    def make():
        cr.manual_seed(0)
        m = model()
        optimizer = opt(m.parameters(), lr=1e-2, **kwargs)

        def step(*inputs):
            optimizer.zero_grad()
            outs = loss_of(m, *inputs)
            outs[0].backward()
            optimizer.step()
            return outs

        return m, optimizer, step

    return make


def _xy(x_shape, classes, n=None):
    def batch(i):
        return _rand(*x_shape, seed=i), _labels(n or x_shape[0], classes, seed=100 + i)

    return batch


def _ce(m, x, t):
    out = m(x)
    return F.cross_entropy(out, t), out
