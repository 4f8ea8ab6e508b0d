"""torch's top-level functions on tensors (``torch.argmax(x, 1)``, ``torch.clamp(x, 0)``, ...).

Each one is the Tensor method or functional op of the same name, so the derivative lives
in one place; these only give torch's call forms.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from . import functional as F
from ._checks import check_allocation, caller_name, check_tensor, refuse_sequence
from .autograd.factories import _shape
from .autograd.tensor import Tensor
from .dtypes import get_default_dtype, resolve_dtype
from .functional.comparison import into
from .functional.predicates import check_tolerances


def with_out(function: Callable[..., Tensor]) -> Callable[..., Tensor]:
    """torch's ``out=`` keyword on a function: the result written into ``out`` (the Tensors
    tutorial's ``torch.matmul(t, t.T, out=y3)``); without it the plain call, one test dearer."""

    @functools.wraps(function)
    def function_with_out(*args: Any, out: Any = None, **kwargs: Any) -> Tensor:
        result = function(*args, **kwargs)
        return result if out is None else into(out, result)

    return function_with_out


def _t(value: Any) -> Tensor:
    if isinstance(value, (list, tuple)):  # torch.abs([1, -2]) is a TypeError, not a tensor
        check_tensor(caller_name(), value)
    return value if isinstance(value, Tensor) else Tensor._of(value)


def is_tensor(obj: Any) -> bool:
    return isinstance(obj, Tensor)


def numel(input: Any) -> int:  # noqa: A002
    return _t(input).numel()


@with_out
def tanh(input: Any) -> Tensor:  # noqa: A002
    return F.tanh(input)


@with_out
def sigmoid(input: Any) -> Tensor:  # noqa: A002
    return F.sigmoid(input)


def relu(input: Any) -> Tensor:  # noqa: A002
    return F.relu(input)


@with_out
def softmax(input: Any, dim: int) -> Tensor:  # noqa: A002
    return F.softmax(input, dim)


@with_out
def log_softmax(input: Any, dim: int) -> Tensor:  # noqa: A002
    return F.log_softmax(input, dim)


@with_out
def exp(input: Any) -> Tensor:  # noqa: A002
    return F.exp(_t(input))


@with_out
def log(input: Any) -> Tensor:  # noqa: A002
    return F.log(_t(input))


@with_out
def log2(input: Any) -> Tensor:  # noqa: A002
    return _t(input).log2()


@with_out
def log10(input: Any) -> Tensor:  # noqa: A002
    return _t(input).log10()


@with_out
def sqrt(input: Any) -> Tensor:  # noqa: A002
    return F.sqrt(_t(input))


@with_out
def sin(input: Any) -> Tensor:  # noqa: A002
    return F.sin(_t(input))


@with_out
def cos(input: Any) -> Tensor:  # noqa: A002
    return F.cos(_t(input))


@with_out
def abs(input: Any) -> Tensor:  # noqa: A001,A002
    return F.abs(_t(input))


@with_out
def round(input: Any, decimals: int = 0) -> Tensor:  # noqa: A001,A002
    return F.round(_t(input), decimals=decimals)


@with_out
def pow(input: Any, exponent: Any) -> Tensor:  # noqa: A001,A002
    return F.pow(_t(input) if isinstance(input, (list, tuple)) else input, exponent)


@with_out
def matmul(input: Any, other: Any) -> Tensor:  # noqa: A002
    return F.matmul(_t(input), _t(other))


@with_out
def mm(input: Any, mat2: Any) -> Tensor:  # noqa: A002
    return _t(input).mm(mat2)


@with_out
def maximum(input: Any, other: Any) -> Tensor:  # noqa: A002
    return F.maximum(_t(input), _t(other))


@with_out
def minimum(input: Any, other: Any) -> Tensor:  # noqa: A002
    return F.minimum(_t(input), _t(other))


# The NumPy names (axis=, keepdims=) pass through to the methods, which take them.
@with_out
def argmax(input: Any, dim: Any = None, keepdim: bool = False, **numpy_names: Any) -> Tensor:  # noqa: A002
    return _t(input).argmax(dim, keepdim, **numpy_names)


@with_out
def argmin(input: Any, dim: Any = None, keepdim: bool = False, **numpy_names: Any) -> Tensor:  # noqa: A002
    return _t(input).argmin(dim, keepdim, **numpy_names)


def max(input: Any, dim: Any = None, keepdim: bool = False, **numpy_names: Any) -> Any:  # noqa: A001,A002
    """max(x); max(x, dim) -> (values, indices); max(x, y) elementwise, as torch.max."""
    return _t(input).max(dim, keepdim, **numpy_names)


def min(input: Any, dim: Any = None, keepdim: bool = False, **numpy_names: Any) -> Any:  # noqa: A001,A002
    return _t(input).min(dim, keepdim, **numpy_names)


@with_out
def sum(
    input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None, **numpy_names: Any
) -> Tensor:  # noqa: A001,A002
    return _t(input).sum(dim, keepdim, dtype=dtype, **numpy_names)


@with_out
def mean(
    input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None, **numpy_names: Any
) -> Tensor:  # noqa: A002
    return _t(input).mean(dim, keepdim, dtype=dtype, **numpy_names)


@with_out
def var(
    input: Any, dim: Any = None, unbiased: Any = None, keepdim: bool = False, **options: Any
) -> Tensor:  # noqa: A002
    """torch.var; ``options``: correction=, and the NumPy names, as the method takes them."""
    return _t(input).var(dim, unbiased, keepdim, **options)


@with_out
def std(
    input: Any, dim: Any = None, unbiased: Any = None, keepdim: bool = False, **options: Any
) -> Tensor:  # noqa: A002
    return _t(input).std(dim, unbiased, keepdim, **options)


@with_out
def clamp(input: Any, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
    return F.clip(_t(input), min, max)


clip = clamp


@with_out
def where(condition: Any, input: Any = None, other: Any = None) -> Any:  # noqa: A002
    """where(c, x, y) picks elementwise; where(c) gives the indices of the True elements."""
    if input is None and other is None:
        return tuple(Tensor._of(i.astype(np.int64)) for i in np.nonzero(_t(condition)._data))
    check_tensor("where", condition, "condition")
    refuse_sequence("where", input, "input")
    refuse_sequence("where", other, "other")
    return F.where(condition, input, other)


def reshape(input: Any, shape: Any) -> Tensor:  # noqa: A002
    return F.reshape(input, *shape)


def flatten(input: Any, start_dim: int = 0, end_dim: int = -1) -> Tensor:  # noqa: A002
    return _t(input).flatten(start_dim, end_dim)


def ravel(input: Any) -> Tensor:  # noqa: A002
    """The elements as one row, as torch.ravel (a view where the memory allows)."""
    return _t(input).reshape(-1)


def transpose(input: Any, dim0: int, dim1: int) -> Tensor:  # noqa: A002
    return _t(input).transpose(dim0, dim1)


def permute(input: Any, dims: Any) -> Tensor:  # noqa: A002
    return F.permute(input, *dims)


def squeeze(input: Any, dim: Any = None) -> Tensor:  # noqa: A002
    return _t(input).squeeze(dim)


def unsqueeze(input: Any, dim: int) -> Tensor:  # noqa: A002
    return _t(input).unsqueeze(dim)


def allclose(
    input: Any,
    other: Any,
    rtol: float = 1e-5,
    atol: float = 1e-8,  # noqa: A002
    equal_nan: bool = False,
) -> bool:
    check_tolerances("allclose", rtol, atol)
    return _t(input).allclose(other, rtol, atol, equal_nan)


def equal(input: Any, other: Any) -> bool:  # noqa: A002
    return _t(input).equal(_t(other))


def isnan(input: Any) -> Tensor:  # noqa: A002
    return _t(input).isnan()


@with_out
def eye(n: int, m: Any = None, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    wanted = get_default_dtype() if dtype is None else resolve_dtype(dtype, "eye")
    n = _shape((n,), "eye")[0]
    m = n if m is None else _shape((m,), "eye")[0]
    check_allocation("eye", n * m, np.dtype(wanted).itemsize, f"{n} x {m}")
    return Tensor._of(np.eye(n, m, dtype=wanted), requires_grad=requires_grad)
