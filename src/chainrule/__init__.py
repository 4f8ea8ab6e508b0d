"""chainrule: a deep-learning framework on NumPy, readable end to end."""

from . import functional, manual, metrics, nn, optim, utils
from .check import check
from .autograd import Function, Tensor, detect_anomaly, enable_grad, is_grad_enabled, no_grad
from .autograd.factories import (arange, as_tensor, full, ones, ones_like, rand, randn, tensor,
                                 zeros, zeros_like)
from .dtypes import get_default_dtype, set_default_dtype
from .errors import (AnomalyError, ChainruleError, CheckpointError, DTypeError, GraphError, StateDictError,
                     ShapeError)
from .functional import cat, stack
from .gradcheck import GradcheckError, gradcheck
from .io import load, save
from .random import manual_seed

__version__ = "0.1.0"

__all__ = [
    "AnomalyError", "ChainruleError", "CheckpointError", "DTypeError", "Function",
    "GradcheckError", "GraphError", "ShapeError", "StateDictError", "Tensor", "arange", "as_tensor", "cat", "check",
    "detect_anomaly", "enable_grad", "full", "functional", "manual", "metrics", "nn", "optim", "utils", "get_default_dtype", "gradcheck",
    "is_grad_enabled", "load", "manual_seed", "save", "no_grad", "ones", "ones_like", "rand", "randn",
    "set_default_dtype", "stack", "tensor", "zeros", "zeros_like",
]
