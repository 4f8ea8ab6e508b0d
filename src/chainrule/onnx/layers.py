"""Converters for Linear, Flatten, Unflatten, Embedding, the batch norms (eval) and LayerNorm."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import ExportError
from .graph import GraphBuilder, converter


def unsupported(module: Any, name: str, setting: str) -> ExportError:
    return ExportError(
        f"onnx.export({name}: {type(module).__name__}): expected a setting ONNX can express, "
        f"got {setting}."
    )


@converter("Linear")
def linear(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    """Gemm computes x W^T + b on a batch of rows; other ranks use MatMul against W^T."""
    if example.ndim == 2:
        inputs = [x, graph.weight(module.weight, f"{name}.weight")]
        if module.bias is not None:
            inputs.append(graph.weight(module.bias, f"{name}.bias"))
        return graph.node("Gemm", inputs, name, transB=1)
    weight_t = graph.weight(module.weight.detach().numpy().T, f"{name}.weight_t")
    product = graph.node("MatMul", [x, weight_t], f"{name}/matmul")
    if module.bias is None:
        return product
    return graph.node("Add", [product, graph.weight(module.bias, f"{name}.bias")], name)


@converter("Flatten")
def flatten(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    """Reshape to shape[:start] + (-1,) + shape[end+1:], read at run time so the batch can vary."""
    rank = example.ndim
    start, end = module.start_dim % rank, module.end_dim % rank
    if start == 1 and end == rank - 1:
        return graph.node("Flatten", [x], name, axis=1)
    return _reshape_axes(graph, name, x, rank, start, end, [-1])


@converter("Unflatten")
def unflatten(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    """Reshape to shape[:dim] + unflattened_size + shape[dim+1:], the batch read at run time."""
    dim = module.dim % example.ndim
    return _reshape_axes(graph, name, x, example.ndim, dim, dim, list(module.unflattened_size))


def _reshape_axes(
    graph: GraphBuilder, name: str, x: str, rank: int, start: int, end: int, middle: list[int]
) -> str:
    """Replace axes start..end of x by ``middle``, keeping the others' run-time sizes."""
    shape = graph.node("Shape", [x], f"{name}/shape")
    pieces = []
    if start > 0:
        pieces.append(
            graph.node(
                "Slice",
                [
                    shape,
                    graph.constant([0], np.int64, f"{name}/zero"),
                    graph.constant([start], np.int64, f"{name}/start"),
                ],
                f"{name}/head",
            )
        )
    pieces.append(graph.constant(middle, np.int64, f"{name}/middle"))
    if end < rank - 1:
        pieces.append(
            graph.node(
                "Slice",
                [
                    shape,
                    graph.constant([end + 1], np.int64, f"{name}/after"),
                    graph.constant([rank], np.int64, f"{name}/rank"),
                ],
                f"{name}/tail",
            )
        )
    target = graph.node("Concat", pieces, f"{name}/target", axis=0)
    return graph.node("Reshape", [x, target], name)


@converter("Embedding")
def embedding(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    if getattr(module, "max_norm", None) is not None:
        raise unsupported(
            module, name, f"max_norm={module.max_norm} (it renormalises rows on lookup)"
        )
    return graph.node("Gather", [graph.weight(module.weight, f"{name}.weight"), x], name, axis=0)


@converter("BatchNorm1d", "BatchNorm2d", "BatchNorm3d")
def batch_norm(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    """Eval mode: the running statistics, as fixed initializers."""
    if not module.track_running_stats:
        raise unsupported(
            module, name, "track_running_stats=False (eval mode then uses each batch's statistics)"
        )
    channels, dtype = module.num_features, example.dtype
    scale = module.weight if module.weight is not None else np.ones(channels, dtype)
    shift = module.bias if module.bias is not None else np.zeros(channels, dtype)
    inputs = [
        x,
        graph.weight(scale, f"{name}.weight"),
        graph.weight(shift, f"{name}.bias"),
        graph.weight(module.running_mean, f"{name}.running_mean"),
        graph.weight(module.running_var, f"{name}.running_var"),
    ]
    return graph.node("BatchNormalization", inputs, name, epsilon=float(module.eps))


@converter("LayerNorm")
def layer_norm(graph: GraphBuilder, module: Any, name: str, x: str, example: np.ndarray) -> str:
    """LayerNormalization (opset 17) over the last len(normalized_shape) axes."""
    shape, dtype = tuple(module.normalized_shape), example.dtype
    scale = module.weight if module.weight is not None else np.ones(shape, dtype)
    inputs = [x, graph.weight(scale, f"{name}.weight")]
    if module.bias is not None:
        inputs.append(graph.weight(module.bias, f"{name}.bias"))
    return graph.node(
        "LayerNormalization", inputs, name, axis=-len(shape), epsilon=float(module.eps)
    )
