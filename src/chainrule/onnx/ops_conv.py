"""Converters for the convolution and pooling Functions a traced forward calls directly
(F.conv1d, F.conv2d, F.max_pool2d, F.avg_pool2d); the layers use conv.py's converters."""

from __future__ import annotations

from typing import Any

import numpy as np

from .graph import GraphBuilder, op_converter


def _pairs(pads: Any) -> list[tuple[int, int]]:
    """chainrule's pads, ((before, after), ...) per spatial axis, or one (before, after)."""
    pads = tuple(pads)
    if pads and not isinstance(pads[0], (tuple, list)):
        pads = (pads,)
    return [(int(a), int(b)) for a, b in pads]


def _onnx_pads(pads: Any) -> list[int]:
    pairs = _pairs(pads)
    return [a for a, _ in pairs] + [b for _, b in pairs]


def _last(value: Any, count: int) -> list[int]:
    values = [int(v) for v in value] if isinstance(value, (tuple, list)) else [int(value)]
    return values[-count:] if len(values) >= count else values * count


@op_converter("Conv1d", "Conv2d")
def conv(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: np.ndarray) -> str:
    x, weight = arrays[0], arrays[1]
    count = weight.ndim - 2
    inputs = [graph.value(x), graph.value(weight)]
    if len(arrays) > 2 and arrays[2] is not None:
        inputs.append(graph.value(arrays[2]))
    return graph.node(
        "Conv",
        inputs,
        graph.scope,
        kernel_shape=list(weight.shape[2:]),
        strides=_last(config["stride"], count),
        pads=_onnx_pads(config["pads"]),
        dilations=_last(config["dilation"], count),
        group=int(config["groups"]),
    )


@op_converter("MaxPool2d")
def max_pool(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: np.ndarray) -> str:
    """Explicit pads, the ceil_mode overhang included: MaxPool pads with -inf, as chainrule."""
    return graph.node(
        "MaxPool",
        [graph.value(arrays[0])],
        graph.scope,
        kernel_shape=_last(config["kernel"], 2),
        strides=_last(config["stride"], 2),
        pads=_onnx_pads(config["pads"]),
        dilations=_last(config["dilation"], 2),
    )


@op_converter("AvgPool2d")
def avg_pool(graph: GraphBuilder, ctx: Any, arrays: tuple, config: dict, out: np.ndarray) -> str:
    """The window's sum (an average over the zero-padded window, times its size) divided by
    chainrule's divisor for each output cell, which says what torch counts at the borders."""
    scope, kernel = graph.scope, _last(config["kernel"], 2)
    mean = graph.node(
        "AveragePool",
        [graph.value(arrays[0])],
        f"{scope}/mean",
        kernel_shape=kernel,
        strides=_last(config["stride"], 2),
        pads=_onnx_pads(config["pads"]),
        count_include_pad=1,
    )
    scale = float(np.prod(kernel)) / np.asarray(config["divisor"], dtype=out.dtype)
    return graph.node("Mul", [mean, graph.weight(scale.astype(out.dtype), f"{scope}/scale")], scope)
