"""dtypes under torch's names, and the default float dtype (float32, as in torch).

The names are NumPy's own dtypes, so ``np.zeros(3, dtype=chainrule.float32)`` works and
``t.dtype == chainrule.float32`` compares as torch's does. The notebook's path works in
float64: chainrule.manual takes the dtype of the arrays it is given, and the tutorial sets
``set_default_dtype(chainrule.float64)`` where it uses autograd.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import check_fits
from .errors import DTypeError, NoKernelError

float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)
float16 = np.dtype(np.float16)
int64 = np.dtype(np.int64)
int32 = np.dtype(np.int32)
int16 = np.dtype(np.int16)
int8 = np.dtype(np.int8)
uint8 = np.dtype(np.uint8)
bool_ = np.dtype(np.bool_)
double, half, long, short = float64, float16, int64, int16

# torch's aliases: torch.float is float32, torch.double float64, torch.long int64, ...
ALIASES = {
    "float": float32,
    "double": float64,
    "half": float16,
    "long": int64,
    "int": int32,
    "short": int16,
    "bool": bool_,
    "float32": float32,
    "float64": float64,
    "float16": float16,
    "int64": int64,
    "int32": int32,
    "int16": int16,
    "int8": int8,
    "uint8": uint8,
}

# Tensor.type's names, as older tutorials cast: x.type('torch.LongTensor')
TENSOR_TYPES = {
    "FloatTensor": float32,
    "DoubleTensor": float64,
    "HalfTensor": float16,
    "LongTensor": int64,
    "IntTensor": int32,
    "ShortTensor": int16,
    "CharTensor": int8,
    "ByteTensor": uint8,
    "BoolTensor": bool_,
}


def tensor_type_dtype(name: str) -> np.dtype:
    """The dtype a tensor type's name stands for ('torch.LongTensor' is int64)."""
    short = name.removeprefix("torch.").removeprefix("chainrule.")
    if short not in TENSOR_TYPES:
        raise DTypeError(
            f"Tensor.type: expected a tensor type name such as 'torch.FloatTensor', got {name!r}."
        )
    return resolve_dtype(TENSOR_TYPES[short], "Tensor.type")


_FLOATS = (float32, float64)
_default_dtype = float32


def set_default_dtype(dtype: Any) -> None:
    """Choose float32 (the default, as in torch) or float64 for new float tensors and layers."""
    global _default_dtype
    wanted = resolve_dtype(dtype, "set_default_dtype")
    if wanted not in _FLOATS:
        raise DTypeError(f"set_default_dtype: expected float32 or float64, got {wanted}.")
    _default_dtype = wanted


def get_default_dtype() -> np.dtype:
    return _default_dtype


def resolve_dtype(dtype: Any, who: str) -> np.dtype:
    """Any dtype spelling (chainrule.float32, np.float32, 'float32', torch-style names, Python
    float/int/bool) as a NumPy dtype chainrule can compute in."""
    if (
        isinstance(dtype, str)
        and dtype.removeprefix("torch.").removeprefix("chainrule.") in ALIASES
    ):
        wanted = ALIASES[dtype.removeprefix("torch.").removeprefix("chainrule.")]
    elif dtype is float:
        wanted = _default_dtype
    elif dtype is int:
        wanted = int64
    elif dtype is bool:
        wanted = bool_
    else:
        try:
            wanted = np.dtype(dtype)
        except TypeError:
            raise DTypeError(
                f"{who}: expected a dtype such as chainrule.float32, got {dtype!r}."
            ) from None
    if wanted == float16:
        raise DTypeError(
            f"{who}: expected float32 or float64, got float16.\nHint: chainrule computes on the "
            f"CPU with NumPy, where half precision is slower, not faster; use float32."
        )
    if wanted.kind not in "fiub":
        raise DTypeError(
            f"{who}: expected a real dtype (float32, float64, an integer or bool), got {wanted}."
        )
    return wanted


def resolve_float(dtype: Any, who: str) -> np.dtype:
    """dtype argument of a layer or factory: None means the default; only float32/64 allowed."""
    if dtype is None:
        return _default_dtype
    wanted = resolve_dtype(dtype, who)
    if wanted not in _FLOATS:
        # torch has no integer or bool kernel for random floats (randn(dtype=int64)): it raises
        # NotImplementedError, which NoKernelError is too (and still a DTypeError)
        error = NoKernelError if wanted.kind in "iub" else DTypeError
        raise error(f"{who}: expected dtype float32 or float64, got {wanted}.")
    return wanted


def promote(who: str, values: list, is_tensor: list, integer_ok: bool) -> list:
    """The dtype rule, in one place: the arrays an op's forward receives.

    Float32 and float64 tensors may not meet (a DTypeError says how to convert): stricter than
    torch on purpose, since a silent float64 slow-down is the likelier mistake. Constants
    (Python numbers, NumPy scalars, arrays) and integer or bool tensors take the float dtype
    of the tensors they meet, so NumPy 2 never widens float32 silently. Ops that mean something
    on integers (``integer_ok``: arithmetic, indexing, reductions) keep integer inputs as they
    are; the rest (exp, sigmoid, ...) compute them in the default float dtype, as torch does.
    """
    float_dtype = None
    for value, tensor in zip(values, is_tensor):
        if tensor and value.dtype.kind == "f":
            if float_dtype is None:
                float_dtype = value.dtype
            elif value.dtype != float_dtype:
                raise DTypeError(
                    f"{who}: expected inputs of one float dtype, got {float_dtype} and "
                    f"{value.dtype}.\nHint: convert one side with .to(chainrule.float32) or "
                    f".to(chainrule.float64) (or np.asarray(x, dtype=...)) before combining them."
                )
    int_dtype = wrapped = None
    if float_dtype is None:
        constants = [v for v, t in zip(values, is_tensor) if not t]
        if not integer_ok or any(_is_float(v) for v in constants):
            # int_tensor * 1.5 is a float tensor in the default dtype, as in torch
            float_dtype = next(
                (v.dtype for v in constants if isinstance(v, np.ndarray) and v.dtype.kind == "f"),
                _default_dtype,
            )
        else:  # integers meeting Python ints keep the tensor's integer type (int32 + 1 is int32)
            int_dtype = next(
                (v.dtype for v, t in zip(values, is_tensor) if t and v.dtype.kind in "iu"), None
            )
            wrapped = _wrapped_0d(who, values, is_tensor)
            int_dtype = int_dtype if wrapped is None else wrapped
    arrays = []
    for value, tensor in zip(values, is_tensor):
        if wrapped is not None and tensor and value.ndim == 0 and value.dtype.kind != "b":
            arrays.append(value.astype(wrapped))  # wraps, as torch's uint8 + tensor(-3) does
        elif tensor:
            widen = (
                value.dtype.kind in "iub"
                and float_dtype is not None
                and (value.dtype.kind != "b" or not integer_ok)
            )
            arrays.append(value.astype(float_dtype) if widen else value)
        else:
            arrays.append(_constant(who, value, float_dtype, int_dtype))
    return arrays


# the elementwise ops whose integer tensors follow torch's rule for 0-d tensors
_WRAPPED_OPS = frozenset(
    ["add", "sub", "mul", "minimum", "maximum", "f_max", "clamp", "pow", "where"]
)


# the ops that refuse a number their tensor's dtype cannot hold (300 for uint8, 1e300 for
# float32), as torch's checked conversion does, where add/sub/mul wrap it or give inf
_FITTED_OPS = frozenset(["where", "clamp"])


def _wrapped_0d(who: str, values: list, is_tensor: list) -> Any:
    """torch's "wrapped number" rule for integers: a 0-d tensor does not widen an integer
    tensor with dims (int8[3] + tensor(5) is int8, uint8[3] + tensor(-3, int16) is uint8,
    where NumPy gives int64 and int16). None where the rule changes nothing."""
    if who not in _WRAPPED_OPS:
        return None
    dims = [v.dtype for v, t in zip(values, is_tensor) if t and v.ndim > 0]
    if not dims or not any(v.ndim == 0 for v, t in zip(values, is_tensor) if t):
        return None
    target = np.result_type(*dims)
    return target if target.kind in "iu" else None


def _is_float(value: Any) -> bool:
    return isinstance(value, (float, np.floating)) or (
        isinstance(value, np.ndarray) and value.dtype.kind == "f"
    )


def _constant(who: str, value: Any, float_dtype: Any, int_dtype: Any = None) -> np.ndarray:
    """A non-tensor argument as an array in the dtype of the tensors it meets."""
    if isinstance(value, (complex, np.complexfloating)) or (
        isinstance(value, np.ndarray) and value.dtype.kind == "c"
    ):
        raise DTypeError(
            f"{who}: expected real numbers, got a complex value.\nHint: chainrule "
            f"does not support complex numbers."
        )
    if isinstance(value, np.ndarray) and value.ndim > 0:
        if value.dtype.kind == "f" and float_dtype is not None and value.dtype != float_dtype:
            raise DTypeError(
                f"{who}: expected an array of dtype {float_dtype} to match the tensor, got "
                f"{value.dtype}.\nHint: convert it with x.astype(np.{float_dtype})."
            )
        if value.dtype.kind in "iub" and float_dtype is not None:
            return value.astype(float_dtype)
        return value
    if isinstance(value, (bool, np.bool_)):
        return np.asarray(value)
    if float_dtype is not None:
        if who in _FITTED_OPS and type(value) is float:  # where(c, float32, 1e300): refused
            value = check_fits(who, value, float_dtype)
        return number_as(value, float_dtype)
    if int_dtype is not None and isinstance(value, (int, np.integer)):
        if who in _FITTED_OPS:  # torch refuses where(c, uint8, 300) and uint8.clamp(300)
            value = check_fits(who, int(value), int_dtype)
        return wrap_int(value, int_dtype)
    value = as_number(value)  # bool + np.int8(-2) is int64, as bool + -2
    if isinstance(value, int) or (isinstance(value, np.ndarray) and value.dtype.kind in "iu"):
        return np.asarray(value)
    return np.asarray(value, dtype=_default_dtype)


def operand(value: Any, like: Any = None) -> Any:
    """The array behind an operator's operand (a comparison's, a bitwise op's); a Python int
    meeting an integer tensor ``like`` takes its dtype, wrapped, as torch's do."""
    if like is not None and type(value) is int and like._data.dtype.kind in "iu":
        return wrap_int(value, like._data.dtype)
    return getattr(value, "_data", value)


def as_number(value: Any) -> Any:
    """A NumPy scalar as torch reads one: a Python number (np.float64(0.5) // int8_t is
    float32, bool_t + np.int8(-2) is int64); anything else as it is."""
    if isinstance(value, np.generic) and value.dtype.kind in "iuf":
        return value.item()
    return value


def number_as(value: Any, dtype: Any) -> np.ndarray:
    """A number as a 0-d array of a float dtype, as torch reads one in arithmetic: past the
    dtype's range it is inf (float32 + 1e300), without NumPy's overflow warning."""
    if isinstance(value, (int, float)) and not -3.4e38 < value < 3.4e38:
        with np.errstate(over="ignore"):
            return np.asarray(value, dtype=dtype)
    return np.asarray(value, dtype=dtype)


def wrap_int(value: Any, dtype: np.dtype) -> np.ndarray:
    """A Python int in an integer tensor's dtype, wrapped modulo its width as torch does: a
    number never widens a tensor of its own kind (uint8 + 300 is uint8 44, uint8 - 2 wraps)."""
    try:
        return np.asarray(value, dtype=dtype)
    except OverflowError:
        return np.asarray(value, dtype=np.int64).astype(dtype)


def torch_operands(arrays: tuple) -> tuple:
    """A comparison's or bitwise op's two operands in torch's common dtype where NumPy's would
    differ: a 0-d tensor does not widen one with dims of its kind (uint8[3] < tensor(-3, int16)
    compares in uint8, -3 read as 253), and int64 meets float32 in float32, not float64."""
    if len(arrays) != 2:
        return arrays
    a, b = arrays
    if type(a) is np.ndarray and type(b) is np.ndarray and a.dtype == b.dtype:
        return arrays
    from .type_promotion import common_dtype  # here: type_promotion imports this module

    wanted = common_dtype(a, b)
    if wanted is None:
        return arrays
    # a NumPy scalar is a number to torch: np.float64(0.1) meets float32 as float32's 0.1
    cast = (np.ndarray, np.generic)
    return tuple(
        v.astype(wanted) if isinstance(v, cast) and v.dtype != wanted else v for v in arrays
    )


_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2}


def in_place_casting(dtype: np.dtype, values: Any) -> str:
    """NumPy's casting rule for writing a result into a tensor of ``dtype``, as torch's can_cast:
    a cast that keeps the kind or goes up is allowed, whatever the widths (uint8.mul_(int8)
    computes in int16 and wraps into uint8); float into an integer, or a number into bool, is
    left to same_kind, which refuses it."""
    kind = getattr(values, "dtype", dtype).kind
    return "unsafe" if _KIND_RANK.get(dtype.kind, 3) >= _KIND_RANK.get(kind, 3) else "same_kind"
