"""The notebook's layers: Linear (its Linear2 and Linear3), Sigmoid, MSELoss and BCELoss.

Each is a window onto one Function of chainrule.functional: ``forward`` calls that
Function's ``forward``, ``backward`` its ``backward``, directly, with the notebook's keywords
(``inputs``, ``targets``, ``grad``). Parameters are plain arrays (``theta``) with their
gradients beside them (``grad_theta``), as in the notebook. No formula is written here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from ..errors import DTypeError
from ..functional.binary_loss import BCELoss as _BCE
from ..functional.linear import _explain
from ..functional.regression_loss import _same_shape
from ..random import SeedLike
from .window import Step, gradient_descent


class Linear:
    """y = inputs @ theta.T, with ``theta`` of shape (out_features, in_features [+ 1]).

    ``bias=False`` is the notebook's Linear2: X already holds a column of ones, so theta = [[b, a]].
    ``bias=True`` is its Linear3: the layer adds the bias itself and theta reads [[c, a, b]],
    bias first. ``grad_theta`` = grad.T @ inputs (with the ones column when bias=True), in
    theta's layout. dtype defaults to float64, NumPy's and the notebook's.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int = 1,
        bias: bool = False,
        alpha: float = 0.1,
        theta: Any = None,
        dtype: Any = np.float64,
        generator: SeedLike = None,
    ) -> None:
        from ..nn.linear import Linear as _Module  # its initialisation, drawn once

        start = _Module(in_features, out_features, bias=bias, dtype=dtype, generator=generator)
        # the module's own arrays (their .numpy() is refused: parameters require grad)
        weight = start.weight._data
        self.bias = bias
        bias_column = start.bias._data[:, None] if bias else None
        self.theta = np.concatenate([bias_column, weight], axis=1) if bias else weight
        self.alpha = alpha
        self.inputs: np.ndarray | None = None
        self.grad_theta: np.ndarray | None = None
        self._step = Step(F.Linear)
        if theta is not None:
            value = np.asarray(theta, dtype=self.theta.dtype)
            if value.shape != self.theta.shape:
                raise ValueError(
                    f"manual.Linear: expected theta of shape {self.theta.shape}, got {value.shape}."
                )
            self.theta = value.copy()

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        self.inputs = np.asarray(inputs)
        weight = self._weight()
        x = self.inputs
        if x.ndim == 0 or x.shape[-1] != weight.shape[1] or x.dtype.kind != "f":
            _explain(x, weight, "manual.Linear")
        if x.dtype != weight.dtype:
            raise DTypeError(
                f"manual.Linear: expected inputs of dtype {weight.dtype} like theta, got "
                f"{x.dtype}.\nHint: convert with inputs.astype(np.{weight.dtype})."
            )
        if self.bias:
            return self._step.forward(self.inputs, self._weight(), self.theta[:, 0])
        return self._step.forward(self.inputs, self.theta)

    def backward(self, grad: np.ndarray) -> np.ndarray:
        """Keeps dL/dtheta in ``grad_theta``; returns dL/d(inputs) for the layer before."""
        grads = self._step.backward(np.asarray(grad), "Linear")
        self.grad_theta = (
            np.concatenate([grads[2][:, None], grads[1]], axis=1) if self.bias else grads[1]
        )
        return grads[0]

    def update(self) -> None:
        gradient_descent(self.theta, self.grad_theta, self.alpha)

    def _weight(self) -> np.ndarray:
        return self.theta[:, 1:] if self.bias else self.theta


class Sigmoid:
    """The notebook's Sigmoid layer; no parameters, so update() does nothing."""

    def __init__(self) -> None:
        self._step = Step(F.Sigmoid)

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        return self._step.forward(np.asarray(inputs))

    def backward(self, grad: np.ndarray) -> np.ndarray:
        return self._step.backward(np.asarray(grad), "Sigmoid")[0]

    def update(self) -> None:
        """Nothing to learn."""


class _Loss:
    """forward(inputs, targets) returns the loss; backward() returns dL/d(inputs)."""

    function: Any = None

    def __init__(self) -> None:
        self._step = Step(self.function)
        self._dtype = None

    def _targets(self, inputs: np.ndarray, targets: Any) -> np.ndarray:
        _same_shape(type(self).__name__, inputs, targets)
        return np.asarray(targets).astype(inputs.dtype, copy=False)

    def backward(self) -> np.ndarray:
        one = np.ones((), dtype=self._dtype)  # dL/dL, as autograd starts backward
        return self._step.backward(one, type(self).__name__)[0]


class MSELoss(_Loss):
    """The notebook's MSELoss: backward() returns 2 (p - t) / N."""

    function = F.MSELoss

    def forward(self, inputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
        inputs = np.asarray(inputs)
        self._dtype = inputs.dtype
        return self._step.forward(inputs, self._targets(inputs, targets), reduction="mean")


class BCELoss(_Loss):
    """The notebook's BCELoss(epsilon): log(p + eps) and log(1 - p + eps) keep 0 and 1 finite."""

    function = _BCE

    def __init__(self, epsilon: float = 1e-10) -> None:
        super().__init__()
        self.epsilon = epsilon

    def forward(self, inputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
        inputs = np.asarray(inputs)
        self._dtype = inputs.dtype
        return self._step.forward(
            inputs,
            self._targets(inputs, targets),
            weight=None,
            reduction="mean",
            epsilon=self.epsilon,
        )
