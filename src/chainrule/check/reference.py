"""The notebook's layers as chainrule computes them, for ``like=``: what a right forward returns.

Each reference runs chainrule's own hand-chained layer (chainrule.manual) with the student's
parameters, so the forward is held to the same Functions the rest of chainrule uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import manual, nn


@dataclass(frozen=True)
class Reference:
    """``kind`` is layer, loss, forward (no backward) or function; ``forward`` computes the truth."""

    kind: str
    forward: Callable[..., np.ndarray]
    inputs: Callable[[np.random.Generator, int], np.ndarray]
    targets: Callable[[np.random.Generator, int], np.ndarray] | None = None
    adds_ones: bool = False  # the layer prepends a column of ones itself (the notebook's Linear3)
    needs: tuple[str, ...] = ()  # attributes an object must have to be taken for this one by name


class NotWritten(Exception):
    """The blank is still blank: the code returned None or raised NotImplementedError."""


class NotNumbers(TypeError):
    """What the student's code returned is no real array; ``diagnosis`` says which way."""

    def __init__(self, diagnosis: str) -> None:
        super().__init__(diagnosis)
        self.diagnosis = diagnosis


def as_array(value) -> np.ndarray:
    """A float64 ndarray from whatever a forward returned (an ndarray, a float, or a Tensor)."""
    if hasattr(value, "numpy"):
        value = value.detach().numpy()
    try:
        array = np.asarray(value)
        if array.dtype.kind == "c":  # casting would drop the imaginary part with only a warning
            raise NotNumbers("complex_value")
        return np.asarray(array, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise error if isinstance(error, NotNumbers) else NotNumbers("not_an_array") from None


def _linear(bias: bool):
    def forward(obj, inputs, params, targets=None):
        layer = manual.Linear(2, 1, bias=bias, theta=params["theta"], dtype=np.float64, generator=0)
        return as_array(layer.forward(inputs))

    return forward


def _sigmoid(obj, inputs, params=None, targets=None):
    return as_array(manual.Sigmoid().forward(inputs))


def _module(make):
    """An activation the notebook's sequel teaches, as chainrule's own module computes it."""

    def forward(obj, inputs, params=None, targets=None):
        return as_array(manual.Layer(make()).forward(inputs))

    return forward


def _mse(obj, inputs, params=None, targets=None):
    return as_array(manual.MSELoss().forward(inputs, targets))


def _bce(obj, inputs, params=None, targets=None):
    epsilon = float(getattr(obj, "epsilon", 1e-10) or 0.0)
    return as_array(manual.BCELoss(epsilon=epsilon).forward(inputs, targets))


def _line(obj, inputs, params=None, targets=None):
    # section 1.1's Linear holds plain floats a and b; y = a x + b needs no layer of its own
    a, b = _coefficients(obj)
    return as_array(a * inputs + b)


def _coefficients(obj) -> tuple[float, float]:
    """a and b as attributes, or in a dict the student keeps them in (self.params["a"])."""
    if hasattr(obj, "a") and hasattr(obj, "b"):
        return float(obj.a), float(obj.b)
    for value in getattr(obj, "__dict__", {}).values():
        if isinstance(value, dict) and "a" in value and "b" in value:
            return float(value["a"]), float(value["b"])
    raise AttributeError("Linear: expected a and b, as attributes or in a dict, got neither")


def _normal(shape):
    return lambda rng, n: rng.standard_normal((n,) + shape)


def _probabilities(rng, n):
    return rng.uniform(0.1, 0.9, size=(n, 1))


def _labels(rng, n):
    return rng.integers(0, 2, size=(n, 1)).astype(np.float64)


REFERENCES: dict[str, Reference] = {
    "Linear": Reference("forward", _line, _normal(()), needs=("a", "b")),
    "loss_MSE": Reference("function", _mse, _normal((1,)), _normal((1,))),
    "MSELoss": Reference("loss", _mse, _normal((1,)), _normal((1,))),
    "Linear2": Reference("layer", _linear(bias=False), _normal((2,)), needs=("theta",)),
    "Linear3": Reference(
        "layer", _linear(bias=True), _normal((2,)), adds_ones=True, needs=("theta",)
    ),
    "sigmoid": Reference("function", _sigmoid, _normal((1,))),
    "Sigmoid": Reference("layer", _sigmoid, _normal((1,))),
    "BCELoss": Reference("loss", _bce, _probabilities, _labels),
}
for _name, _make in {"ReLU": nn.ReLU, "Relu": nn.ReLU, "ReLu": nn.ReLU, "Tanh": nn.Tanh}.items():
    REFERENCES[_name] = Reference("layer", _module(_make), _normal((3,)))


def _merge_sequel() -> None:
    """What students write after the notebook (GELU, SoftmaxWithLoss) lives in its own file."""
    from .reference_scores import SCORES
    from .reference_sequel import SEQUEL

    REFERENCES.update(SEQUEL)
    REFERENCES.update(SCORES)
    REFERENCES["CrossEntropyLoss"] = SEQUEL["SoftmaxWithLoss"]


_merge_sequel()
