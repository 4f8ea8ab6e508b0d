"""torch.X(tensor, ...) for Tensor methods that torch also offers as functions (torch.split,
torch.chunk, torch.sub, ...): each calls the method, so there is one implementation of each."""

from __future__ import annotations

from typing import Any, Callable

from ._checks import check_tensor
from .dtypes import wrap_int
from .type_promotion import result_type
from .autograd.tensor import Tensor
from .tensor_functions import with_out


def _forward(name: str, out: bool = True) -> Callable[..., Any]:
    """The method as a function; ``out`` for those torch gives ``out=`` (not views, not clone)."""

    def function(input: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: A002
        if isinstance(input, (list, tuple)):  # torch.add([1, 2], 1) is a TypeError
            check_tensor(name, input)
        tensor = input if isinstance(input, Tensor) else _number_first(name, input, args, kwargs)
        return getattr(tensor, name)(*args, **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"torch.{name}(input, ...): the same as ``input.{name}(...)``."
    return with_out(function) if out else function


def _number_first(name: str, input: Any, args: tuple, kwargs: dict) -> Tensor:  # noqa: A002
    """torch.add(300, t): the number is torch's wrapped number, so it takes the dtype it meets
    beside ``t`` (uint8 for a 0-d uint8 t, wrapped) instead of making an int64 tensor; true
    division computes in float, where the number stays whole."""
    tensor = Tensor._of(input)
    if name == "div" and kwargs.get("rounding_mode") is None:
        return tensor
    if name in _BINARY and type(input) in (int, float) and args and isinstance(args[0], Tensor):
        wanted = result_type(input, args[0])
        tensor = Tensor._of(wrap_int(input, wanted) if wanted.kind in "iu" else input)
        return tensor if tensor.dtype == wanted else tensor.to(wanted)
    return tensor


_BINARY = frozenset(["add", "sub", "mul", "div"])
add, sub, mul, div = _forward("add"), _forward("sub"), _forward("mul"), _forward("div")
lerp = _forward("lerp")
multiply, subtract, divide, true_divide = mul, sub, div, div
neg, square, rsqrt, log1p = (
    _forward("neg"),
    _forward("square"),
    _forward("rsqrt"),
    _forward("log1p"),
)
floor, ceil, sign, reciprocal = (
    _forward("floor"),
    _forward("ceil"),
    _forward("sign"),
    _forward("reciprocal"),
)
split, chunk, t, clone, detach = (
    _forward("split", out=False),
    _forward("chunk", out=False),
    _forward("t", out=False),
    _forward("clone", out=False),
    _forward("detach", out=False),
)
amax, amin, all, any = _forward("amax"), _forward("amin"), _forward("all"), _forward("any")  # noqa: A001
nonzero, count_nonzero, norm = (
    _forward("nonzero"),
    _forward("count_nonzero", out=False),
    _forward("norm"),
)
masked_fill, isinf, isfinite = (
    _forward("masked_fill", out=False),
    _forward("isinf"),
    _forward("isfinite"),
)
expand, swapaxes = _forward("expand", out=False), _forward("swapaxes", out=False)
clamp_min, clamp_max, argwhere = _forward("clamp_min"), _forward("clamp_max"), _forward("argwhere")
fliplr, flipud = _forward("fliplr", out=False), _forward("flipud", out=False)

__all__ = [
    "add",
    "lerp",
    "all",
    "argwhere",
    "clamp_max",
    "clamp_min",
    "fliplr",
    "flipud",
    "amax",
    "amin",
    "any",
    "ceil",
    "chunk",
    "clone",
    "count_nonzero",
    "detach",
    "div",
    "divide",
    "expand",
    "floor",
    "isfinite",
    "isinf",
    "log1p",
    "masked_fill",
    "mul",
    "multiply",
    "neg",
    "nonzero",
    "norm",
    "reciprocal",
    "rsqrt",
    "sign",
    "split",
    "square",
    "sub",
    "subtract",
    "swapaxes",
    "t",
    "true_divide",
]
