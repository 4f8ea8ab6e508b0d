"""Autograd: Tensor, Function, the backward engine and the grad-mode switches.

``chainrule.autograd.Function`` is torch's form (Tensors in forward and backward, with
``ctx.save_for_backward``); chainrule's own ops use ``chainrule.Function`` (ndarrays).
"""

from .function import Function as NdarrayFunction
from .function import unbroadcast
from ..cpugraph.capture import CPUGraph, graph
from .grad_mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .tensor import Tensor
from .torch_function import Function, gradcheck

__all__ = [
    "CPUGraph",
    "graph",
    "Function",
    "NdarrayFunction",
    "Tensor",
    "detect_anomaly",
    "enable_grad",
    "grad",  # noqa: F405  (from autograd_extras, below)
    "gradcheck",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
    "unbroadcast",
]
from ..autograd_extras import *  # noqa: E402, F403  (grad, functional, forward_ad, ...: kept outside)
