"""The training loop every benchmark times, written once: chainrule and PyTorch share its API."""

import numpy as np


def run_steps(model, loss_fn, optimizer, batches):
    """zero_grad, forward, loss, backward, step for each (inputs, targets); returns the last loss."""
    for inputs, targets in batches:
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), targets)
        loss.backward()
        optimizer.step()
    return loss.item()


def relu_mlp(lib, weights):
    """A Linear/ReLU stack in float32 holding ``weights`` [(W, b), ...]; ``lib`` is torch or chainrule.
    Built with skip_init, as a script does before loading weights: neither library draws initial
    weights that the load overwrites (the NumPy loop it is timed against draws none)."""
    layers = []
    for i, (w, _) in enumerate(weights):
        layers.append(lib.nn.utils.skip_init(lib.nn.Linear, w.shape[1], w.shape[0]))
        if i < len(weights) - 1:
            layers.append(lib.nn.ReLU())
    model = lib.nn.Sequential(*layers).float()
    state = {}
    for i, (w, b) in enumerate(weights):
        state[f"{2 * i}.weight"], state[f"{2 * i}.bias"] = lib.tensor(w), lib.tensor(b)
    model.load_state_dict(state)
    return model


def run_graph(cr, model, loss_fn, optimizer, batches):
    """run_steps through chainrule.CPUGraph: one capture per batch shape (the capture is that
    step), replays for the rest; the same steps in the same order, so the same numbers."""
    graphs, loss = {}, None
    for inputs, targets in batches:
        inputs, targets = np.asarray(inputs), np.asarray(targets)
        entry = graphs.get(inputs.shape)
        if entry is None:
            static_x, static_y = cr.tensor(inputs.copy()), cr.tensor(targets.copy())
            graph = cr.CPUGraph()
            with cr.graph(graph):
                optimizer.zero_grad()
                loss = loss_fn(model(static_x), static_y)
                loss.backward()
                optimizer.step()
            graphs[inputs.shape] = graph, static_x, static_y, loss
            continue
        graph, static_x, static_y, loss = entry
        static_x.copy_(inputs)
        static_y.copy_(targets)
        graph.replay()
    return loss.item()
