"""GraphBuilder: the ONNX nodes and initializers one export collects, and the converter registry.

A converter turns one layer into nodes: ``convert(graph, module, name, x, example) -> str`` gets
the layer's dotted path ``name``, the ONNX value name ``x`` of its input and the input's example
array (for rank, shape and dtype), and returns the ONNX value name of its output.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
from onnx import helper, numpy_helper

Converter = Callable[["GraphBuilder", Any, str, str, np.ndarray], str]
CONVERTERS: dict[str, Converter] = {}
# Converters for Functions met while tracing a forward, keyed on the Function's class name:
# ``convert(graph, ctx, arrays, config, out) -> str`` reads its inputs' ONNX names through
# ``graph.value(array)`` (a traced value, or else a constant initializer).
OpConverter = Callable[["GraphBuilder", Any, tuple, dict, np.ndarray], str]
OP_CONVERTERS: dict[str, OpConverter] = {}


def converter(*class_names: str) -> Callable[[Converter], Converter]:
    """Register a converter under torch's class names (classes not yet written match by name too)."""

    def register(function: Converter) -> Converter:
        for class_name in class_names:
            CONVERTERS[class_name] = function
        return function

    return register


def op_converter(*class_names: str) -> Callable[[OpConverter], OpConverter]:
    """Register a converter for the Functions of these class names."""

    def register(function: OpConverter) -> OpConverter:
        for class_name in class_names:
            OP_CONVERTERS[class_name] = function
        return function

    return register


class GraphBuilder:
    """Nodes in the order they run, initializers by name, and fresh value names.

    ``names`` maps id(ndarray) to the ONNX value that computes it, for the arrays the traced
    forward derived from the inputs; ``keep`` holds those arrays so no id is reused meanwhile.
    """

    def __init__(self, opset: int = 17) -> None:
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._taken: set[str] = set()
        self.opset = opset
        self.names: dict[int, str] = {}
        self.keep: list[Any] = []
        self.constants: dict[int, str] = {}  # id(array) -> initializer: a tied weight is one
        self.hints: dict[int, str] = {}  # id(parameter's array) -> its state_dict key
        self.dynamic: set[int] = set()  # the example's sizes on the axes named dynamic
        self.scope = ""  # the path and op name a traced op's nodes are named after

    def traced(self, array: Any) -> bool:
        return id(array) in self.names

    def bind(self, array: np.ndarray, name: str) -> None:
        self.names[id(array)] = name
        self.keep.append(array)

    def value(self, array: Any, hint: str = "const") -> str:
        """The ONNX name of ``array``: its traced value, or a constant initializer holding it."""
        name = self.names.get(id(array))
        if name is None:
            name = self.constants.get(id(array))
        if name is None:
            name = self.weight(array, self.hints.get(id(array), hint))
            self.constants[id(array)] = name
            self.keep.append(array)
        return name

    def ints(self, values: Any, hint: str) -> str:
        """An int64 constant (shapes, axes, pads), as ONNX wants them."""
        return self.constant(list(values), np.int64, hint)

    def fresh(self, hint: str) -> str:
        name, count = hint, 1
        while name in self._taken:
            count += 1
            name = f"{hint}_{count}"
        self._taken.add(name)
        return name

    def node(self, op_type: str, inputs: list[str], hint: str, **attributes: Any) -> str:
        """Append one node with a single output and return that output's name."""
        output = self.fresh(hint)
        self.nodes.append(
            helper.make_node(
                op_type, inputs, [output], name=self.fresh(f"{hint}/{op_type}"), **attributes
            )
        )
        return output

    def weight(self, array: Any, hint: str) -> str:
        """An initializer holding a copy of ``array`` (a Parameter, a buffer or an ndarray)."""
        from ..autograd.tensor import Tensor

        value = array.detach().numpy() if isinstance(array, Tensor) else np.asarray(array)
        name = self.fresh(hint)
        self.initializers.append(numpy_helper.from_array(np.array(value, copy=True), name))
        return name

    def constant(self, value: Any, dtype: Any, hint: str) -> str:
        """A constant initializer in ``dtype``, so float32 graphs never meet a float64 literal."""
        return self.weight(np.asarray(value, dtype=dtype), hint)
