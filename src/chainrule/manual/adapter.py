"""The notebook's calling convention for any chainrule module (``manual.Layer(nn.Tanh())``).

``forward(inputs=x)`` records the module's Functions on a fresh graph; ``backward(grad=g)``
runs that graph backward from g and returns dL/d(inputs); ``update()`` takes one
gradient-descent step with the layer's ``alpha``. No derivative is written here.
"""

from __future__ import annotations


import numpy as np

from ..autograd.tensor import Tensor
from ..nn.module import Module
from .window import gradient_descent


class Layer:
    """Wraps one Module so it can be driven by hand, one forward/backward call at a time."""

    def __init__(self, module: Module, alpha: float = 0.1) -> None:
        self.module = module
        self.alpha = alpha
        self.inputs: np.ndarray | None = None
        self._inputs: Tensor | None = None
        self._output: Tensor | None = None

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        self.inputs = np.asarray(inputs)
        self._inputs = Tensor._of(self.inputs, requires_grad=self.inputs.dtype.kind == "f")
        self._output = self.module(self._inputs)
        return self._output._data

    def backward(self, grad: np.ndarray) -> np.ndarray | None:
        """Parameter gradients are kept on the layer (``grad_<name>``); returns dL/d(inputs)."""
        if self._output is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward: expected forward(inputs=...) to have run first, "
                "got no recorded forward pass."
            )
        self.module.zero_grad()
        self._inputs.grad = None
        self._output.backward(np.asarray(grad, dtype=self._output.dtype))
        self._output = None
        return self._inputs._grad

    def update(self) -> None:
        """One step of gradient descent: p -= alpha * dL/dp, as the notebook's update()."""
        for param in self.module.parameters():
            gradient_descent(param._data, param._grad, self.alpha)

    def parameters(self) -> list:
        return list(self.module.parameters())


class Loss:
    """Wraps a loss Module: ``forward(inputs, targets)`` returns the loss, ``backward()`` dL/d(inputs)."""

    def __init__(self, module: Module) -> None:
        self.module = module
        self._inputs: Tensor | None = None
        self._loss: Tensor | None = None

    def forward(self, inputs: np.ndarray, targets: np.ndarray) -> float:
        inputs = np.asarray(inputs)
        self._inputs = Tensor._of(inputs, requires_grad=True)
        self._loss = self.module(self._inputs, np.asarray(targets))
        return self._loss._data

    def backward(self) -> np.ndarray:
        if self._loss is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward: expected forward(inputs=..., targets=...) to have "
                "run first, got no recorded forward pass."
            )
        self._loss.backward()
        self._loss = None
        return self._inputs._grad
