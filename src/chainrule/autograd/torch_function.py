"""torch.autograd.Function written torch's way, as a thin layer over chainrule's Function.

chainrule's own ops take and return ndarrays (the house style, one formula on one screen).
Code written for torch passes Tensors into ``forward`` and ``backward`` and keeps them with
``ctx.save_for_backward``; this class lets such code run unchanged:

>>> import chainrule as cr
>>> class Cube(cr.autograd.Function):
...     @staticmethod
...     def forward(ctx, x):
...         ctx.save_for_backward(x)
...         return x ** 3
...     @staticmethod
...     def backward(ctx, grad_output):
...         (x,) = ctx.saved_tensors
...         return grad_output * 3 * x ** 2
>>> x = cr.tensor([2.0], requires_grad=True)
>>> Cube.apply(x).backward()
>>> x.grad
tensor([12.])
"""

from __future__ import annotations

from typing import Any

from ..errors import GraphError
from ..torch_function_io import output_grads, packed, unpacked, writable
from .backward_checks import gradients
from .function import Function as _HouseFunction
from .function import _next_seq
from .grad_mode import _Mode, no_grad
from .tensor import Tensor


class Function(_HouseFunction):
    """Base class for torch-style custom ops: forward and backward see Tensors."""

    tensor_level = True

    def save_for_backward(self, *tensors: Any) -> None:
        self._saved = tensors

    @property
    def saved_tensors(self) -> tuple:
        if self.freed:
            raise GraphError(
                f"{type(self).__name__}.saved_tensors: expected a graph that is still "
                f"alive, got one freed by an earlier backward.\nHint: pass "
                f"retain_graph=True to the first backward()."
            )
        return getattr(self, "_saved", ())

    def mark_non_differentiable(self, *tensors: Any) -> None:
        """Accepted for compatibility; outputs of integer dtype never carry gradients anyway."""

    def mark_dirty(self, *tensors: Any) -> None:
        """Accepted for compatibility; in-place work inside forward is the user's to manage."""

    def set_materialize_grads(self, value: bool) -> None:
        """Accepted for compatibility: chainrule always passes a gradient array, never None."""

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        ctx = cls()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        with no_grad():
            out, ctx._output_shapes = packed(cls.__name__, cls.forward(ctx, *args, **kwargs))
        if not isinstance(out, Tensor):
            raise TypeError(
                f"{cls.__name__}.forward: expected to return a Tensor, got {type(out).__name__}."
            )
        if not (True in ctx.needs_input_grad and _Mode.grad_enabled):
            return unpacked(Tensor._wrap(out._data), ctx._output_shapes)
        ctx.seq = _next_seq()
        ctx.inputs = tuple(a if isinstance(a, Tensor) else None for a in args)
        ctx.versions = [(t._vc, t._vc[0]) for t in ctx.inputs if t is not None]
        # the engine calls ctx.backward(ctx, ndarray); a user's op has what it returns checked
        ctx.backward = _checked_on_tensors if cls.check_grads else _backward_on_tensors
        result = Tensor._wrap(out._data, True)
        result._ctx = ctx
        return unpacked(result, ctx._output_shapes)


def _checked_on_tensors(ctx: Function, grad_y: Any) -> tuple:
    grads = _backward_on_tensors(ctx, grad_y)
    gradients(ctx, grads, False)
    return grads


def _backward_on_tensors(ctx: Function, grad_y: Any) -> tuple:
    with no_grad():
        grads = type(ctx).backward(ctx, *output_grads(ctx._output_shapes, grad_y))
    if not isinstance(grads, tuple):
        grads = (grads,)
    return tuple(
        writable(g._data if isinstance(g, Tensor) else g, None if t is None else t._data.dtype)
        for g, t in zip(grads, ctx.inputs + (None,) * (len(grads) - len(ctx.inputs)))
    )


def gradcheck(
    func: Any,
    inputs: Any,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
    **_ignored: Any,
) -> bool:
    """torch.autograd.gradcheck's signature over chainrule.gradcheck (random upstream, float64)."""
    from ..gradcheck import gradcheck as check

    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    return check(func, *inputs, eps=eps, atol=atol, rtol=rtol, raise_exception=raise_exception)
