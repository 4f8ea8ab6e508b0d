"""chainrule.onnx.export: a chainrule model as an ONNX graph (opset 17+), torch's arguments.

The forward runs once in eval mode under a tracer (trace.py): a module with a converter
(graph.CONVERTERS) becomes that converter's nodes, and every other op it applies becomes the
nodes of its Function's converter (graph.OP_CONVERTERS); constants are folded as it goes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, BinaryIO, Mapping, Sequence

import numpy as np
import onnx
from onnx import helper

from .._checks import check_tensor
from ..errors import ExportError, GraphError
from . import activations, conv, layers  # noqa: F401  (they register their converters)
from . import layers_more, ops, ops_conv, ops_shape, recurrent  # noqa: F401  (they register theirs)
from .graph import GraphBuilder
from .options import TrainingMode
from .trace import Tracer, leaves, refuse_graph_error, traced_modules

MIN_OPSET = 17
DynamicAxes = Mapping[str, Mapping[int, str] | Sequence[int]]


def export(
    model: Any,
    args: Any,
    f: str | Path | BinaryIO | None = None,
    input_names: Sequence[str] | None = None,
    output_names: Sequence[str] | None = None,
    opset_version: int | None = None,
    dynamic_axes: DynamicAxes | None = None,
    *,
    export_params: bool = True,
    verbose: bool | None = None,
    training: Any = TrainingMode.EVAL,
    do_constant_folding: bool = True,
    keep_initializers_as_inputs: bool = False,
    dynamo: bool = False,
    external_data: bool = True,
    kwargs: Mapping[str, Any] | None = None,
    dynamic_shapes: Any = None,
    operator_export_type: Any = None,
    custom_opsets: Mapping[str, int] | None = None,
    export_modules_as_functions: Any = False,
    autograd_inlining: bool = True,
) -> onnx.ModelProto:
    """Write ``model`` to ``f`` as ONNX, in eval mode, and return the ModelProto.

    torch.onnx.export's arguments: ``args`` is the example input (a Tensor, an ndarray or a
    tuple of them, one per forward argument); ``dynamic_axes`` maps an input or output name to
    the axes that may vary, e.g. ``{"input": {0: "batch"}, "output": {0: "batch"}}``. Without
    it every axis is fixed to the example's, as in torch. The forward is traced once: ops
    between layers (reshape, cat, matmul, arithmetic with constants, ...) become ONNX nodes.
    ``f`` may be a path, a binary file object or None. Unlike torch, the ModelProto is
    returned. Constants are always folded (``do_constant_folding`` is read and ignored); the
    ``dynamo`` switch picks nothing here, as both roads end in the same graph.
    """
    from .. import io
    from ..io_safetensors import _write_atomically
    from ..nn.module import Module
    from .options import check_options

    who = "onnx.export"
    if not isinstance(model, Module):  # the exporter walks modules(): a function has none
        raise TypeError(f"{who}: expected a chainrule nn.Module, got {type(model).__name__}.")
    check_options(
        model,
        export_params=export_params,
        training=training,
        keep_initializers_as_inputs=keep_initializers_as_inputs,
        kwargs=kwargs,
        dynamic_shapes=dynamic_shapes,
        operator_export_type=operator_export_type,
        custom_opsets=custom_opsets,
        export_modules_as_functions=export_modules_as_functions,
    )
    opset_version = MIN_OPSET if opset_version is None else opset_version
    if isinstance(opset_version, bool) or not isinstance(opset_version, (int, np.integer)):
        raise TypeError(f"{who}: expected an integer opset_version, got {opset_version!r}.")
    path = None
    if isinstance(f, (str, Path)) or (f is not None and not hasattr(f, "write")):
        path = io.check_writable(io.as_path(f, who), who)  # a folder or a bad path, before the work
    newest = onnx.defs.onnx_opset_version()
    if not MIN_OPSET <= opset_version <= newest:
        raise ValueError(
            f"onnx.export: expected opset_version in [{MIN_OPSET}, {newest}], got {opset_version}."
        )
    examples = _examples(args)
    inputs = _names(input_names, len(examples), "input")
    graph = GraphBuilder(int(opset_version))
    for name, example in zip(inputs, examples):
        graph.fresh(name)
        graph.bind(example, name)
    graph.dynamic = {
        examples[i].shape[axis % examples[i].ndim]
        for i, name in enumerate(inputs)
        for axis in _named_axes(name, (dynamic_axes or {}).get(name, {}))
        if examples[i].ndim
    }
    results = _trace(graph, model, examples)
    outputs = _names(output_names, len(results), "output")
    axes = {key: _named_axes(key, value) for key, value in (dynamic_axes or {}).items()}
    unknown = set(axes) - set(inputs) - set(outputs)
    if unknown:
        raise ValueError(
            f"onnx.export: expected dynamic_axes keys among {inputs + outputs}, "
            f"got {sorted(unknown)}."
        )
    for index, (name, result) in enumerate(zip(outputs, results)):
        if not graph.traced(result):
            raise ExportError(
                f"onnx.export: expected outputs computed from the inputs, got output {index} "
                f"({name}), which the trace saw as a constant.\nHint: argmax, comparisons and "
                f".numpy() leave the traced ops; return the values they are computed from."
            )
        graph.fresh(name)
        graph.nodes.append(
            helper.make_node("Identity", [graph.value(result)], [name], name=f"{name}/Identity")
        )
    dynamic = any(axes.get(name) for name in inputs)
    proto = helper.make_model(
        helper.make_graph(
            graph.nodes,
            "chainrule",
            [_value_info(n, e, axes, static=True) for n, e in zip(inputs, examples)],
            [_value_info(n, r, axes, static=not dynamic) for n, r in zip(outputs, results)],
            graph.initializers,
        ),
        opset_imports=[helper.make_opsetid("", int(opset_version))],
        producer_name="chainrule",
    )
    proto.ir_version = min(proto.ir_version, 10)  # runtimes lag the onnx package's newest IR
    onnx.checker.check_model(proto, full_check=True)
    from .verify import check_second_input

    check_second_input(proto, model, examples, inputs, axes)
    if verbose:
        print(helper.printable_graph(proto.graph))
    if path is not None:
        # a temporary file renamed over f: a failed write leaves an earlier export whole
        _write_atomically(path, proto.SerializeToString(), who)
    elif f is not None:
        f.write(proto.SerializeToString())
    return proto


def _trace(graph: GraphBuilder, model: Any, examples: list[np.ndarray]) -> list[np.ndarray]:
    """Run the model once in eval mode under the tracer; the output arrays, flattened."""
    from .. import no_grad, tensor
    from ..autograd.grad_mode import _Mode
    from ..autograd.tensor import Tensor

    tracer = Tracer(graph)
    for key, parameter in list(model.named_parameters()) + list(model.named_buffers()):
        graph.hints.setdefault(id(parameter._data), key)
    modes = {module: module.training for module in model.modules()}
    model.eval()
    if _Mode.capture is not None:
        raise ExportError("onnx.export: expected no CPUGraph capture in progress, got one.")
    try:
        with no_grad(), traced_modules(model, tracer):
            _Mode.capture = tracer
            try:
                output = model(*[_as_tensor(tensor, Tensor, e) for e in examples])
            except GraphError as error:
                raise refuse_graph_error(tracer.failed_at or tracer.where(), error) from None
            finally:
                _Mode.capture = None
    finally:
        for module, mode in modes.items():
            object.__setattr__(module, "training", mode)
    results = []
    for leaf in leaves(output):
        if not isinstance(leaf, Tensor):
            raise ExportError(
                f"onnx.export: expected a forward that returns tensors (or tuples of them), "
                f"got {type(leaf).__name__}."
            )
        results.append(leaf._data)
    return results


def _as_tensor(tensor: Any, kind: type, example: np.ndarray) -> Any:
    """The example as a Tensor whose array is the very one the graph names as an input."""
    wrapped = tensor(example)
    wrapped._data = example
    return wrapped


def _examples(args: Any) -> list[np.ndarray]:
    from ..autograd.tensor import Tensor

    if not isinstance(args, tuple):
        args = (args,)
    if not args:
        raise ValueError("onnx.export: expected at least one example input, got none.")
    if isinstance(args[-1], dict):
        raise ValueError(
            "onnx.export: expected example inputs as tensors, got a dict of keyword arguments."
            "\nHint: pass them positionally, in the forward's order."
        )
    examples = []
    for arg in args:
        check_tensor("onnx.export", arg, "the example input")  # a list would trace as float64
        array = arg.detach().numpy() if isinstance(arg, Tensor) else np.asarray(arg)
        examples.append(np.array(array, copy=True))  # its own array: the graph input's id
    return examples


def _names(given: Sequence[str] | None, count: int, stem: str) -> list[str]:
    names = list(given or [])[:count]
    names += [stem if i == 0 else f"{stem}_{i}" for i in range(len(names), count)]
    return names


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
