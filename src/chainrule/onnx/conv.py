"""Converters for convolution and pooling, keyed on torch's class and attribute names."""

from __future__ import annotations

from typing import Any

import numpy as np

from .graph import GraphBuilder, converter
from .layers import unsupported


def _spatial(value: Any, count: int) -> list[int]:
    return [int(v) for v in value] if isinstance(value, (tuple, list)) else [int(value)] * count


def _pads(module: Any, name: str, kernel: list[int], dilation: list[int]) -> list[int]:
    """ONNX pads: all the begins, then all the ends; 'same' puts the odd pixel at the end, as torch."""
    count = len(kernel)
    if module.padding == "valid":
        return [0] * 2 * count
    if module.padding == "same":
        totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
        return [t // 2 for t in totals] + [t - t // 2 for t in totals]
    if isinstance(module.padding, str):
        raise unsupported(module, name, f"padding={module.padding!r}")
    return _spatial(module.padding, count) * 2


@converter("Conv1d", "Conv2d", "Conv3d")
def conv(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    if getattr(module, "padding_mode", "zeros") != "zeros":
        raise unsupported(module, name, f"padding_mode={module.padding_mode!r}")
    count = example.ndim - 2
    kernel = list(module.weight.shape[2:])
    dilation = _spatial(module.dilation, count)
    inputs = [x, graph.weight(module.weight, f"{name}.weight")]
    if module.bias is not None:
        inputs.append(graph.weight(module.bias, f"{name}.bias"))
    return graph.node(
        "Conv",
        inputs,
        name,
        kernel_shape=kernel,
        strides=_spatial(module.stride, count),
        pads=_pads(module, name, kernel, dilation),
        dilations=dilation,
        group=int(module.groups),
    )


def _window(module: Any, count: int) -> tuple[list[int], list[int], list[int]]:
    kernel = _spatial(module.kernel_size, count)
    stride = (
        kernel if module.stride is None or module.stride == [] else _spatial(module.stride, count)
    )
    return kernel, stride, _spatial(module.padding, count) * 2


@converter("MaxPool1d", "MaxPool2d", "MaxPool3d")
def max_pool(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    if getattr(module, "return_indices", False):
        raise unsupported(module, name, "return_indices=True")
    count = example.ndim - 2
    kernel, stride, pads = _window(module, count)
    return graph.node(
        "MaxPool",
        [x],
        name,
        kernel_shape=kernel,
        strides=stride,
        pads=pads,
        dilations=_spatial(getattr(module, "dilation", 1), count),
        ceil_mode=int(bool(module.ceil_mode)),
    )


@converter("AvgPool1d", "AvgPool2d", "AvgPool3d")
def avg_pool(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    if getattr(module, "divisor_override", None) is not None:
        raise unsupported(module, name, f"divisor_override={module.divisor_override}")
    if module.ceil_mode:
        # The last, partial window's divisor differs between torch and ONNX runtimes.
        raise unsupported(module, name, "ceil_mode=True")
    kernel, stride, pads = _window(module, example.ndim - 2)
    return graph.node(
        "AveragePool",
        [x],
        name,
        kernel_shape=kernel,
        strides=stride,
        pads=pads,
        count_include_pad=int(bool(module.count_include_pad)),
    )


@converter("AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d")
def adaptive_avg_pool(
    graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray
) -> str:
    """Output size 1 is a global average; other sizes must divide the example's spatial size."""
    spatial = list(example.shape[2:])
    wanted = [
        s if o is None else int(o)
        for o, s in zip(_as_list(module.output_size, len(spatial)), spatial)
    ]
    if all(o == 1 for o in wanted):
        return graph.node("GlobalAveragePool", [x], name)
    if any(s % o for s, o in zip(spatial, wanted)):
        raise unsupported(
            module,
            name,
            f"output_size={module.output_size} from spatial size {tuple(spatial)} "
            "(export handles sizes that divide the input)",
        )
    kernel = [s // o for s, o in zip(spatial, wanted)]
    return graph.node("AveragePool", [x], name, kernel_shape=kernel, strides=kernel)


def _as_list(value: Any, count: int) -> list[Any]:
    return list(value) if isinstance(value, (tuple, list)) else [value] * count
