"""chainrule: a deep-learning framework on NumPy, readable end to end, with torch's API."""

from . import autograd, functional, manual, metrics, nn, optim, utils
from .autograd.device import Device as device
from .autograd.device import DeviceError, backends, cuda
from .autograd.factories import (arange, as_tensor, empty, from_numpy, full, full_like, linspace,
                                 multinomial, normal, ones, ones_like, rand, rand_like, randint,
                                 randn, randn_like, randperm, tensor, zeros, zeros_like, histc)
from .autograd.function import Function
from .autograd.grad_mode import (detect_anomaly, enable_grad, inference_mode, is_grad_enabled,
                                 no_grad, set_grad_enabled)
from .autograd.tensor import Size, Tensor
from .dtypes import (bool_, double, float16, float32, float64, get_default_dtype, half, int8,
                     int16, int32, int64, long, set_default_dtype, short, uint8)
from .errors import (AnomalyError, ChainruleError, CheckpointError, DTypeError, GraphError,
                     ShapeError, StateDictError)
from .errors import DimError
from .check import check
from .functional import cat, stack
from .gradcheck import GradcheckError, gradcheck
from .io import load, save
from .random import Generator, initial_seed, manual_seed, seed
from .tensor_functions import (abs, allclose, argmax, argmin, clamp, clip, cos, equal, exp, eye,
                               flatten, is_tensor, isnan, log, log2, log10, log_softmax, matmul,
                               max, maximum, mean, min, minimum, mm, numel, permute, pow, relu,
                               reshape, round, sigmoid, sin, softmax, sqrt, squeeze, std, sum, tanh,
                               transpose, unsqueeze, var, where)

# torch's short dtype names; bound last so nothing above sees the builtins shadowed.
float = float32  # noqa: A001
int = int32  # noqa: A001
bool = bool_  # noqa: A001

__version__ = "0.1.0"

__all__ = [
    "AnomalyError", "ChainruleError", "CheckpointError", "DTypeError", "DeviceError",
    "Function", "Generator", "GradcheckError", "GraphError", "ShapeError", "Size", "StateDictError",
    "Tensor", "abs", "allclose", "arange", "argmax", "argmin", "as_tensor", "autograd", "backends",
    "bool", "cat", "clamp", "clip", "cos", "cuda", "detect_anomaly", "device", "double", "empty",
    "enable_grad", "equal", "exp", "eye", "flatten", "float", "float16", "float32", "float64",
    "from_numpy", "full", "full_like", "functional", "get_default_dtype", "gradcheck", "half",
    "histc", "initial_seed", "int", "int16", "int32", "int64", "int8", "is_grad_enabled",
    "is_tensor", "isnan", "linspace", "load", "log", "log10", "log2", "log_softmax", "long",
    "manual", "manual_seed", "matmul", "max", "maximum", "mean", "metrics", "min", "minimum", "mm",
    "multinomial", "nn", "no_grad", "normal", "numel", "ones", "ones_like", "optim", "permute",
    "pow", "rand", "randint", "randn", "randperm", "relu", "reshape", "round", "save", "seed",
    "set_default_dtype", "set_grad_enabled", "short", "sigmoid", "sin", "softmax", "sqrt",
    "squeeze", "stack", "std", "sum", "tanh", "tensor", "transpose", "uint8", "unsqueeze", "utils",
    "var", "where", "zeros", "zeros_like",
]
__all__ += ["DimError", "check", "inference_mode", "rand_like", "randn_like"]

from .autograd.graph_capture import CPUGraph, graph  # noqa: E402

__all__ += ["CPUGraph", "graph"]
