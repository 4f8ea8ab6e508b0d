"""torch.Tensor's operators: arithmetic, comparisons and logical ops, each one op of
chainrule.functional (comparisons and logical ops give results with no gradient, as in torch).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..dtypes import as_number, torch_operands
from ..dtypes import operand as _array  # uint8 == 300 wraps 300, as torch
from .._checks import no_sequences
from ..errors import DTypeError, ShapeError
from ..cpugraph.capture import record_call, refuse
from .function import NO_CONFIG as _NO_CONFIG  # an operator passes no keyword to forward

F: Any = None  # chainrule.functional, bound by tensor.py (see there)
# Function.apply's body, bound by tensor.py too: an operator calls it without apply's
# classmethod binding and argument packing (bench/RESULTS.md, "Per-op overhead").
_apply: Any = None


class TensorOperators:
    """Python's operators on tensors, and torch's named forms of them; mixed into Tensor."""

    __slots__ = ()

    # --- arithmetic operators ------------------------------------------------------
    def __add__(self, other: Any):
        return _apply(F.Add, (self, other), _NO_CONFIG)

    def __radd__(self, other: Any):
        return _apply(F.Add, (other, self), _NO_CONFIG)

    def __sub__(self, other: Any):
        return _apply(F.Sub, (self, other), _NO_CONFIG)

    def __rsub__(self, other: Any):
        return _apply(F.Sub, (other, self), _NO_CONFIG)

    def __mul__(self, other: Any):
        return _apply(F.Mul, (self, other), _NO_CONFIG)

    def __rmul__(self, other: Any):
        return _apply(F.Mul, (other, self), _NO_CONFIG)

    def __truediv__(self, other: Any):
        return _apply(F.Div, (self, other), _NO_CONFIG)

    def __rtruediv__(self, other: Any):
        return _apply(F.Div, (other, self), _NO_CONFIG)

    def __pow__(self, exponent: Any):
        return F.pow(self, exponent)

    def __rpow__(self, base: Any):
        return F.pow(base, self)

    def __neg__(self):
        return _apply(F.Neg, (self,), _NO_CONFIG)

    def __pos__(self):
        return self

    def __abs__(self):
        return F.abs(self)

    def __matmul__(self, other: Any):
        return _apply(F.MatMul, (self, other), _NO_CONFIG)

    def __rmatmul__(self, other: Any):
        return _apply(F.MatMul, (other, self), _NO_CONFIG)

    def __getitem__(self, index: Any):
        return F.getitem(self, index)

    def __floordiv__(self, other: Any):
        return F.floor_divide(self, other)

    def __rfloordiv__(self, other: Any):
        return F.floor_divide(as_number(other), self)

    def __mod__(self, other: Any):
        return F.remainder(self, other)

    def __rmod__(self, other: Any):
        return F.remainder(as_number(other), self)

    def __and__(self, other: Any):
        return _no_grad_result(
            np.logical_and if _bools(self, other) else np.bitwise_and, self, other
        )

    def __or__(self, other: Any):
        return _no_grad_result(np.logical_or if _bools(self, other) else np.bitwise_or, self, other)

    def __xor__(self, other: Any):
        return _no_grad_result(
            np.logical_xor if _bools(self, other) else np.bitwise_xor, self, other
        )

    __rand__, __ror__, __rxor__ = __and__, __or__, __xor__  # 5 & t: the same, either way round

    def __invert__(self):
        return _no_grad_result(np.logical_not if _bools(self) else np.invert, self)

    # Comparisons give bool tensors with no gradient, as in PyTorch.
    def __eq__(self, other: Any):  # type: ignore[override]
        return _no_grad_result(np.equal, self, other)

    def __ne__(self, other: Any):  # type: ignore[override]
        return _no_grad_result(np.not_equal, self, other)

    def __lt__(self, other: Any):
        return _no_grad_result(np.less, self, other)

    def __le__(self, other: Any):
        return _no_grad_result(np.less_equal, self, other)

    def __gt__(self, other: Any):
        return _no_grad_result(np.greater, self, other)

    def __ge__(self, other: Any):
        return _no_grad_result(np.greater_equal, self, other)

    eq, ne, lt, le, gt, ge = map(no_sequences, (__eq__, __ne__, __lt__, __le__, __gt__, __ge__))
    mul, div, matmul = __mul__, __truediv__, __matmul__

    def add(self, other: Any, *, alpha: Any = 1):
        """self + alpha * other, torch's signature (alpha scales ``other`` only)."""
        return self + F.alpha_times("add", self, other, alpha)

    def sub(self, other: Any, *, alpha: Any = 1):
        return self - F.alpha_times("sub", self, other, alpha)

    def mm(self, mat2: Any):
        """A product of two matrices (2-D only, as torch.mm; matmul broadcasts)."""
        if self._data.ndim != 2 or getattr(mat2, "ndim", 2) != 2:
            raise ShapeError(
                f"mm: expected two 2-D tensors, got {self._data.ndim}-D and "
                f"{getattr(mat2, 'ndim', '?')}-D.\nHint: use matmul (@) for vectors "
                f"and batches."
            )
        return _apply(F.MatMul, (self, mat2), _NO_CONFIG)

    multiply, subtract, divide, true_divide = mul, sub, div, div

    def pow(self, exponent: Any):
        return F.pow(self, exponent)

    def neg(self):
        return _apply(F.Neg, (self,), _NO_CONFIG)

    def equal(self, other: Any) -> bool:
        refuse("Tensor.equal")  # a Python bool: inside a capture it would be read once
        return self.shape == other.shape and bool(np.array_equal(self._data, other._data))

    def allclose(
        self, other: Any, rtol: float = 1e-5, atol: float = 1e-8, equal_nan: bool = False
    ) -> bool:
        refuse("Tensor.allclose")
        return bool(
            np.allclose(self._data, _array(other), rtol=rtol, atol=atol, equal_nan=equal_nan)
        )

    def isnan(self):
        return _no_grad_result(np.isnan, self)

    def isinf(self):
        return _no_grad_result(np.isinf, self)

    def isfinite(self):
        return _no_grad_result(np.isfinite, self)


def _bools(t: Any, other: Any = True) -> bool:  # bool & 1 is bitwise, int64, as in torch
    return t._data.dtype == np.bool_ and np.asarray(_array(other)).dtype == np.bool_


_COMPARABLE = (int, float, bool, complex, np.ndarray, np.generic)  # [1, 2] == t: False, as torch


def _no_grad_result(ufunc: Any, *args: Any):
    """A result with no gradient (comparisons, logical ops), as torch gives."""
    if len(args) == 2 and not isinstance(args[1], (TensorOperators, *_COMPARABLE)):
        return NotImplemented  # e.g. pytest.approx: let the other side compare
    try:  # recorded inside a CPUGraph capture, so a mask made in the step follows its input
        out = record_call(_ufunc_array, ufunc, *[_array(a, args[0]) for a in args])
    except TypeError:  # NumPy's refusal (a float to &); torch's is a RuntimeError
        dtypes = " and ".join(str(np.asarray(_array(a)).dtype) for a in args)
        raise DTypeError(f"{ufunc.__name__}: expected ints or bools, got {dtypes}.") from None
    except ValueError:
        shapes = " and ".join(str(tuple(np.shape(_array(a)))) for a in args)
        raise ShapeError(
            f"{getattr(ufunc, '__name__', 'op')}: expected shapes that broadcast together, "
            f"got {shapes}."
        ) from None
    return args[0]._wrap(out)


def _ufunc_array(ufunc: Any, *arrays: Any) -> np.ndarray:
    return np.asarray(ufunc(*torch_operands(arrays)))


def _reflected(ops: tuple[str, str]) -> Any:
    def call(a: Any, b: Any) -> Any:
        return getattr(a, ops[0])(b) if isinstance(a, TensorOperators) else getattr(b, ops[1])(a)

    return call


# np.int64(7) // t, np.float32(1) < t: NumPy asks the Tensor, which answers with its operator
REFLECTED_UFUNCS = {
    name: _reflected(ops)
    for name, ops in {
        "floor_divide": ("__floordiv__", "__rfloordiv__"),
        "remainder": ("__mod__", "__rmod__"),
        "bitwise_and": ("__and__", "__and__"),
        "bitwise_or": ("__or__", "__or__"),
        "bitwise_xor": ("__xor__", "__xor__"),
        "left_shift": ("__lshift__", "__rlshift__"),
        "right_shift": ("__rshift__", "__rrshift__"),
        "less": ("__lt__", "__gt__"),
        "less_equal": ("__le__", "__ge__"),
        "greater": ("__gt__", "__lt__"),
        "greater_equal": ("__ge__", "__le__"),
        "equal": ("__eq__", "__eq__"),
        "not_equal": ("__ne__", "__ne__"),
    }.items()
}
