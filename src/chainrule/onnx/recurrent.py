"""Converters for RNN, LSTM and GRU (and their cells) as ONNX's RNN, LSTM and GRU operators.

A trace would unroll the time loop and freeze the initial state's batch size; ONNX's operators
run the loop themselves, so the sequence length and the batch both stay free. torch's gate
order differs from ONNX's: LSTM (i, f, g, o) becomes (i, o, f, c) and GRU (r, z, n) becomes
(z, r, h); GRU needs linear_before_reset=1 to apply the reset gate after its matmul, as torch.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from onnx import helper

from .graph import GraphBuilder, converter
from .layers import unsupported

_ORDER = {"LSTM": [0, 3, 1, 2], "GRU": [1, 0, 2]}


def _gates(array: Any, mode: str) -> np.ndarray:
    array = array.detach().numpy() if hasattr(array, "detach") else np.asarray(array)
    order = _ORDER.get(mode)
    if order is None:
        return array
    blocks = np.split(array, len(order), axis=0)
    return np.concatenate([blocks[i] for i in order], axis=0)


def _outputs(graph: GraphBuilder, op: str, inputs: list[str], hint: str, count: int, **attrs: Any):
    names = [graph.fresh(f"{hint}/{part}") for part in ("Y", "Y_h", "Y_c")[:count]]
    graph.nodes.append(
        helper.make_node(op, inputs, names, name=graph.fresh(f"{hint}/{op}"), **attrs)
    )
    return names


def _run(
    graph: GraphBuilder, mode: str, x: str, hint: str, weights: list[tuple], hidden: int
) -> list[str]:
    """One ONNX RNN/LSTM/GRU node over x (T, B, I); ``weights`` holds (w_ih, w_hh, b_ih, b_hh)
    per direction. Returns Y (T, D, B, H), Y_h (D, B, H) and, for an LSTM, Y_c."""
    op = mode if mode in ("LSTM", "GRU") else "RNN"
    w = np.stack([_gates(w_ih, mode) for w_ih, _, _, _ in weights])
    r = np.stack([_gates(w_hh, mode) for _, w_hh, _, _ in weights])
    inputs = [x, graph.weight(w, f"{hint}.W"), graph.weight(r, f"{hint}.R")]
    if weights[0][2] is not None:
        b = np.stack(
            [
                np.concatenate([_gates(b_ih, mode), _gates(b_hh, mode)])
                for _, _, b_ih, b_hh in weights
            ]
        )
        inputs.append(graph.weight(b, f"{hint}.B"))
    attrs: dict[str, Any] = {
        "hidden_size": int(hidden),
        "direction": "bidirectional" if len(weights) == 2 else "forward",
    }
    if op == "GRU":
        attrs["linear_before_reset"] = 1
    if op == "RNN":
        attrs["activations"] = ["Relu" if mode == "RNN_RELU" else "Tanh"] * len(weights)
    return _outputs(graph, op, inputs, hint, 3 if op == "LSTM" else 2, **attrs)


@converter("RNN", "LSTM", "GRU")
def recurrent(
    graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray
) -> list[str]:
    if example.ndim != 3:
        raise unsupported(module, name, f"unbatched input of shape {example.shape}")
    if module.batch_first:
        x = graph.node("Transpose", [x], f"{name}/time_major", perm=[1, 0, 2])
    directions = ["", "_reverse"] if module.bidirectional else [""]
    states: list[list[str]] = [[], []]
    for layer in range(module.num_layers):
        weights = [
            tuple(
                getattr(module, f"{kind}_l{layer}{suffix}", None)
                for kind in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
            )
            for suffix in directions
        ]
        outs = _run(graph, module.mode, x, f"{name}.l{layer}", weights, module.hidden_size)
        for store, state in zip(states, outs[1:]):
            store.append(state)
        per_step = graph.node("Transpose", [outs[0]], f"{name}/l{layer}/steps", perm=[0, 2, 1, 3])
        x = graph.node(
            "Reshape", [per_step, graph.ints([0, 0, -1], f"{name}/flat")], f"{name}/l{layer}/y"
        )
    if module.batch_first:
        x = graph.node("Transpose", [x], f"{name}/batch_major", perm=[1, 0, 2])
    finals = [
        store[0] if len(store) == 1 else graph.node("Concat", store, f"{name}/state", axis=0)
        for store in states
        if store
    ]
    return [x, *finals]


@converter("RNNCell", "LSTMCell", "GRUCell")
def cell(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> list[str]:
    """One step of the matching operator, on a sequence of length 1, from a zero state."""
    if example.ndim != 2:
        raise unsupported(module, name, f"unbatched input of shape {example.shape}")
    kind = type(module).__name__
    mode = {"LSTMCell": "LSTM", "GRUCell": "GRU"}.get(kind) or (
        "RNN_RELU" if module.nonlinearity == "relu" else "RNN_TANH"
    )
    zero = graph.ints([0], f"{name}/axis")
    step = graph.node("Unsqueeze", [x, zero], f"{name}/step")
    weights = [(module.weight_ih, module.weight_hh, module.bias_ih, module.bias_hh)]
    outs = _run(graph, mode, step, name, weights, module.hidden_size)
    return [
        graph.node("Squeeze", [state, zero], f"{name}/{part}")
        for state, part in zip(outs[1:], "hc")
    ]
