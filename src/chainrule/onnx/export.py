"""chainrule.onnx.export: a model built from chainrule's layers as an ONNX graph (opset 17+).

The exporter walks the module tree rather than tracing: Sequential runs its children in order
and every other module needs a converter (graph.CONVERTERS). The example input runs through
the model alongside, in eval mode, to give each converter its input's rank, shape and dtype.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np
import onnx
from onnx import helper

from .._checks import check_tensor
from ..errors import ExportError
from . import activations, conv, layers  # noqa: F401  (they register their converters)
from .graph import CONVERTERS, GraphBuilder

MIN_OPSET = 17
DynamicAxes = Mapping[str, Mapping[int, str] | Sequence[int]]


def export(
    model: Any,
    args: Any,
    f: str | Path,
    input_names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
    opset_version: int = MIN_OPSET,
    dynamic_axes: DynamicAxes | None = None,
) -> onnx.ModelProto:
    """Write ``model`` to ``f`` as ONNX, in eval mode, and return the ModelProto.

    torch.onnx.export's arguments: ``args`` is the example input (a Tensor, an ndarray or a
    1-tuple); ``dynamic_axes`` maps an input or output name to the axes that may vary, e.g.
    ``{"input": {0: "batch"}, "output": {0: "batch"}}``. Without it every axis is fixed to the
    example's, as in torch. Unlike torch, the ModelProto is returned.
    """
    from .. import io
    from ..io_safetensors import _write_atomically
    from ..nn.module import Module

    who = "onnx.export"
    if not isinstance(model, Module):  # the exporter walks modules(): a function has none
        raise TypeError(f"{who}: expected a chainrule nn.Module, got {type(model).__name__}.")
    if isinstance(opset_version, bool) or not isinstance(opset_version, (int, np.integer)):
        raise TypeError(f"{who}: expected an integer opset_version, got {opset_version!r}.")
    path = io.check_writable(io.as_path(f, who), who)  # a folder or a bad path, before the work
    newest = onnx.defs.onnx_opset_version()
    if not MIN_OPSET <= opset_version <= newest:
        raise ValueError(
            f"onnx.export: expected opset_version in [{MIN_OPSET}, {newest}], got {opset_version}."
        )
    example = _example(args)
    input_name = (list(input_names) if input_names else ["input"])[0]
    output_name = (list(output_names) if output_names else ["output"])[0]
    axes = {key: _named_axes(key, value) for key, value in (dynamic_axes or {}).items()}
    unknown = set(axes) - {input_name, output_name}
    if unknown:
        raise ValueError(
            f"onnx.export: expected dynamic_axes keys among {[input_name, output_name]}, "
            f"got {sorted(unknown)}."
        )
    graph = GraphBuilder()
    graph.fresh(input_name)
    graph.fresh(output_name)
    modes = {module: module.training for module in model.modules()}
    model.eval()
    try:
        last, result = _emit(graph, model, "", input_name, example)
    finally:
        for module, mode in modes.items():
            object.__setattr__(module, "training", mode)
    graph.nodes.append(helper.make_node("Identity", [last], [output_name], name="output/Identity"))
    proto = helper.make_model(
        helper.make_graph(
            graph.nodes,
            "chainrule",
            [_value_info(input_name, example, axes, static=True)],
            [_value_info(output_name, result, axes, static=not axes.get(input_name))],
            graph.initializers,
        ),
        opset_imports=[helper.make_opsetid("", opset_version)],
        producer_name="chainrule",
    )
    proto.ir_version = min(proto.ir_version, 10)  # runtimes lag the onnx package's newest IR
    onnx.checker.check_model(proto, full_check=True)
    # a temporary file renamed over f: a failed write leaves an earlier export whole
    _write_atomically(path, proto.SerializeToString(), who)
    return proto


def _example(args: Any) -> np.ndarray:
    from ..autograd.tensor import Tensor

    if isinstance(args, tuple):
        if len(args) != 1:
            raise ValueError(
                f"onnx.export: expected one example input, got a tuple of {len(args)}."
            )
        args = args[0]
    check_tensor("onnx.export", args, "the example input")  # a list would be traced as float64
    return args.numpy() if isinstance(args, Tensor) else np.asarray(args)


def _named_axes(key: str, value: Mapping[int, str] | Sequence[int]) -> dict[int, str]:
    if isinstance(value, Mapping):
        return {int(axis): str(label) for axis, label in value.items()}
    return {
        int(axis): f"{key}_dynamic_axes_{i + 1}" for i, axis in enumerate(value)
    }  # torch's naming


def _value_info(name: str, array: np.ndarray, axes: dict[str, dict[int, str]], static: bool) -> Any:
    """Named axes are symbolic; the rest keep the example's size, or are left open when ``static`` is False."""
    named = {axis % array.ndim: label for axis, label in axes.get(name, {}).items()}
    shape = [named.get(axis, size if static else None) for axis, size in enumerate(array.shape)]
    element = helper.np_dtype_to_tensor_dtype(array.dtype)
    return helper.make_tensor_value_info(name, element, shape)


def _emit(
    graph: GraphBuilder, module: Any, path: str, x: str, example: np.ndarray
) -> tuple[str, np.ndarray]:
    """Nodes for ``module`` applied to ``x``; returns the output's name and example value."""
    from .. import no_grad, tensor
    from ..nn import Sequential

    kind = type(module).__name__
    if isinstance(module, Sequential) or kind == "Sequential":
        for child_name, child in module.named_children():
            x, example = _emit(
                graph, child, f"{path}.{child_name}" if path else child_name, x, example
            )
        return x, example
    convert = CONVERTERS.get(kind)
    if convert is None:
        where = path or "the model"
        raise ExportError(
            f"onnx.export({where}: {kind}): expected a module built from Sequential and the known "
            f"layers ({', '.join(sorted(CONVERTERS))}), got {kind}, which has no ONNX converter.\n"
            "Hint: rewrite it as a Sequential of known layers, or export its parts separately."
        )
    out = convert(graph, module, path or kind, x, example)
    with no_grad():
        result = module(tensor(example))
    return out, result.numpy() if hasattr(result, "numpy") else np.asarray(result)
