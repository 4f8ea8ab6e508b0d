"""chainrule: a deep-learning framework on NumPy, readable end to end, with torch's API."""

from . import autograd, functional, linalg, manual, metrics, nn, optim, utils
from .device import Device as device
from .device import DeviceError, backends, cuda
from .autograd.factories import (
    arange,
    as_tensor,
    empty,
    from_numpy,
    full,
    full_like,
    linspace,
    multinomial,
    normal,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randn,
    randn_like,
    randperm,
    tensor,
    zeros,
    zeros_like,
    histc,
)
from .autograd.function import Function
from .autograd.grad_mode import (
    detect_anomaly,
    enable_grad,
    inference_mode,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from .autograd.tensor import Size, Tensor
from .dtypes import (
    bool_,
    double,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int8,
    int16,
    int32,
    int64,
    long,
    set_default_dtype,
    short,
    uint8,
)
from .errors import (
    AnomalyError,
    ArgumentError,
    ChainruleError,
    CheckpointError,
    DTypeError,
    GraphError,
    ShapeError,
    StateDictError,
)
from .errors import DimError
from .check import check
from .functional import cat, stack
from .gradcheck import GradcheckError, gradcheck
from .io import load, save
from .random import Generator, initial_seed, manual_seed, seed
from .tensor_functions import (
    abs,
    allclose,
    argmax,
    argmin,
    clamp,
    clip,
    cos,
    equal,
    exp,
    eye,
    flatten,
    is_tensor,
    isnan,
    log,
    log2,
    log10,
    log_softmax,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mm,
    numel,
    permute,
    pow,
    relu,
    reshape,
    round,
    sigmoid,
    sin,
    softmax,
    sqrt,
    squeeze,
    std,
    sum,
    tanh,
    transpose,
    unsqueeze,
    var,
    where,
)

from .functional.einsum import einsum, prod
from .functional.indexing import (
    bmm,
    diag,
    flip,
    gather,
    index_select,
    logsumexp,
    masked_select,
    outer,
    tril,
    triu,
)
from .functional.bucketing import bucketize, searchsorted
from .functional.predicates import (
    bincount,
    is_floating_point,
    isclose,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    unique,
)
from .functional.rearrange import (
    broadcast_to,
    diagonal,
    dot,
    hstack,
    meshgrid,
    movedim,
    mv,
    narrow,
    repeat_interleave,
    tril_indices,
    triu_indices,
    roll,
    tile,
    trace,
    unbind,
    vstack,
)
from .functional.shape import cat as concat
from .functional.shape import cat as concatenate
from .functional.sorting import argsort, cumsum, kthvalue, sort, topk
from numpy import finfo, iinfo  # chainrule's dtypes are NumPy's, so NumPy's limits are theirs
from .method_functions import *  # noqa: F403  (torch.split, torch.sub, ...: see its __all__)
from .method_functions import __all__ as _method_functions

inf, nan, pi, e = float("inf"), float("nan"), 3.141592653589793, 2.718281828459045

# torch's short dtype names; bound last so nothing above sees the builtins shadowed.
float = float32  # noqa: A001
int = int32  # noqa: A001
bool = bool_  # noqa: A001

__version__ = "0.1.0"

__all__ = [
    "AnomalyError",
    "ArgumentError",
    "ChainruleError",
    "CheckpointError",
    "DTypeError",
    "DeviceError",
    "Function",
    "Generator",
    "GradcheckError",
    "GraphError",
    "ShapeError",
    "Size",
    "StateDictError",
    "Tensor",
    "abs",
    "allclose",
    "arange",
    "argmax",
    "argmin",
    "as_tensor",
    "autograd",
    "backends",
    "bool",
    "cat",
    "clamp",
    "clip",
    "cos",
    "cuda",
    "detect_anomaly",
    "device",
    "double",
    "empty",
    "enable_grad",
    "equal",
    "exp",
    "eye",
    "flatten",
    "float",
    "float16",
    "float32",
    "float64",
    "from_numpy",
    "full",
    "full_like",
    "functional",
    "get_default_dtype",
    "gradcheck",
    "half",
    "histc",
    "initial_seed",
    "int",
    "int16",
    "int32",
    "int64",
    "int8",
    "is_grad_enabled",
    "is_tensor",
    "isnan",
    "linspace",
    "load",
    "log",
    "log10",
    "log2",
    "log_softmax",
    "long",
    "manual",
    "manual_seed",
    "matmul",
    "max",
    "maximum",
    "mean",
    "metrics",
    "min",
    "minimum",
    "mm",
    "multinomial",
    "nn",
    "no_grad",
    "normal",
    "numel",
    "ones",
    "ones_like",
    "optim",
    "permute",
    "pow",
    "rand",
    "randint",
    "randn",
    "randperm",
    "relu",
    "reshape",
    "round",
    "save",
    "seed",
    "set_default_dtype",
    "set_grad_enabled",
    "short",
    "sigmoid",
    "sin",
    "softmax",
    "sqrt",
    "squeeze",
    "stack",
    "std",
    "sum",
    "tanh",
    "tensor",
    "transpose",
    "uint8",
    "unsqueeze",
    "utils",
    "var",
    "where",
    "zeros",
    "zeros_like",
]
__all__ += ["DimError", "check", "inference_mode", "rand_like", "randn_like"]

from .cpugraph import CPUGraph, graph  # noqa: E402

__all__ += ["CPUGraph", "graph"]
__all__ += _method_functions + [
    "broadcast_to",
    "concat",
    "concatenate",
    "diagonal",
    "dot",
    "e",
    "einsum",
    "prod",
    "finfo",
    "hstack",
    "iinfo",
    "inf",
    "meshgrid",
    "movedim",
    "nan",
    "narrow",
    "pi",
    "roll",
    "tile",
    "trace",
    "unbind",
    "vstack",
    "argsort",
    "linalg",
    "bincount",
    "bucketize",
    "bmm",
    "cumsum",
    "diag",
    "flip",
    "gather",
    "index_select",
    "is_floating_point",
    "isclose",
    "kthvalue",
    "logical_and",
    "logical_not",
    "logical_or",
    "logical_xor",
    "logsumexp",
    "masked_select",
    "outer",
    "sort",
    "topk",
    "tril",
    "triu",
    "searchsorted",
    "unique",
]

from .functional.elementwise_math import (  # noqa: E402
    acos,
    asin,
    atan,
    atan2,
    cosh,
    erf,
    erfc,
    expm1,
    floor_divide,
    fmod,
    remainder,
    sinh,
    tan,
    trunc,
)
from .functional.scan_stats import (  # noqa: E402
    cummax,
    cummin,
    cumprod,
    median,
    mode,
    quantile,
    std_mean,
    var_mean,
)

arcsin, arccos, arctan, arctan2, fix = asin, acos, atan, atan2, trunc
__all__ += ["acos", "arccos", "arcsin", "arctan", "arctan2", "asin", "atan", "atan2", "cosh"]
__all__ += ["erf", "erfc", "expm1", "fix", "floor_divide", "fmod", "remainder", "sinh", "tan"]
__all__ += ["trunc", "cummax", "cummin", "cumprod", "median", "quantile", "std_mean", "var_mean"]
__all__ += ["mode", "mv", "nan_to_num", "repeat_interleave", "tril_indices", "triu_indices"]
__all__ += ["bitwise_and", "bitwise_not", "bitwise_or", "bitwise_xor"]

from .functional.bitwise import bitwise_and, bitwise_not, bitwise_or, bitwise_xor  # noqa: E402
from .functional.differences import diff  # noqa: E402
from .functional.elementwise import nan_to_num  # noqa: E402
from .functional.similarity import cdist  # noqa: E402
from .tensor_functions import ravel  # noqa: E402

__all__ += ["cdist", "diff", "ravel"]

from .functional.scatter import (  # noqa: E402
    index_add,
    index_fill,
    index_put,
    scatter,
    scatter_add,
)
from .threads import get_num_threads, set_num_threads  # noqa: E402

__all__ += ["get_num_threads", "index_add", "index_fill", "index_put", "scatter", "scatter_add"]
__all__ += ["set_num_threads"]

from .tensor_api import *  # noqa: E402,F403  (torch.gt, torch.logaddexp, ...: see its __all__)
from .tensor_api import __all__ as _tensor_api

__all__ += _tensor_api

from .tensor_api_more import *  # noqa: E402,F403  (torch.acosh, torch.conv2d, torch.hann_window, ...)
from .tensor_api_more import __all__ as _tensor_api_more

__all__ += _tensor_api_more

# The boilerplate of real torch scripts: devices, compile, mixed precision, reproducibility.
from . import accelerator, amp, distributions, jit, special, testing, version  # noqa: E402
from . import tensor_storage  # noqa: E402, F401  (binds data_ptr, nbytes, ... onto Tensor)
from . import autograd_nodes  # noqa: E402, F401  (grad_fn.next_functions, name())
from .amp import autocast, bfloat16, get_autocast_dtype, is_autocast_enabled  # noqa: E402
from .compiling import compile  # noqa: E402, A004
from .determinism import (  # noqa: E402
    are_deterministic_algorithms_enabled,
    get_float32_matmul_precision,
    is_deterministic_algorithms_warn_only_enabled,
    set_float32_matmul_precision,
    use_deterministic_algorithms,
)
from .legacy_tensors import *  # noqa: E402, F403
from .legacy_tensors import __all__ as _legacy_tensors
from .device import get_default_device, set_default_device  # noqa: E402
from .printing import set_printoptions  # noqa: E402
from .random import fork_rng, get_rng_state, set_rng_state  # noqa: E402

cuda.amp = amp.CudaAmp()
__all__ += _legacy_tensors + ["accelerator", "amp", "are_deterministic_algorithms_enabled"]
__all__ += ["distributions", "get_autocast_dtype", "is_autocast_enabled", "special"]
__all__ += ["autocast", "bfloat16", "compile", "fork_rng", "get_float32_matmul_precision"]
__all__ += ["get_rng_state", "is_deterministic_algorithms_warn_only_enabled", "jit"]
__all__ += ["set_float32_matmul_precision", "set_printoptions", "set_rng_state", "testing"]
__all__ += ["use_deterministic_algorithms", "version", "get_default_device", "set_default_device"]

# torch's out= on the top-level functions that have it (torch.cat(tensors, out=t)): wrappers
from .out_arguments import *  # noqa: E402,F403

# torch.func (composable transforms) and torch.nn.utils.stateless
from . import func  # noqa: E402
from .nn.utils import stateless as _stateless  # noqa: E402, F401  (binds nn.utils.stateless)

__all__ += ["func"]


# linalg2: torch-level linear algebra, special functions and numerics torch exposes at the top.
from .functional.float_parts import frexp, msort  # noqa: E402
from .functional.histogram import histogram  # noqa: E402
from .functional.lu import lu_unpack  # noqa: E402
from .functional.lu_legacy import lu, lu_solve  # noqa: E402
from .functional.numeric_gradient import gradient  # noqa: E402
from .functional.pdist import pdist  # noqa: E402
from .functional.special_api import i0, mvlgamma, polygamma  # noqa: E402

__all__ += ["frexp", "gradient", "histogram", "i0", "lu", "lu_solve", "lu_unpack", "msort"]
__all__ += ["mvlgamma", "pdist", "polygamma"]

# hostile9: torch's bit shifts (<<, >>, bitwise_left_shift, ...), bound onto Tensor too
from .tensor_shifts import bitwise_left_shift, bitwise_right_shift  # noqa: E402

__all__ += ["bitwise_left_shift", "bitwise_right_shift"]
# torch's rules on the factories' edges (requires_grad on randint, integer arange from floats)
from .factory_rules import arange  # noqa: E402, F811


# torchapi2: torch-level functional forms with ATen's signatures, in-place aliases, view
# scatters, memory formats, layout and the complex API's real-dtype answers. Its histc takes
# over from autograd/factories.py's: torch's data range whenever min == max, and its refusal of
# integer input.
from .torch_functional_forms import *  # noqa: E402,F403
from .torch_functional_forms import __all__ as _torch_functional_forms
from .tensor_api_extra import *  # noqa: E402,F403
from .tensor_api_extra import __all__ as _tensor_api_extra
from .memory_format import (  # noqa: E402
    channels_last,
    channels_last_3d,
    contiguous_format,
    legacy_contiguous_format,
    memory_format,
    preserve_format,
)

__all__ += _torch_functional_forms + _tensor_api_extra + ["channels_last", "channels_last_3d"]
__all__ += ["contiguous_format", "legacy_contiguous_format", "memory_format", "preserve_format"]


def __getattr__(name: str) -> object:
    """``chainrule.onnx`` on first use, as ``torch.onnx`` after a plain ``import torch``: it
    needs the onnx package (the ``export`` extra), which ``import chainrule`` must not."""
    if name == "onnx":
        import importlib

        return importlib.import_module(".onnx", __name__)
    raise AttributeError(f"module 'chainrule' has no attribute {name!r}")


# porter8: axis= / keepdims= accepted wherever torch's parser takes them (numpy_names.py)
from . import numpy_names as _numpy_names  # noqa: E402

# tidy: the reductions take axis= / keepdims= themselves, so they get no wrapper
from . import tensor_reductions as _tensor_reductions  # noqa: E402, F401

_numpy_names.install_on_class(Tensor)
_numpy_names.install_in_namespace(globals(), __all__)

# torch's view rules (view, view_as, _base) and numpy()/__array__, bound onto Tensor
from . import tensor_numpy, views  # noqa: E402, F401

# torchns: the namespaces training scripts import (torch.distributed, torch.profiler, ...)
from . import distributed  # noqa: E402
from . import profiler  # noqa: E402
from . import compiler, multiprocessing, types  # noqa: E402

__all__ += ["compiler", "distributed", "multiprocessing", "profiler", "types"]
