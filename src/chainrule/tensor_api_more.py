"""More of torch's names that real scripts call: the inverse hyperbolics, the in-place forms of
the unary math methods (x.log1p_(), x.tril_()), torch-level aliases of nn.functional ops
(torch.conv2d, torch.relu_), window functions, unravel_index, asarray, and the threading and
debugging switches of a CPU build. Bound onto Tensor at import, as tensor_storage.py binds its
methods; each op itself lives once, in functional/."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import functional as F
from .autograd.factories import as_tensor, tensor
from .autograd.tensor import Tensor
from .dtypes import get_default_dtype, resolve_dtype
from .errors import ArgumentError, DTypeError
from .functional import hyperbolic_inverse
from .functional.tensor_api_methods import in_place
from .nn import functional as NF

acosh, asinh, atanh = hyperbolic_inverse.acosh, hyperbolic_inverse.asinh, hyperbolic_inverse.atanh
arccosh, arcsinh, arctanh = acosh, asinh, atanh

_METHODS: dict[str, Any] = {
    "acosh": acosh, "asinh": asinh, "atanh": atanh,
    "arccosh": acosh, "arcsinh": asinh, "arctanh": atanh,
    "absolute": lambda self: self.abs(),
    "hardshrink": lambda self, lambd=0.5: NF.hardshrink(self, lambd),
    "prelu": lambda self, weight: NF.prelu(self, weight),
    "narrow_copy": lambda self, dim, start, length: self.narrow(dim, start, length).clone(),
    "unsafe_chunk": lambda self, chunks, dim=0: self.chunk(chunks, dim),
    "unsafe_split": lambda self, split_size, dim=0: self.split(split_size, dim),
    "get_device": lambda self: -1,  # torch's answer for a CPU tensor
    "is_complex": lambda self: False,  # chainrule has no complex dtypes
    "is_conj": lambda self: False,
    "is_neg": lambda self: False,
    "is_inference": lambda self: False,
    "is_cpu": property(lambda self: True),
}  # fmt: skip

# unary methods with an in-place form in torch; x.op_() writes op(x) into x (recorded for autograd)
_UNARY_IN_PLACE = (
    "acos asin atan arccos arcsin arctan cosh sinh tan acosh asinh atanh arccosh arcsinh arctanh "
    "erf erfc expm1 log10 log1p log2 rsqrt fix absolute"
)
for _name in _UNARY_IN_PLACE.split():
    _unary = _METHODS.get(_name) or getattr(Tensor, _name)
    _METHODS[_name + "_"] = in_place(_name + "_", _unary)
for _name in ("cumsum", "cumprod", "tril", "triu"):  # with their arguments (dim, diagonal)
    _METHODS[_name + "_"] = in_place(_name + "_", getattr(Tensor, _name))

for _name, _method in _METHODS.items():
    if not hasattr(Tensor, _name):  # Tensor's own methods win
        setattr(Tensor, _name, _method)


def sum_to_size(self: Any, *size: Any) -> Any:
    """Sum away the broadcast dimensions: the gradient of an expand to ``size``'s shape."""
    shape = tuple(size[0]) if len(size) == 1 and isinstance(size[0], (tuple, list)) else size
    if not _expandable(shape, tuple(self.shape)):
        raise ArgumentError(
            f"sum_to_size: expected a size that {tuple(self.shape)} expands from, got {shape}."
        )
    lead = self.ndim - len(shape)
    out = self.sum(dim=tuple(range(lead))) if lead else self
    dims = tuple(i for i, n in enumerate(shape) if n == 1 and out.shape[i] != 1)
    return out.sum(dim=dims, keepdim=True) if dims else out


def _expandable(small: tuple, large: tuple) -> bool:
    if len(small) > len(large):
        return False
    return all(s in (1, n) for s, n in zip(small, large[len(large) - len(small) :]))


if not hasattr(Tensor, "sum_to_size"):
    Tensor.sum_to_size = sum_to_size


# --- torch-level names ---------------------------------------------------------------------
absolute = F.abs
conv1d, conv2d, conv3d = NF.conv1d, NF.conv2d, NF.conv3d
conv_transpose1d, conv_transpose2d = NF.conv_transpose1d, NF.conv_transpose2d
conv_transpose3d = NF.conv_transpose3d
max_pool1d, max_pool2d, max_pool3d, avg_pool1d = (
    NF.max_pool1d, NF.max_pool2d, NF.max_pool3d, NF.avg_pool1d,
)  # fmt: skip
adaptive_avg_pool1d, adaptive_max_pool1d = NF.adaptive_avg_pool1d, NF.adaptive_max_pool1d
pixel_shuffle, pixel_unshuffle, channel_shuffle = (
    NF.pixel_shuffle, NF.pixel_unshuffle, NF.channel_shuffle,
)  # fmt: skip
selu, celu, rrelu, threshold, hardshrink, prelu = (
    NF.selu, NF.celu, NF.rrelu, NF.threshold, NF.hardshrink, NF.prelu,
)  # fmt: skip
cosine_similarity, pairwise_distance, bilinear = (
    NF.cosine_similarity, NF.pairwise_distance, NF.bilinear,
)  # fmt: skip


def relu_(input: Any) -> Any:  # noqa: A002
    return input.relu_()


def sigmoid_(input: Any) -> Any:  # noqa: A002
    return input.sigmoid_()


def tanh_(input: Any) -> Any:  # noqa: A002
    return input.tanh_()


def selu_(input: Any) -> Any:  # noqa: A002
    return NF.selu(input, inplace=True)


def celu_(input: Any, alpha: float = 1.0) -> Any:  # noqa: A002
    return NF.celu(input, alpha, inplace=True)


def rrelu_(input: Any, lower: float = 1 / 8, upper: float = 1 / 3, training: bool = False) -> Any:  # noqa: A002
    return NF.rrelu(input, lower, upper, training, inplace=True)


def threshold_(input: Any, threshold: float, value: float) -> Any:  # noqa: A002
    return NF.threshold(input, threshold, value, inplace=True)


def dropout(input: Any, p: float, train: bool) -> Any:  # noqa: A002
    """torch.dropout: ``train`` is required here, unlike nn.functional.dropout's ``training``."""
    return NF.dropout(input, p, train)


def dropout_(input: Any, p: float, train: bool) -> Any:  # noqa: A002
    return NF.dropout(input, p, train, inplace=True)


def alpha_dropout(input: Any, p: float, train: bool) -> Any:  # noqa: A002
    return NF.alpha_dropout(input, p, train)


def feature_alpha_dropout(input: Any, p: float, train: bool) -> Any:  # noqa: A002
    return NF.feature_alpha_dropout(input, p, train)


def unravel_index(indices: Any, shape: Any) -> tuple[Any, ...]:
    """Flat indices into coordinates for ``shape``, one int64 tensor per dimension. As torch,
    by floor division and modulo: an index out of range wraps (-1 is the last element)."""
    sizes = (shape,) if isinstance(shape, (int, np.integer)) else tuple(int(n) for n in shape)
    if any(n < 0 for n in sizes):
        raise ArgumentError(f"unravel_index: expected sizes >= 0, got {sizes}.")
    flat = np.asarray(getattr(indices, "_data", indices))
    if flat.dtype.kind not in "iu":
        raise DTypeError(f"unravel_index: expected integer indices, got dtype {flat.dtype}.")
    if 0 in sizes:
        raise ArgumentError(f"unravel_index: expected a shape with no zero size, got {sizes}.")
    rest, out = flat.astype(np.int64), []
    for size in reversed(sizes):
        out.append(np.mod(rest, size))
        rest = np.floor_divide(rest, size)
    return tuple(Tensor._of(a) for a in reversed(out))


def asarray(
    obj: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    copy: bool | None = None,
    requires_grad: bool = False,
) -> Any:
    """torch.asarray: shares the memory of a tensor or NumPy array when it can (copy=None),
    always copies with copy=True, and refuses a copy it would need with copy=False."""
    if copy:
        result = tensor(getattr(obj, "_data", obj), dtype=dtype, device=device)
    else:
        result = as_tensor(obj, dtype=dtype, device=device)
        source = getattr(obj, "_data", obj)
        if copy is False and isinstance(source, np.ndarray) and result._data is not source:
            if not np.shares_memory(result._data, source):
                raise ArgumentError(
                    "asarray: expected no copy (copy=False), got a dtype that needs one."
                )
    return result.requires_grad_(True) if requires_grad else result


def _window(name: str, length: int, periodic: bool, dtype: Any, values: Any) -> Any:
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or length < 0:
        raise ArgumentError(f"{name}: expected a window_length >= 0, got {length!r}.")
    kind = resolve_dtype(dtype, name) if dtype is not None else get_default_dtype()
    if length <= 1:
        return Tensor._of(np.ones(length, dtype=kind))
    n = length + 1 if periodic else length
    return Tensor._of(values(np.arange(n, dtype=np.float64), n - 1)[:length].astype(kind))


def hann_window(window_length: int, periodic: bool = True, *, dtype: Any = None, **_: Any) -> Any:
    return _window(
        "hann_window", window_length, periodic, dtype,
        lambda k, m: 0.5 - 0.5 * np.cos(2 * np.pi * k / m),
    )  # fmt: skip


def hamming_window(
    window_length: int, periodic: bool = True, alpha: float = 0.54, beta: float = 0.46,
    *, dtype: Any = None, **_: Any,
) -> Any:  # fmt: skip
    return _window(
        "hamming_window", window_length, periodic, dtype,
        lambda k, m: alpha - beta * np.cos(2 * np.pi * k / m),
    )  # fmt: skip


def blackman_window(
    window_length: int, periodic: bool = True, *, dtype: Any = None, **_: Any
) -> Any:
    return _window(
        "blackman_window", window_length, periodic, dtype,
        lambda k, m: 0.42 - 0.5 * np.cos(2 * np.pi * k / m) + 0.08 * np.cos(4 * np.pi * k / m),
    )  # fmt: skip


def bartlett_window(
    window_length: int, periodic: bool = True, *, dtype: Any = None, **_: Any
) -> Any:
    return _window(
        "bartlett_window", window_length, periodic, dtype,
        lambda k, m: 1 - np.abs(2 * k / m - 1),
    )  # fmt: skip


def kaiser_window(
    window_length: int, periodic: bool = True, beta: float = 12.0, *, dtype: Any = None, **_: Any
) -> Any:
    return _window(
        "kaiser_window", window_length, periodic, dtype,
        lambda k, m: np.i0(beta * np.sqrt(np.clip(1 - (2 * k / m - 1) ** 2, 0, None))) / np.i0(beta),
    )  # fmt: skip


# --- the switches of a CPU build ---------------------------------------------------------
_interop_threads = [1]
_warn_always = [False]


def get_num_interop_threads() -> int:
    """Threads for running independent ops side by side; chainrule runs ops one after another."""
    return _interop_threads[0]


def set_num_interop_threads(num: int) -> None:
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)) or num < 1:
        raise ArgumentError(f"set_num_interop_threads: expected an int >= 1, got {num!r}.")
    _interop_threads[0] = int(num)


def set_flush_denormal(mode: bool) -> bool:
    """False: NumPy keeps subnormal numbers (torch returns False where it cannot flush either)."""
    return False


def set_warn_always(b: bool) -> None:
    _warn_always[0] = bool(b)


def is_warn_always_enabled() -> bool:
    return _warn_always[0]


def set_default_tensor_type(t: Any) -> None:
    """Old scripts' way to set the default float dtype: torch.FloatTensor or DoubleTensor (or
    their names); a CUDA type fails as on a CPU-only torch."""
    name = t if isinstance(t, str) else getattr(t, "__name__", repr(t))
    short = name.rsplit(".", 1)[-1]
    if "cuda" in name:
        from .device import NoCudaError

        raise NoCudaError(f"set_default_tensor_type: expected a CPU type, got {name!r}.")
    kinds = {"FloatTensor": "float32", "DoubleTensor": "float64"}
    if short not in kinds:
        raise DTypeError(
            f"set_default_tensor_type: expected FloatTensor or DoubleTensor, got {name!r}."
        )
    from .dtypes import set_default_dtype

    set_default_dtype(resolve_dtype(kinds[short], "set_default_tensor_type"))


__all__ = [
    "absolute", "acosh", "adaptive_avg_pool1d", "adaptive_max_pool1d", "alpha_dropout",
    "arccosh", "arcsinh", "arctanh", "asarray", "asinh", "atanh", "avg_pool1d",
    "bartlett_window", "bilinear", "blackman_window", "celu", "celu_", "channel_shuffle",
    "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    "cosine_similarity", "dropout", "dropout_", "feature_alpha_dropout",
    "get_num_interop_threads", "hamming_window", "hann_window", "hardshrink",
    "is_warn_always_enabled", "kaiser_window", "max_pool1d", "max_pool2d", "max_pool3d",
    "pairwise_distance", "pixel_shuffle", "pixel_unshuffle", "prelu", "relu_", "rrelu",
    "rrelu_", "selu", "selu_", "set_default_tensor_type", "set_flush_denormal",
    "set_num_interop_threads", "set_warn_always", "sigmoid_", "tanh_", "threshold",
    "threshold_", "unravel_index",
]  # fmt: skip
