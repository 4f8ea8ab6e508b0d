"""The eager-versus-replay harness of the third CPUGraph adversary: each case runs the same
steps eagerly and as capture + replays from the same start, on the same batches, with the same
edits between steps; every watched array (dtype and bytes, or None) must agree, or the capture
must raise a GraphError. Schedulers stepped inside a capture are in
tests/optim/test_scheduler_capture.py."""

from __future__ import annotations


import numpy as np

import chainrule as cr


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


def _grads(tensors):
    return [_grad(t) for t in tensors]


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


class EagerOrReplayed:
    """Runs a step: eagerly on every call, or (captured) recorded on the first call and replayed
    on the later ones; one place for the loop every eager-versus-replay test here needs."""

    def __init__(self, captured: bool) -> None:
        self.captured, self.graph = captured, None

    def __call__(self, step) -> None:
        if not self.captured:
            step()
        elif self.graph is None:
            self.graph = cr.CPUGraph()
            with cr.graph(self.graph):
                step()
        else:
            self.graph.replay()
