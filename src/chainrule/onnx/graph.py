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


def converter(*class_names: str) -> Callable[[Converter], Converter]:
    """Register a converter under torch's class names (classes not yet written match by name too)."""

    def register(function: Converter) -> Converter:
        for class_name in class_names:
            CONVERTERS[class_name] = function
        return function

    return register


class GraphBuilder:
    """Nodes in the order they run, initializers by name, and fresh value names."""

    def __init__(self) -> None:
        self.nodes: list[Any] = []
        self.initializers: list[Any] = []
        self._taken: set[str] = set()

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

        value = array.numpy() if isinstance(array, Tensor) else np.asarray(array)
        name = self.fresh(hint)
        self.initializers.append(numpy_helper.from_array(np.array(value, copy=True), name))
        return name

    def constant(self, value: Any, dtype: Any, hint: str) -> str:
        """A constant initializer in ``dtype``, so float32 graphs never meet a float64 literal."""
        return self.weight(np.asarray(value, dtype=dtype), hint)
