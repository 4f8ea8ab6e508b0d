"""Tensor: an ndarray plus what autograd needs (the gradient and the Function that made it)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import shape_str
from ..dtypes import get_default_dtype
from ..errors import DTypeError, ShapeError


class Tensor:
    """An ndarray (``.data``) that records the Functions applied to it.

    >>> import chainrule as cr
    >>> x = cr.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    array([2., 4., 6.])
    """

    __slots__ = ("data", "grad", "requires_grad", "_ctx", "__weakref__")
    __array_ufunc__ = None  # ndarray + Tensor defers to Tensor.__radd__

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None) -> None:
        if type(data) is not np.ndarray or dtype is not None:
            if isinstance(data, Tensor):
                data = data.data
            data = _to_array(data, dtype)
        self.data = data
        self.grad: np.ndarray | None = None
        self._ctx = None
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    # --- what a Tensor is ------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def ndim(self) -> int:
        return self.data.ndim

    def size(self, dim: int | None = None) -> Any:
        """The shape (as torch's ``size()``), or the length of one axis."""
        return self.data.shape if dim is None else self.data.shape[dim]

    def numel(self) -> int:
        return self.data.size

    @property
    def is_leaf(self) -> bool:
        return self._ctx is None

    @property
    def grad_fn(self):
        return self._ctx

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="tensor(")
        extra = f", dtype={self.data.dtype}" if self.data.dtype != np.float64 else ""
        if self._ctx is not None:
            extra += f", grad_fn=<{type(self._ctx).__name__}>"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"tensor({body}{extra})"

    def item(self) -> float | int | bool:
        if self.data.size != 1:
            raise ShapeError(
                f"Tensor.item: expected a tensor with one element, got shape {shape_str(self.shape)}."
            )
        return self.data.item()

    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied), like torch's .numpy() on the CPU."""
        return self.data

    def tolist(self) -> Any:
        return self.data.tolist()

    def detach(self) -> Tensor:
        """The same data, cut from the graph."""
        return Tensor._wrap(self.data)

    def clone(self) -> Tensor:
        from ..functional.arithmetic import Clone

        return Clone.apply(self)

    def to(self, dtype: Any) -> Tensor:
        """Convert the dtype; differentiable between float dtypes."""
        from ..functional.arithmetic import Cast

        return Cast.apply(self, dtype=np.dtype(dtype))

    def float(self) -> Tensor:
        return self.to(np.float32)

    def double(self) -> Tensor:
        return self.to(np.float64)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if requires_grad and self.data.dtype.kind not in "fc":
            raise DTypeError(
                f"Tensor.requires_grad_: expected a floating-point tensor, got dtype "
                f"{self.data.dtype}.\nHint: only float tensors can have gradients; create it "
                f"with dtype=np.float64 or call .to(np.float64) first."
            )
        self.requires_grad = bool(requires_grad)
        return self

    def zero_(self) -> Tensor:
        self.data[...] = 0
        return self

    @staticmethod
    def _wrap(array: np.ndarray, requires_grad: bool = False) -> Tensor:
        t = Tensor.__new__(Tensor)
        t.data = array
        t.grad = None
        t.requires_grad = requires_grad
        t._ctx = None
        return t

    # --- autograd ----------------------------------------------------------------
    def backward(self, grad: Any = None, retain_graph: bool = False) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` that requires it."""
        _engine.run_backward(self, grad, retain_graph)

    # --- operators (each is one Function in chainrule.functional) -----------------
    def __add__(self, other: Any) -> Tensor:
        return F.Add.apply(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return F.Add.apply(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return F.Sub.apply(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return F.Sub.apply(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return F.Mul.apply(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return F.Mul.apply(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return F.Div.apply(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return F.Div.apply(other, self)

    def __pow__(self, exponent: Any) -> Tensor:
        return F.pow(self, exponent)

    def __rpow__(self, base: Any) -> Tensor:
        return F.pow(base, self)

    def __neg__(self) -> Tensor:
        return F.Neg.apply(self)

    def __matmul__(self, other: Any) -> Tensor:
        return F.MatMul.apply(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return F.MatMul.apply(other, self)

    def __getitem__(self, index: Any) -> Tensor:
        return F.getitem(self, index)

    # Comparisons give bool tensors with no gradient, as in PyTorch.
    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return Tensor._wrap(np.asarray(self.data == _data(other)))

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return Tensor._wrap(np.asarray(self.data != _data(other)))

    def __lt__(self, other: Any) -> Tensor:
        return Tensor._wrap(np.asarray(self.data < _data(other)))

    def __le__(self, other: Any) -> Tensor:
        return Tensor._wrap(np.asarray(self.data <= _data(other)))

    def __gt__(self, other: Any) -> Tensor:
        return Tensor._wrap(np.asarray(self.data > _data(other)))

    def __ge__(self, other: Any) -> Tensor:
        return Tensor._wrap(np.asarray(self.data >= _data(other)))

    __hash__ = object.__hash__

    def __bool__(self) -> bool:
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    # --- methods mirroring torch.Tensor ------------------------------------------
    @property
    def T(self) -> Tensor:
        return F.transpose(self)

    def sum(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return F.sum(self, dim, keepdim)

    def mean(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return F.mean(self, dim, keepdim)

    def max(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return F.max(self, dim, keepdim)

    def min(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return F.min(self, dim, keepdim)

    def reshape(self, *shape: Any) -> Tensor:
        return F.reshape(self, *shape)

    view = reshape

    def unsqueeze(self, dim: int) -> Tensor:
        """A new axis of length 1 at ``dim``."""
        shape = list(self.data.shape)
        shape.insert(dim % (len(shape) + 1), 1)
        return F.reshape(self, *shape)

    def squeeze(self, dim: int | None = None) -> Tensor:
        """Drop axes of length 1 (only ``dim``, if given and of length 1)."""
        shape = self.data.shape
        if dim is None:
            return F.reshape(self, *[n for n in shape if n != 1])
        if shape[dim] != 1:
            return self
        return F.reshape(self, *(shape[:dim % len(shape)] + shape[dim % len(shape) + 1:]))

    def matmul(self, other: Any) -> Tensor:
        return F.MatMul.apply(self, other)

    def transpose(self, dim0: int = -2, dim1: int = -1) -> Tensor:
        return F.transpose(self, dim0, dim1)

    def permute(self, *dims: Any) -> Tensor:
        return F.permute(self, *dims)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        return F.flatten(self, start_dim, end_dim)

    def exp(self) -> Tensor:
        return F.exp(self)

    def log(self) -> Tensor:
        return F.log(self)

    def sqrt(self) -> Tensor:
        return F.sqrt(self)

    def abs(self) -> Tensor:
        return F.abs(self)

    def clip(self, min: Any = None, max: Any = None) -> Tensor:  # noqa: A002
        return F.clip(self, min, max)

    clamp = clip

    def relu(self) -> Tensor:
        return F.relu(self)

    def sigmoid(self) -> Tensor:
        return F.sigmoid(self)

    def tanh(self) -> Tensor:
        return F.tanh(self)

    def softmax(self, dim: int = -1) -> Tensor:
        return F.softmax(self, dim)

    def log_softmax(self, dim: int = -1) -> Tensor:
        return F.log_softmax(self, dim)

    def argmax(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        return Tensor._wrap(np.asarray(np.argmax(self.data, axis=dim, keepdims=keepdim)))


def _data(value: Any) -> Any:
    return value.data if isinstance(value, Tensor) else value


def _to_array(data: Any, dtype: Any) -> np.ndarray:
    if dtype is not None:
        return np.array(data, dtype=np.dtype(dtype))
    if isinstance(data, np.ndarray):
        return data
    if isinstance(data, np.generic):
        return np.asarray(data)
    array = np.array(data)
    if array.dtype.kind == "f" or array.dtype == object:
        array = array.astype(get_default_dtype())
    return array


from .. import functional as F  # noqa: E402  (the operators above resolve at call time)
from . import engine as _engine  # noqa: E402
