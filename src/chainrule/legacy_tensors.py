"""torch's legacy typed constructors, ``torch.FloatTensor([...])``, ``LongTensor``, ...: each makes
a Tensor of its dtype, works as ``x.type(torch.FloatTensor)``, and answers ``isinstance(x,
torch.FloatTensor)`` by dtype, as torch's do (a float32 tensor is a FloatTensor, a float64 not)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ._checks import check_allocation, fail_shape, fail_value
from .autograd.tensor import Tensor


class _TypedTensorMeta(type):
    def __instancecheck__(cls, value: Any) -> bool:
        return isinstance(value, Tensor) and value.dtype == cls.dtype

    def __repr__(cls) -> str:
        return f"<class 'chainrule.{cls.__name__}'>"


class _TypedTensor(metaclass=_TypedTensorMeta):
    """``T(data)`` is ``tensor(data, dtype=T.dtype)``; ``T(2, 3)`` an uninitialised (here: zero)
    tensor of that shape; ``T()`` an empty one. ``dtype`` lets NumPy read the class as a dtype."""

    dtype: np.dtype

    def __new__(cls, *args: Any) -> Any:  # type: ignore[misc]
        if not args:
            return Tensor._wrap(np.zeros(0, dtype=cls.dtype))
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            data = args[0]
            if isinstance(data, Tensor):
                data = data.detach().numpy()
            _check_fits(cls.__name__, cls.dtype, data)
            return Tensor._of(
                np.asarray(data).astype(cls.dtype) if _is_array(data) else data, dtype=cls.dtype
            )
        if all(isinstance(a, (int, np.integer)) and not isinstance(a, bool) for a in args):
            shape = tuple(int(a) for a in args)
            if min(shape) < 0:
                fail_shape(cls.__name__, "sizes >= 0", str(shape))
            check_allocation(cls.__name__, math.prod(shape), cls.dtype.itemsize, f"sizes {shape}")
            return Tensor._wrap(np.zeros(shape, dtype=cls.dtype))
        raise TypeError(
            f"{cls.__name__}: expected a sequence of numbers or sizes as ints, got "
            f"{', '.join(type(a).__name__ for a in args)}."
        )


def _check_fits(who: str, dtype: np.dtype, data: Any) -> None:
    """An integer out of an integer dtype's range would wrap (-1 as uint8 is 255); torch refuses."""
    values = np.asarray(data)
    if dtype.kind not in "iu" or values.dtype.kind not in "iu" or values.size == 0:
        return
    info = np.iinfo(dtype)
    if values.min() < info.min or values.max() > info.max:
        bad = values[(values < info.min) | (values > info.max)].flat[0]
        fail_value(who, f"integers in [{info.min}, {info.max}] for {dtype}", str(bad))


def _is_array(data: Any) -> bool:
    return isinstance(data, (np.ndarray, np.generic))


def _typed(name: str, dtype: Any) -> type:
    return _TypedTensorMeta(name, (_TypedTensor,), {"dtype": np.dtype(dtype), "__doc__": None})


FloatTensor = _typed("FloatTensor", np.float32)
DoubleTensor = _typed("DoubleTensor", np.float64)
LongTensor = _typed("LongTensor", np.int64)
IntTensor = _typed("IntTensor", np.int32)
ShortTensor = _typed("ShortTensor", np.int16)
CharTensor = _typed("CharTensor", np.int8)
ByteTensor = _typed("ByteTensor", np.uint8)
BoolTensor = _typed("BoolTensor", np.bool_)

__all__ = [
    "BoolTensor",
    "ByteTensor",
    "CharTensor",
    "DoubleTensor",
    "FloatTensor",
    "IntTensor",
    "LongTensor",
    "ShortTensor",
]
