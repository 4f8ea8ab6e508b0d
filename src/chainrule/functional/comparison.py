"""torch's comparison and element tests at top level (torch.gt, torch.isin, torch.signbit, ...)
and the small tensor queries beside them (is_nonzero, is_same_size, is_signed, select,
broadcast_tensors). None has a gradient but select and broadcast_tensors, which index or expand
and so reuse GetItem's and Expand's derivatives."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_dim, fail_dtype, fail_shape, fail_value, message, shape_str
from ..errors import DimError, GraphError
from .predicates import _array, _test
from .rearrange import broadcast_to
from .sorting import _tensor


def into(out: Any, result: Any):
    """torch's ``out=``: the result written into ``out`` (same shape), which is returned."""
    if out is None:
        return result
    if tuple(out.shape) != tuple(result.shape):
        fail_shape(
            "out=",
            f"a tensor of the result's shape {shape_str(result.shape)}",
            shape_str(out.shape),
            "pass out=None, or an out of the result's shape.",
        )
    # torch's rule: never down a kind (float into int64 would drop the fractions silently)
    if _KIND_RANK[np.dtype(result.dtype).kind] > _KIND_RANK[np.dtype(out.dtype).kind]:
        fail_dtype("out=", f"an out that holds {result.dtype} values", f"dtype {out.dtype}")
    if result.requires_grad:  # copy_ would tie out into the graph, which torch refuses
        raise GraphError(
            message(
                "out=",
                "inputs that need no gradient (out= has none)",
                "one that does",
                "call it without out=, or under chainrule.no_grad().",
            )  # fmt: skip
        )
    return out.copy_(result)


_KIND_RANK = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


def _compare(name: str) -> Any:
    def compare(input: Any, other: Any, *, out: Any = None):  # noqa: A002
        return into(out, getattr(_tensor(input), name)(other))

    compare.__name__ = compare.__qualname__ = name
    compare.__doc__ = f"torch.{name}(input, other): elementwise, a bool tensor, no gradient."
    return compare


gt, ge, lt, le, eq, ne = (_compare(n) for n in ("gt", "ge", "lt", "le", "eq", "ne"))
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def isin(elements: Any, test_elements: Any, *, assume_unique: bool = False, invert: bool = False):
    """Whether each of ``elements`` is among ``test_elements`` (either may be a number);
    ``assume_unique`` is accepted and changes nothing here (it only lets torch skip a sort)."""
    return _test(np.isin, _array(elements), _array(test_elements), invert=invert)


def isneginf(input: Any, *, out: Any = None):  # noqa: A002
    return into(out, _test(np.isneginf, _array(input)))


def isposinf(input: Any, *, out: Any = None):  # noqa: A002
    return into(out, _test(np.isposinf, _array(input)))


def isreal(input: Any):  # noqa: A002
    """True everywhere: chainrule has no complex dtypes (torch's answer for real tensors)."""
    return _test(np.isreal, _array(input))


def signbit(input: Any, *, out: Any = None):  # noqa: A002
    """The sign bit: True for -0.0 and negative NaN too, as torch (not just x < 0)."""
    return into(out, _test(np.signbit, _array(input)))


def is_nonzero(input: Any) -> bool:  # noqa: A002
    """bool(x) for a one-element tensor; torch refuses any other size, and so does this."""
    data = _array(input)
    if data.size != 1:
        fail_value(
            "is_nonzero",
            "a tensor with exactly one element",
            f"{data.size} elements",
            "reduce it first (x.any(), x.all()).",
        )
    return bool(data.reshape(()))


def is_same_size(input: Any, other: Any) -> bool:  # noqa: A002
    return tuple(input.shape) == tuple(other.shape)


def is_signed(input: Any) -> bool:  # noqa: A002
    """False for uint8 and bool (torch's unsigned types), True for the rest."""
    return _array(input).dtype.kind not in "ub"


def negative(input: Any, *, out: Any = None):  # noqa: A002
    return into(out, _tensor(input).neg())


def positive(input: Any):  # noqa: A002
    """The input itself, as torch (which refuses bool tensors, as here)."""
    x = _tensor(input)
    if x.dtype == np.bool_:
        fail_value("positive", "a numeric tensor", "dtype bool", "use the tensor itself.")
    return x


def select(input: Any, dim: int, index: int):  # noqa: A002
    """input[..., index, ...] at axis ``dim``: that axis removed (a view, as torch)."""
    x = _tensor(input)
    if x.ndim == 0:
        fail_shape("select", "a tensor with at least one dim", "a 0-d tensor")
    axis = check_dim("select", dim, x.ndim, tuple(x.shape))
    size = x.shape[axis]
    if not -size <= index < size:
        raise DimError(
            f"select: expected index in [{-size}, {size - 1}] for dim {dim} of size "
            f"{size}, got {index}."
        )
    return x[(slice(None),) * axis + (int(index),)]


def swapdims(input: Any, dim0: int, dim1: int):  # noqa: A002
    return _tensor(input).transpose(dim0, dim1)


def broadcast_shapes(*shapes: Any):
    """The shape that ``shapes`` broadcast to, as a Size (torch raises for ones that do not)."""
    from ..autograd.tensor import Size

    as_tuples = [(s,) if isinstance(s, (int, np.integer)) else tuple(s) for s in shapes]
    try:
        return Size(np.broadcast_shapes(*as_tuples))
    except ValueError:
        fail_shape(
            "broadcast_shapes",
            "shapes that broadcast together",
            " and ".join(shape_str(s) for s in as_tuples),
        )


def broadcast_tensors(*tensors: Any) -> tuple:
    """Each tensor expanded to the common shape (views; gradients sum back, as expand's do)."""
    shape = broadcast_shapes(*(tuple(_tensor(t).shape) for t in tensors))
    return tuple(broadcast_to(_tensor(t), shape) for t in tensors)


def typename(obj: Any) -> str:
    """torch.typename: 'torch.FloatTensor' for a float32 tensor, the qualified name otherwise."""
    from ..autograd.tensor import Tensor

    if isinstance(obj, Tensor):
        return "torch." + _TENSOR_TYPES.get(obj.dtype.name, "Tensor")
    module = getattr(obj, "__module__", "") or ""
    name = getattr(obj, "__qualname__", None) or type(obj).__qualname__
    return f"{module}.{name}" if module not in ("", "builtins") else name


_TENSOR_TYPES = {
    "float32": "FloatTensor",
    "float64": "DoubleTensor",
    "int64": "LongTensor",
    "int32": "IntTensor",
    "int16": "ShortTensor",
    "int8": "CharTensor",
    "uint8": "ByteTensor",
    "bool": "BoolTensor",
}
