"""The eager-versus-replay harness of the second CPUGraph adversary: the same steps eagerly and
as capture + replays, on the same batches, every watched array compared byte for byte."""

from __future__ import annotations

import numpy as np

import chainrule as cr


def _histories(make, batches, steps=4, between=None, warmup=0):
    """Per-step snapshots of eager steps and of (warm-up, capture, replays).

    ``make()`` returns (statics, step, watched, handle); ``between(i, handle)`` runs before
    step i in both runs, after the batch is copied in (the user's edits between steps)."""
    histories = []
    for captured in (False, True):
        statics, step, watched, handle = make()
        history, graph = [], None
        for i in range(steps):
            for tensor, array in zip(statics, batches(i)):
                tensor.copy_(cr.tensor(array))
            if between is not None:
                between(i, handle)
            if graph is not None:
                graph.replay()
            elif captured and i == warmup:
                graph = cr.CPUGraph()
                with cr.graph(graph):
                    step()
            else:
                step()
            history.append([None if a is None else (a.dtype.str, a.tobytes()) for a in watched()])
        histories.append(history)
    return histories


def _assert_same(make, batches, steps=4, between=None, warmup=0):
    eager, captured = _histories(make, batches, steps, between, warmup)
    for i, (a, b) in enumerate(zip(eager, captured)):
        differ = [k for k, (x, y) in enumerate(zip(a, b)) if x != y]
        assert not differ, f"step {i} differs in watched arrays {differ}"


def _arrays(tensors):
    return [t.detach().numpy() for t in tensors]


def _grads(tensors):
    return [None if t.grad is None else t.grad.numpy() for t in tensors]


def _vector(i):
    return [np.float32([1.0, -2.0, 0.5]) * (i + 1)]


def _w():
    return cr.tensor(np.float32([0.5, -1.0, 2.0]), requires_grad=True)
