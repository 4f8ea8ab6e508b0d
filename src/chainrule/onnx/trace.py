"""Tracing a forward for export: run it once and write an ONNX node for each op it applies.

The tracer stands where a CPUGraph capture stands (``_Mode.capture``), so every Function's
forward reports to it with its arrays, its config and its result. An op whose inputs all are
constants (weights, numbers, tensors built inside forward) is folded: its result becomes an
initializer if a later op reads it. An op that reads a traced value needs a converter
(graph.OP_CONVERTERS). A module with a converter of its own (graph.CONVERTERS: Conv2d,
BatchNorm, the pools) is written as that converter's nodes, and its inner ops are not traced.

What a trace cannot see is what runs outside Functions: a comparison, argmax, ``.numpy()``
or a Python branch on a value. export.py checks the graph on a second input to catch them.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterator

import numpy as np
from onnx import helper

from ..errors import ExportError, GraphError
from ..nn.module_hooks import NO_HOOKS
from .graph import CONVERTERS, OP_CONVERTERS, GraphBuilder


class Tracer:
    """The capture protocol's ``forward``, ``call``, ``write`` and ``produced``, for export."""

    def __init__(self, graph: GraphBuilder) -> None:
        self.graph = graph
        self.scope: list[tuple[str, str]] = []  # (path, class name) of the modules running
        self.inside = 0  # > 0 while a module with its own converter runs
        self.failed_at: str | None = None  # where() when an error first left a module

    def where(self) -> str:
        path, kind = self.scope[-1] if self.scope else ("", "")
        return f"{path or 'the model'}: {kind}" if kind else "the model"

    def forward(self, cls: type, ctx: Any, arrays: tuple, inputs: Any, config: dict, out: Any):
        graph = self.graph
        if not self.inside and inputs is not None:
            _cast_promoted(graph, arrays, inputs)
        if self.inside or not _reads_traced(graph, arrays, config):
            return out  # a constant: an initializer if a traced op reads it later
        convert = OP_CONVERTERS.get(cls.__name__)
        if convert is None:
            raise ExportError(
                f"onnx.export({self.where()}): expected operations that have an ONNX form, got "
                f"{cls.op_name()} (Function {cls.__name__}), which the exporter cannot write.\n"
                f"Hint: see README's 'Moving on' for the ops and layers export covers; compute "
                f"this part outside the exported model."
            )
        path = self.scope[-1][0] if self.scope else ""
        graph.scope = f"{path}/{cls.op_name()}" if path else cls.op_name()
        graph.bind(out, convert(graph, ctx, arrays, config, out))
        return out

    def call(self, fn: Callable[..., Any], *args: Any) -> Any:
        return fn(*args)

    def write(self, target: np.ndarray, values: Any) -> None:
        """An in-place write: the target now holds the written values (or a constant)."""
        graph = self.graph
        if graph.traced(values):
            graph.bind(target, graph.names[id(values)])
        else:
            graph.names.pop(id(target), None)

    def produced(self, array: Any) -> bool:
        return False

    def hooked(self, module: Any, path: str, original: Callable, hooks: Any, *args, **kwargs):
        """``module`` with its forward pre-hooks and hooks run around it, as module_hooks.call
        runs them (which refuses them under a capture: a CPUGraph replay would skip them, but a
        trace records what they compute). Backward hooks do not run: export needs no backward."""
        for hook, with_kwargs, _ in list(hooks.pre):
            result = hook(module, args, kwargs) if with_kwargs else hook(module, args)
            if result is not None and with_kwargs:
                args, kwargs = result
            elif result is not None:
                args = result if isinstance(result, tuple) else (result,)
        output = self.module(module, path, original, *args, **kwargs)
        for hook, with_kwargs, _ in list(hooks.post):
            result = (
                hook(module, args, kwargs, output) if with_kwargs else hook(module, args, output)
            )
            output = output if result is None else result
        return output

    def module(self, module: Any, path: str, original: Callable, *args: Any, **kwargs: Any):
        """A module's forward, as its converter's nodes where it has one, else traced op by op."""
        from ..autograd.tensor import Tensor

        graph = self.graph
        convert = CONVERTERS.get(type(module).__name__)
        self.scope.append((path, type(module).__name__))
        try:
            if (
                convert is None
                or self.inside
                or kwargs
                or len(args) != 1
                or not isinstance(args[0], Tensor)
                or not graph.traced(args[0]._data)
            ):
                return original(*args, **kwargs)
            x = args[0]._data
            self.inside += 1
            try:
                result = original(*args)
            finally:
                self.inside -= 1
            name = convert(graph, module, path or type(module).__name__, graph.names[id(x)], x)
            names = name if isinstance(name, (tuple, list)) else [name]
            for tensor, value in zip(leaves(result), names):  # (an RNN gives several)
                graph.bind(tensor._data, value)
            return result
        except BaseException:
            self.failed_at = self.failed_at or self.where()
            raise
        finally:
            self.scope.pop()


def _cast_promoted(graph: GraphBuilder, arrays: tuple, inputs: Any) -> None:
    """An input the dtype rule converted (int64 * 0.5) is a new array: a Cast of the traced one."""
    for array, given in zip(arrays, inputs):
        source = getattr(given, "_data", None)
        if (
            source is not None
            and array is not source
            and isinstance(array, np.ndarray)
            and not graph.traced(array)
            and graph.traced(source)
            and array.shape == source.shape
        ):
            to = helper.np_dtype_to_tensor_dtype(array.dtype)
            graph.bind(array, graph.node("Cast", [graph.names[id(source)]], "cast", to=to))


def _reads_traced(graph: GraphBuilder, arrays: tuple, config: dict) -> bool:
    for array in arrays:
        if id(array) in graph.names:
            return True
    return any(id(value) in graph.names for value in config.values())


class traced_modules:
    """Within ``with``: every module's forward goes through ``tracer.module``; undone on exit."""

    def __init__(self, model: Any, tracer: Tracer) -> None:
        self.model, self.tracer = model, tracer
        self.saved: list[tuple[Any, Any]] = []

    def __enter__(self) -> traced_modules:
        for path, module in self.model.named_modules():
            own = module.__dict__.get("forward")
            original = module.forward
            hooks = module.__dict__.get("_forward_hooks")
            self.saved.append((module, own, hooks))
            if hooks is None:
                wrapped = functools.partial(self.tracer.module, module, path, original)
            else:  # the hooks run inside the wrapper; __call__ then goes straight to it
                wrapped = functools.partial(self.tracer.hooked, module, path, original, hooks)
                object.__setattr__(module, "_forward_hooks", NO_HOOKS)
            object.__setattr__(module, "forward", wrapped)
        return self

    def __exit__(self, *exc: Any) -> None:
        for module, own, hooks in self.saved:
            if own is None:
                module.__dict__.pop("forward", None)
            else:
                object.__setattr__(module, "forward", own)
            if hooks is not None:
                object.__setattr__(module, "_forward_hooks", hooks)


def leaves(output: Any) -> Iterator[Any]:
    """The tensors of a forward's output in torch's order: nested tuples and lists flattened."""
    if isinstance(output, (tuple, list)):
        for item in output:
            yield from leaves(item)
    else:
        yield output


def refuse_graph_error(where: str, error: GraphError) -> ExportError:
    """A CPUGraph refusal met while tracing (a hook, ``.item()``, a mask): said as export's."""
    text = str(error).replace("CPUGraph capture", "traced export").split("\nHint:")[0]
    return ExportError(
        f"onnx.export({where}): expected a forward export can trace once, got: {text}\n"
        "Hint: a value read in Python (.item(), a branch, a bool mask) is frozen by a trace; "
        "keep such code outside the exported model."
    )
