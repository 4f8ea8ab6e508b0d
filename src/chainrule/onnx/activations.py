"""Converters for the activations, Identity and the dropouts (which are the identity in eval)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .graph import GraphBuilder, converter

_DIRECT = {"ReLU": "Relu", "Sigmoid": "Sigmoid", "Tanh": "Tanh"}


@converter(*_DIRECT)
def elementwise(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    return graph.node(_DIRECT[type(module).__name__], [x], name)


@converter("Identity", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d")
def identity(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    return x  # export is eval mode, where dropout passes its input through


@converter("LeakyReLU")
def leaky_relu(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    return graph.node("LeakyRelu", [x], name, alpha=float(module.negative_slope))


@converter("ELU")
def elu(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    return graph.node("Elu", [x], name, alpha=float(module.alpha))


@converter("Softmax", "LogSoftmax")
def softmax(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    dim = -1 if module.dim is None else int(module.dim)
    return graph.node(type(module).__name__, [x], name, axis=dim)


@converter("GELU")
def gelu(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    """Opset 17 has no Gelu node: x/2 (1 + erf(x/sqrt 2)), or torch's tanh approximation."""
    dtype = example.dtype
    if module.approximate == "tanh":
        cube = graph.node("Mul", [x, graph.node("Mul", [x, x], f"{name}/square")], f"{name}/cube")
        inner = graph.node(
            "Add",
            [
                x,
                graph.node(
                    "Mul",
                    [cube, graph.constant(0.044715, dtype, f"{name}/c")],
                    f"{name}/scaled_cube",
                ),
            ],
            f"{name}/inner",
        )
        shaped = graph.node(
            "Mul",
            [inner, graph.constant(math.sqrt(2 / math.pi), dtype, f"{name}/k")],
            f"{name}/arg",
        )
        curve = graph.node("Tanh", [shaped], f"{name}/tanh")
    else:
        scaled = graph.node(
            "Div", [x, graph.constant(math.sqrt(2.0), dtype, f"{name}/sqrt2")], f"{name}/arg"
        )
        curve = graph.node("Erf", [scaled], f"{name}/erf")
    one_plus = graph.node(
        "Add", [curve, graph.constant(1.0, dtype, f"{name}/one")], f"{name}/one_plus"
    )
    half_x = graph.node("Mul", [x, graph.constant(0.5, dtype, f"{name}/half")], f"{name}/half_x")
    return graph.node("Mul", [half_x, one_plus], name)


@converter("Softplus")
def softplus(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold, as torch computes it."""
    dtype = example.dtype
    beta_x = graph.node(
        "Mul", [x, graph.constant(module.beta, dtype, f"{name}/beta")], f"{name}/beta_x"
    )
    smooth = graph.node(
        "Div",
        [
            graph.node("Softplus", [beta_x], f"{name}/softplus"),
            graph.constant(module.beta, dtype, f"{name}/beta"),
        ],
        f"{name}/smooth",
    )
    linear = graph.node(
        "Greater",
        [beta_x, graph.constant(module.threshold, dtype, f"{name}/threshold")],
        f"{name}/linear",
    )
    return graph.node("Where", [linear, x, smooth], name)
