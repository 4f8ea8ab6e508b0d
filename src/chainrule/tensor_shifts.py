"""``<<``, ``>>``, ``<<=``, ``>>=`` and torch's named shift methods, bound onto Tensor at import
(as tensor_api_more.py binds its methods); the ops themselves live in functional/bitshift.py."""

from __future__ import annotations

from typing import Any

from .autograd.inplace import modify
from .autograd.tensor import Tensor
from .functional.bitshift import bitwise_left_shift, bitwise_right_shift

__all__ = ["bitwise_left_shift", "bitwise_right_shift"]


def _in_place(name: str, shift: Any) -> Any:
    def method(self: Any, other: Any) -> Any:
        return modify(self, name, lambda t, o: shift(t, o), other)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"In place: see {shift.__name__} (the result is cast to self's dtype)."
    return method


_METHODS: dict[str, Any] = {
    "__lshift__": bitwise_left_shift,
    "__rshift__": bitwise_right_shift,
    "__rlshift__": lambda self, other: bitwise_left_shift(other, self),
    "__rrshift__": lambda self, other: bitwise_right_shift(other, self),
    "bitwise_left_shift": bitwise_left_shift,
    "bitwise_right_shift": bitwise_right_shift,
    "__ilshift__": _in_place("__ilshift__", bitwise_left_shift),
    "__irshift__": _in_place("__irshift__", bitwise_right_shift),
    "bitwise_left_shift_": _in_place("bitwise_left_shift_", bitwise_left_shift),
    "bitwise_right_shift_": _in_place("bitwise_right_shift_", bitwise_right_shift),
}
for _name, _method in _METHODS.items():
    if not hasattr(Tensor, _name):  # Tensor's own methods win
        setattr(Tensor, _name, _method)
