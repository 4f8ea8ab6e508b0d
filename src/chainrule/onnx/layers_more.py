"""Converters for layers whose forward a trace cannot write op by op (masks computed in NumPy,
index arrays) but that one ONNX operator expresses: Hardtanh/ReLU6 (Clip), the transposed
convolutions, adaptive max pooling, LPPool, Upsample (Resize) and EmbeddingBag on 2-d input."""

from __future__ import annotations

from typing import Any

import numpy as np

from .conv import _spatial
from .graph import GraphBuilder, converter
from .layers import unsupported


@converter("Hardtanh", "ReLU6")
def hardtanh(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    low = graph.constant(module.min_val, example.dtype, f"{name}/min")
    high = graph.constant(module.max_val, example.dtype, f"{name}/max")
    return graph.node("Clip", [x, low, high], name)


@converter("ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d")
def conv_transpose(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    """Torch's weight (C_in, C_out / groups, *kernel) is ONNX's layout for ConvTranspose."""
    if getattr(module, "padding_mode", "zeros") != "zeros":
        raise unsupported(module, name, f"padding_mode={module.padding_mode!r}")
    count = example.ndim - 2
    inputs = [x, graph.weight(module.weight, f"{name}.weight")]
    if module.bias is not None:
        inputs.append(graph.weight(module.bias, f"{name}.bias"))
    return graph.node(
        "ConvTranspose",
        inputs,
        name,
        kernel_shape=list(module.weight.shape[2:]),
        strides=_spatial(module.stride, count),
        pads=_spatial(module.padding, count) * 2,
        output_padding=_spatial(module.output_padding, count),
        dilations=_spatial(module.dilation, count),
        group=int(module.groups),
    )


@converter("AdaptiveMaxPool1d", "AdaptiveMaxPool2d")
def adaptive_max_pool(
    graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray
) -> str:
    """Output size 1 is a global max; other sizes must divide the example's spatial size."""
    if module.return_indices:
        raise unsupported(module, name, "return_indices=True")
    spatial = list(example.shape[2:])
    wanted = _spatial(module.output_size, len(spatial))
    wanted = [s if o is None else o for o, s in zip(wanted, spatial)]
    if all(o == 1 for o in wanted):
        return graph.node("GlobalMaxPool", [x], name)
    if any(s % o for s, o in zip(spatial, wanted)):
        raise unsupported(
            module, name, f"output_size={module.output_size} from spatial size {tuple(spatial)}"
        )
    kernel = [s // o for s, o in zip(spatial, wanted)]
    return graph.node("MaxPool", [x], name, kernel_shape=kernel, strides=kernel)


@converter("LPPool1d", "LPPool2d")
def lp_pool(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    """torch's (sum over the window of x^p)^(1/p): an average times the window's size.
    (ONNX's LpPool sums |x|^p, which differs from torch for odd p.)"""
    if module.ceil_mode:
        raise unsupported(module, name, "ceil_mode=True")
    count, dtype = example.ndim - 2, example.dtype
    kernel = _spatial(module.kernel_size, count)
    stride = kernel if module.stride is None else _spatial(module.stride, count)
    p = float(module.norm_type)
    powered = graph.node("Pow", [x, graph.constant(p, dtype, f"{name}/p")], f"{name}/power")
    mean = graph.node("AveragePool", [powered], f"{name}/mean", kernel_shape=kernel, strides=stride)
    total = graph.node(
        "Mul", [mean, graph.constant(float(np.prod(kernel)), dtype, f"{name}/size")], f"{name}/sum"
    )
    return graph.node("Pow", [total, graph.constant(1.0 / p, dtype, f"{name}/root")], name)


_RESIZE = {
    "nearest": "nearest",
    "nearest-exact": "nearest",
    "linear": "linear",
    "bilinear": "linear",
}


@converter("Upsample", "UpsamplingNearest2d", "UpsamplingBilinear2d")
def upsample(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    """Resize by scales (the batch stays free), or to a size read beside the run-time batch."""
    mode = _RESIZE.get(module.mode)
    if mode is None:
        raise unsupported(module, name, f"mode={module.mode!r}")
    count = example.ndim - 2
    attributes: dict[str, Any] = {"mode": mode}
    if module.mode == "nearest":  # torch's legacy nearest: floor(out_index * in / out)
        attributes.update(coordinate_transformation_mode="asymmetric", nearest_mode="floor")
    elif mode == "nearest":  # nearest-exact: floor((out_index + 1/2) * in / out)
        attributes.update(
            coordinate_transformation_mode="half_pixel", nearest_mode="round_prefer_ceil"
        )
    else:
        aligned = bool(module.align_corners)
        attributes["coordinate_transformation_mode"] = (
            "align_corners" if aligned else "pytorch_half_pixel"
        )
    if module.scale_factor is not None and not module.recompute_scale_factor:
        scales = [1.0, 1.0] + [float(s) for s in _spatial_floats(module.scale_factor, count)]
        inputs = [x, "", graph.constant(scales, np.float32, f"{name}/scales")]
        return graph.node("Resize", inputs, name, **attributes)
    if module.size is not None:
        sizes = _spatial(module.size, count)
    else:
        factors = _spatial_floats(module.scale_factor, count)
        sizes = [int(np.floor(s * f)) for s, f in zip(example.shape[2:], factors)]
    shape = graph.node("Shape", [x], f"{name}/shape", start=0, end=2)
    target = graph.node(
        "Concat", [shape, graph.ints(sizes, f"{name}/size")], f"{name}/sizes", axis=0
    )
    return graph.node("Resize", [x, "", "", target], name, **attributes)


def _spatial_floats(value: Any, count: int) -> list[float]:
    return [float(v) for v in value] if isinstance(value, (tuple, list)) else [float(value)] * count


@converter("EmbeddingBag")
def embedding_bag(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    """A 2-d input is one bag per row: Gather, then the bag's sum, mean or max over axis 1.
    (1-d input with offsets has bags of varying length, which needs a loop.)"""
    for setting, value in (("max_norm", module.max_norm), ("padding_idx", module.padding_idx)):
        if value is not None:
            raise unsupported(module, name, f"{setting}={value}")
    if example.ndim != 2:
        raise unsupported(module, name, "1-d input with offsets (bags of varying length)")
    rows = graph.node("Gather", [graph.weight(module.weight, f"{name}.weight"), x], f"{name}/rows")
    op = {"sum": "ReduceSum", "mean": "ReduceMean", "max": "ReduceMax"}[module.mode]
    if op == "ReduceSum" or graph.opset >= 18:
        return graph.node(op, [rows, graph.ints([1], f"{name}/axis")], name, keepdims=0)
    return graph.node(op, [rows], name, axes=[1], keepdims=0)
