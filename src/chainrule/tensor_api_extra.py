"""The rest of torch's tensor surface that ordinary CPU programs touch: torch-level in-place
forms (torch.exp_(x) is x.exp_()), the view scatters as methods, the real-dtype answers of the
complex API (conj, resolve_conj, real, .H, .mH, adjoint), flags and layout, strided
allocation (empty_strided, new_empty_strided), frombuffer, histc, nonzero_static, Python
callables over elements (apply_, map_, map2_), and the anomaly-mode readers. Bound onto Tensor
at import, as tensor_api_more.py binds its methods; each op itself lives once, in functional/."""

from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np

from .autograd.grad_mode import _Mode
from .autograd.tensor import Tensor
from .dtypes import get_default_dtype, resolve_dtype
from .errors import ArgumentError, GraphError, NoKernelError, ShapeError
from .functional import scatter_views
from .functional.special_api import i0, mvlgamma, polygamma

diagonal_scatter, select_scatter = scatter_views.diagonal_scatter, scatter_views.select_scatter
slice_scatter, as_strided = scatter_views.slice_scatter, scatter_views.as_strided
as_strided_scatter = scatter_views.as_strided_scatter


class layout:  # noqa: N801  (torch's class name)
    """torch.layout; chainrule tensors are all dense and strided."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return f"chainrule.{self._name}"


strided = layout("strided")


# --- the complex API on real tensors: torch's answers for a real dtype -----------------------
def conj(input: Any) -> Any:  # noqa: A002
    """A real tensor is its own conjugate: ``input`` itself, as torch returns for real dtypes."""
    return input


conj_physical = resolve_conj = resolve_neg = conj


def real(input: Any) -> Any:  # noqa: A002
    return input


def imag(input: Any) -> Any:  # noqa: A002
    raise ArgumentError(
        f"imag: expected a complex tensor, got dtype {input.dtype}.\n"
        "Hint: chainrule has no complex dtypes; a real tensor's imaginary part is zeros_like(x)."
    )


def adjoint(input: Any) -> Any:  # noqa: A002
    """The conjugate transpose of the last two dims: for a real tensor, ``mT``."""
    if input.ndim < 2:
        raise ShapeError(f"adjoint: expected a tensor with at least 2 dims, got {input.ndim}.")
    return input.mT


def _matrix_h(self: Any) -> Any:
    """``.H``: a matrix's (conjugate) transpose; torch allows 0-D and 2-D tensors only."""
    if self.ndim not in (0, 2):
        raise ShapeError(f"Tensor.H: expected a 0-D or 2-D tensor, got {self.ndim}-D.")
    return self if self.ndim == 0 else self.mT


# --- strided allocation and buffers ------------------------------------------------------------
def empty_strided(
    size: Any,
    stride: Any,
    *,
    dtype: Any = None,
    layout: Any = None,  # noqa: ARG001  (strided is the only layout)
    device: Any = None,  # noqa: ARG001
    requires_grad: bool = False,
    pin_memory: bool = False,  # noqa: ARG001
) -> Any:
    """A tensor of ``size`` with ``stride`` (in elements) over a fresh storage, zero-filled
    (torch leaves it uninitialised); ``stride()`` reads back as given."""
    size, stride = tuple(int(n) for n in size), tuple(int(n) for n in stride)
    if len(size) != len(stride) or min(size + stride, default=0) < 0:
        raise ArgumentError(
            f"empty_strided: expected as many strides >= 0 as sizes >= 0, got sizes "
            f"{list(size)} and strides {list(stride)}."
        )
    kind = get_default_dtype() if dtype is None else resolve_dtype(dtype, "empty_strided")
    count = 0 if 0 in size else 1 + sum((n - 1) * s for n, s in zip(size, stride))
    storage = np.zeros(count, dtype=kind)
    steps = tuple(s * storage.itemsize for s in stride)
    array = (
        np.lib.stride_tricks.as_strided(storage, size, steps) if count else storage.reshape(size)
    )
    return Tensor._of(array, requires_grad=requires_grad) if requires_grad else Tensor._wrap(array)


def _new_empty_strided(self: Any, size: Any, stride: Any, *, dtype: Any = None, **kwargs: Any):
    return empty_strided(size, stride, dtype=self.dtype if dtype is None else dtype, **kwargs)


def frombuffer(
    buffer: Any, *, dtype: Any, count: int = -1, offset: int = 0, requires_grad: bool = False
) -> Any:
    """A 1-D tensor over an object's buffer without a copy (a write reaches the buffer), as
    torch; a read-only buffer (bytes) gives torch's warning."""
    kind = resolve_dtype(dtype, "frombuffer")
    array = np.frombuffer(buffer, dtype=kind, count=count, offset=offset)
    if not array.flags.writeable:
        warnings.warn(
            "frombuffer: the buffer is not writable; writing to this tensor is undefined "
            "(torch warns the same).",
            UserWarning,
            stacklevel=2,
        )
        array = array.view()
        array.flags.writeable = False
    return Tensor._of(array, requires_grad=True) if requires_grad else Tensor._wrap(array)


# --- counting and selecting --------------------------------------------------------------------
def histc(input: Any, bins: int = 100, min: float = 0, max: float = 0) -> Any:  # noqa: A002
    """Counts of ``input`` in ``bins`` equal bins over [min, max] (the data's range when
    min == max), elements outside ignored; floating input only, counts in its dtype, as torch."""
    data = input._data
    if data.dtype.kind != "f":
        raise NoKernelError(f"histc: expected a floating tensor, got dtype {data.dtype}.")
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins <= 0:
        raise ArgumentError(f"histc: expected bins > 0, got {bins!r}.")
    if min > max:
        raise ArgumentError(f"histc: expected max >= min, got min {min} and max {max}.")
    low, high = (min, max) if min != max or data.size == 0 else (data.min(), data.max())
    low, high = (low - 1, high + 1) if low == high else (low, high)
    if not (np.isfinite(low) and np.isfinite(high)):
        raise ArgumentError(f"histc: expected a finite range, got [{low}, {high}].")
    flat = data.reshape(-1)
    inside = flat[(flat >= low) & (flat <= high)]
    position = ((inside - data.dtype.type(low)) * bins / data.dtype.type(high - low)).astype(
        np.int64
    )
    counts = np.bincount(np.minimum(position, bins - 1), minlength=bins)
    return Tensor._wrap(counts.astype(data.dtype))


def nonzero_static(input: Any, *, size: int, fill_value: int = -1) -> Any:  # noqa: A002
    """``nonzero()`` with exactly ``size`` rows: cut short, or padded with ``fill_value``."""
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 0:
        raise ArgumentError(f"nonzero_static: expected size >= 0, got {size!r}.")
    found = np.argwhere(input._data)[:size]
    out = np.full((size, input.ndim), fill_value, dtype=np.int64)
    out[: len(found)] = found
    return Tensor._wrap(out)


# --- Python callables over elements (torch: CPU tensors only, never recorded) ------------------
def _in_place_python(who: str, self: Any, others: tuple, function: Callable[..., Any]) -> Any:
    if self.requires_grad:
        raise GraphError(
            f"Tensor.{who}: expected a tensor that does not require grad, got one that does.\n"
            f"Hint: call it on x.detach(), as torch asks."
        )
    arrays = [np.broadcast_to(other._data, self.shape) for other in others]
    flat = self._data.reshape(-1) if self._data.flags.c_contiguous else None
    values = [function(*items) for items in zip(np.nditer(self._data), *map(np.nditer, arrays))]
    result = np.asarray([v.item() if hasattr(v, "item") else v for v in values])
    if flat is not None:
        flat[...] = result.astype(self.dtype)
    else:
        self._data[...] = result.astype(self.dtype).reshape(self.shape)
    self._vc[0] += 1
    return self


def apply_(self: Any, callable: Callable[[Any], Any]) -> Any:  # noqa: A002
    """Each element replaced by ``callable(element)``, in place (Python numbers in and out)."""
    return _in_place_python("apply_", self, (), lambda v: callable(v.item()))


def map_(self: Any, tensor: Any, callable: Callable[[Any, Any], Any]) -> Any:  # noqa: A002
    """``self[i] = callable(self[i], tensor[i])`` in place; ``tensor`` broadcasts to self."""
    return _in_place_python("map_", self, (tensor,), lambda a, b: callable(a.item(), b.item()))


def map2_(self: Any, x: Any, y: Any, callable: Callable[..., Any]) -> Any:  # noqa: A002
    return _in_place_python(
        "map2_", self, (x, y), lambda a, b, c: callable(a.item(), b.item(), c.item())
    )


# --- switches -----------------------------------------------------------------------------------
def is_anomaly_enabled() -> bool:
    return bool(_Mode.anomaly)


def is_anomaly_check_nan_enabled() -> bool:
    """detect_anomaly here always checks for NaN (torch's default check_nan=True)."""
    return bool(_Mode.anomaly)


def set_anomaly_enabled(enabled: bool, check_nan: bool = True) -> None:  # noqa: ARG001
    _Mode.anomaly = bool(enabled)


def get_device(input: Any) -> int:  # noqa: A002
    return -1  # torch's answer for a CPU tensor


def fill(input: Any, value: Any) -> Any:  # noqa: A002
    """A new tensor of ``input``'s shape and dtype holding ``value`` (no gradient to input)."""
    return input.detach().clone().fill_(value)


def rsub(input: Any, other: Any, alpha: float = 1) -> Any:  # noqa: A002
    """other - alpha * input."""
    return other - input * alpha if alpha != 1 else other - input


# torch.op_(x, ...) is x.op_(...): one alias per method torch also has at top level
_TOP_LEVEL_METHODS = (
    "abs_ acos_ acosh_ arccos_ arccosh_ arcsin_ arcsinh_ arctan_ arctanh_ asin_ asinh_ atan_ "
    "atanh_ ceil_ clamp_ clamp_max_ clamp_min_ clip_ cos_ cosh_ deg2rad_ detach_ erf_ erfc_ "
    "exp2_ exp_ expm1_ fill_ fix_ floor_ frac_ gcd_ lcm_ ldexp_ log10_ log1p_ log2_ log_ logit_ "
    "nan_to_num_ neg_ negative_ rad2deg_ reciprocal_ round_ rsqrt_ sin_ sinc_ sinh_ sqrt_ "
    "square_ tan_ trunc_ xlogy_ zero_ addmv_ index_put_ i0_ unflatten"
).split()


def _method_alias(name: str) -> Callable[..., Any]:
    def call(input: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: A002
        return getattr(input, name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = f"torch.{name}(input, ...) is input.{name}(...)."
    return call


_ALIASES = {name: _method_alias(name) for name in _TOP_LEVEL_METHODS}
globals().update(_ALIASES)


_METHODS: dict[str, Any] = {
    "diagonal_scatter": diagonal_scatter,
    "select_scatter": select_scatter,
    "slice_scatter": slice_scatter,
    "as_strided": as_strided,
    "as_strided_scatter": as_strided_scatter,
    "conj": conj,
    "conj_physical": conj,
    "resolve_conj": conj,
    "resolve_neg": conj,
    "real": property(real),
    "imag": property(imag),
    "adjoint": adjoint,
    "H": property(_matrix_h),
    "mH": property(adjoint),
    "layout": property(lambda self: strided),
    "new_empty_strided": _new_empty_strided,
    "histc": histc,
    "nonzero_static": nonzero_static,
    "apply_": apply_,
    "map_": map_,
    "map2_": map2_,
}  # fmt: skip  (frexp, i0, polygamma, mvlgamma: functional/tensor_extras.py)
_METHODS["i0_"] = lambda self: self.copy_(i0(self))
_METHODS["polygamma_"] = lambda self, n: self.copy_(polygamma(n, self))
_METHODS["mvlgamma_"] = lambda self, p: self.copy_(mvlgamma(self, p))

for _name, _method in _METHODS.items():
    if not hasattr(Tensor, _name):  # Tensor's own methods win
        setattr(Tensor, _name, _method)

__all__ = [
    "adjoint", "as_strided", "as_strided_scatter", "conj", "conj_physical", "diagonal_scatter",
    "empty_strided", "fill", "frombuffer", "get_device", "histc", "imag", "is_anomaly_check_nan_enabled",
    "is_anomaly_enabled", "layout", "nonzero_static", "real", "resolve_conj", "resolve_neg",
    "rsub", "select_scatter", "set_anomaly_enabled", "slice_scatter", "strided",
    *_ALIASES,
]  # fmt: skip
