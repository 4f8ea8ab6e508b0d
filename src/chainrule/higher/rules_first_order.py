"""Gradients that are first-order only. Where torch refuses a second derivative (ctc_loss,
_standard_gamma) or chainrule has none (gammainc's first argument, whose first derivative is
numerical; scatter_reduce's prod at a zero), create_graph=True still gives the first derivative,
as torch's does, and only differentiating that gradient again is refused, with torch's kind of
error (an UnsupportedError is a NotImplementedError and a RuntimeError)."""

from __future__ import annotations

from typing import Any

from ..autograd.function import Function
from ..autograd.tensor import Tensor
from ..distributions._special import StandardGamma
from ..errors import UnsupportedError
from ..functional.ctc import CTCLoss
from .linear_ops import copied, one_grad
from .rules import rule


class FirstOrderOnly(Function):
    """One input's first derivative by the op's ndarray backward, recorded with the op's
    inputs as its own so that the graph reaches them, and refusing to be differentiated."""

    @staticmethod
    def forward(ctx, grad_y, *inputs, source, which, why):
        ctx.name, ctx.why = type(source).__name__, why
        return one_grad(source, grad_y, which)

    @staticmethod
    def backward(ctx, grad_grad):
        raise UnsupportedError(
            f"backward: expected a gradient with a double-backward formula, got {ctx.name}'s "
            f"gradient, which {ctx.why}.\nHint: keep it out of the second derivative (detach "
            f"it), or use chainrule.func for a numerical Hessian."
        )


def first_order_only(ctx: Any, grad: Tensor, which: int, why: str) -> Tensor:
    """Input ``which``'s gradient, with a graph that refuses to be walked."""
    inputs = [t for t in ctx.inputs if t is not None and t._rg]
    return FirstOrderOnly.apply(grad, *inputs, source=copied(ctx), which=which, why=why)


@rule(CTCLoss, StandardGamma)
def _torch_refuses(ctx, out, grad):
    return tuple(
        first_order_only(ctx, grad, i, "torch does not differentiate either") if need else None
        for i, need in enumerate(ctx.needs_input_grad)
    )


@rule(FirstOrderOnly)
def _refuse(ctx, out, grad):  # reached with create_graph=True too: the same refusal
    return FirstOrderOnly.backward(ctx, grad._data)
