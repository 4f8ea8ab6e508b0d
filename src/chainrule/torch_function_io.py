"""What a torch-style ``autograd.Function`` hands over and gets back, kept outside autograd/
(which keeps a line budget): several outputs from one forward, packed into the one result the
engine records and unpacked for the caller, their gradients split again for backward; and the
gradients backward returns, made into arrays of the inputs' dtypes."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import message
from .autograd.tensor import Tensor


def packed(who: str, out: Any) -> tuple:
    """(one Tensor for the engine, the outputs' shapes or None): a tuple of Tensors is one flat
    array to the engine, as a slice of it each output's gradient adds into the right place."""
    if not isinstance(out, tuple):
        return out, None
    kinds = {o._data.dtype for o in out if isinstance(o, Tensor)}
    if not out or not all(isinstance(o, Tensor) for o in out) or len(kinds) != 1:
        got = ", ".join(
            type(o).__name__ if not isinstance(o, Tensor) else str(o.dtype) for o in out
        )
        raise TypeError(
            message(
                f"{who}.forward",
                "one Tensor, or a tuple of Tensors of one dtype",
                f"a tuple of ({got})",
                "return the non-Tensor values through ctx, or convert the outputs to one dtype.",
            )
        )
    shapes = [o._data.shape for o in out]
    return Tensor._wrap(np.concatenate([o._data.reshape(-1) for o in out])), shapes


def _pieces(flat: Any, shapes: list) -> list:
    ends = np.cumsum([int(np.prod(shape)) for shape in shapes])
    return [
        flat[end - size : end].reshape(shape)
        for end, size, shape in zip(ends, np.diff(ends, prepend=0), shapes)
    ]


def unpacked(result: Tensor, shapes: list | None) -> Any:
    """What the caller of ``apply`` gets: the one output, or the tuple forward returned."""
    return result if shapes is None else tuple(_pieces(result, shapes))


def output_grads(shapes: list | None, grad_y: np.ndarray) -> list:
    """The gradients backward receives, one per output (zeros for an output left unused, as
    torch's materialised gradients)."""
    return (
        [Tensor._wrap(grad_y)]
        if shapes is None
        else [Tensor._wrap(g) for g in _pieces(grad_y, shapes)]
    )


def writable(grad: Any, dtype: Any) -> Any:
    """A gradient in its input's dtype (torch casts a float64 grad for a float32 input back); a
    read-only one is copied, as it may become a .grad that later sums write into."""
    if not isinstance(grad, np.ndarray) or dtype is None:
        return grad
    return grad.astype(dtype, copy=not grad.flags.writeable)
