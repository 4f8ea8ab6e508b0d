"""The backward of a linear or bilinear op, as an op: what lets convolutions, pooling, padding
and gathers be differentiated twice without a second formula for each.

For an op linear in x (pooling, padding, a gather), dL/dx = J^T g is linear in g, and
<J^T g, h> = <g, J h>: the gradient of its backward is the op itself applied to h. So
``Transposed`` runs the op's own ndarray backward forward, and the op again backward.

For a bilinear op y = B(x, w) (a convolution), dL/dx = B_x^T(g, w) and dL/dw = B_w^T(g, x).
Since <B_x^T(g, w), h> = <g, B(h, w)>, the gradient of dL/dx is B(h, w) in g and B_w^T(g, h)
in w, and likewise for dL/dw: ``BilinearGrad`` needs nothing but the op's forward and
backward, so every order of derivative follows.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ..autograd.function import Function
from ..autograd.grad_mode import no_grad
from ..autograd.tensor import Tensor
from .rules import rule


def copied(ctx: Function) -> Function:
    """What a recorded op saved, kept apart: the engine clears the original once its rule ran."""
    twin = type(ctx)()
    twin.__dict__.update(ctx.__dict__)
    return twin


def one_grad(source: Function, grad_y: np.ndarray, which: int) -> np.ndarray:
    """Input ``which``'s gradient by the op's own ndarray backward, asked for that one only."""
    needs = source.needs_input_grad
    source.needs_input_grad = tuple(i == which for i in range(len(needs)))
    try:
        grads = type(source).backward(source, grad_y)
    finally:
        source.needs_input_grad = needs
    return grads[which] if isinstance(grads, tuple) else grads


class Transposed(Function):
    """g -> J^T g for an op linear in one input, by its ndarray backward; its gradient is J h,
    the op applied again (``apply_op``, on Tensors, so that it has a rule too)."""

    @staticmethod
    def forward(ctx, grad_y, *, source, which, apply_op):
        ctx.apply_op = apply_op
        return one_grad(source, grad_y, which)

    @staticmethod
    def backward(ctx, grad_grad):
        with no_grad():
            return ctx.apply_op(Tensor._wrap(grad_grad))._data


@rule(Transposed)
def _transposed(ctx, out, grad):
    return ctx.apply_op(grad)


def transposed(ctx: Function, grad: Tensor, which: int, apply_op: Callable) -> Tensor:
    """Input ``which``'s gradient of a linear op, with a graph to ``grad``."""
    return Transposed.apply(grad, source=copied(ctx), which=which, apply_op=apply_op)


def jointly_linear(ctx: Function, grad: Tensor, apply_op: Callable) -> tuple:
    """Each input's gradient of an op linear in all its inputs together (x with a region set
    from src): J_i h is the op with h in place i and zeros elsewhere."""
    shapes = [None if t is None else tuple(t.shape) for t in ctx.inputs]

    def along(i: int) -> Callable:
        def op(h: Tensor) -> Tensor:
            zeros = [Tensor._wrap(np.zeros(s, dtype=h._data.dtype)) for s in shapes]
            return apply_op(*(h if j == i else z for j, z in enumerate(zeros)))

        return op

    return tuple(
        transposed(ctx, grad, i, along(i)) if need else None
        for i, need in enumerate(ctx.needs_input_grad)
    )


class Bilinear:
    """A bilinear op as its class and config: ``run(x, w)`` is B on arrays, ``apply(x, w)``
    on Tensors, ``vjp(g, other, which)`` one of its gradients with the other operand given."""

    def __init__(self, cls: type, config: dict, shapes: tuple) -> None:
        self.cls, self.config, self.shapes = cls, config, shapes

    def _ctx(self, x: np.ndarray, w: np.ndarray, which: int | None) -> tuple:
        ctx = self.cls()
        ctx.needs_input_grad = (which == 0, which == 1)
        return ctx, self.cls.forward(ctx, x, w, **self.config)

    def _pair(self, other: np.ndarray, which: int) -> tuple:
        hole = np.zeros(self.shapes[which], dtype=other.dtype)  # B_x^T(g, w) reads no x
        return (hole, other) if which == 0 else (other, hole)

    def run(self, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        return self._ctx(x, w, None)[1]

    def vjp(self, grad_y: np.ndarray, other: np.ndarray, which: int) -> np.ndarray:
        ctx = self._ctx(*self._pair(other, which), which)[0]
        return self.cls.backward(ctx, grad_y)[which]

    def apply(self, x: Tensor, w: Tensor) -> Tensor:
        return self.cls.apply(x, w, **self.config)


class BilinearGrad(Function):
    """dL/dx = B_x^T(g, w) (which=0) or dL/dw = B_w^T(g, x) (which=1), as an op of g and the
    other operand; its gradients are B and the other operand's gradient (module docstring)."""

    @staticmethod
    def forward(ctx, grad_y, other, *, op, which):
        ctx.save(op=op, which=which, grad_y=grad_y, other=other)
        return op.vjp(grad_y, other, which)

    @staticmethod
    def backward(ctx, grad_grad):
        op, which, other = ctx.op, ctx.which, ctx.other
        pair = (grad_grad, other) if which == 0 else (other, grad_grad)
        needs = ctx.needs_input_grad
        return (
            op.run(*pair) if needs[0] else None,
            op.vjp(ctx.grad_y, grad_grad, 1 - which) if needs[1] else None,
        )


@rule(BilinearGrad)
def _bilinear_grad(ctx, out, grad):
    op, which = ctx.op, ctx.which
    grad_y, other = ctx.inputs
    grad_y = grad_y if grad_y is not None else Tensor._wrap(ctx.grad_y)
    other = other if other is not None else Tensor._wrap(ctx.other)
    needs = ctx.needs_input_grad
    return (
        (op.apply(grad, other) if which == 0 else op.apply(other, grad)) if needs[0] else None,
        BilinearGrad.apply(grad_y, grad, op=op, which=1 - which) if needs[1] else None,
    )


def bilinear_grads(op: Bilinear, ctx: Any, x: Tensor, w: Tensor, grad: Tensor) -> tuple:
    """(dL/dx, dL/dw) of y = B(x, w), each with a graph to grad and to the other operand."""
    need_x, need_w = ctx.needs_input_grad[:2]
    return (
        BilinearGrad.apply(grad, w, op=op, which=0) if need_x else None,
        BilinearGrad.apply(grad, x, op=op, which=1) if need_w else None,
    )
