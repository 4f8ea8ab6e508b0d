"""Autograd: Tensor, Function, the backward engine and the grad-mode switches."""

from .function import Function, unbroadcast
from .grad_mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .tensor import Tensor

__all__ = [
    "Function",
    "Tensor",
    "detect_anomaly",
    "enable_grad",
    "is_grad_enabled",
    "no_grad",
    "unbroadcast",
]
