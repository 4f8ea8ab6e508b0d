"""Ops whose second derivative torch refuses (ctc_loss, _standard_gamma): create_graph=True
still gives their first derivative, as torch's does, and only differentiating that gradient
again is refused, with torch's kind of error (NotImplementedError and RuntimeError both)."""

from __future__ import annotations

from ..autograd.function import Function
from ..distributions._special import StandardGamma
from ..errors import UnsupportedError
from ..functional.ctc import CTCLoss
from .linear_ops import copied, one_grad
from .rules import rule


class FirstOrderOnly(Function):
    """One input's first derivative by the op's ndarray backward, recorded with the op's
    inputs as its own so that the graph reaches them, and refusing to be differentiated."""

    @staticmethod
    def forward(ctx, grad_y, *inputs, source, which):
        ctx.name = type(source).__name__
        return one_grad(source, grad_y, which)

    @staticmethod
    def backward(ctx, grad_grad):
        raise UnsupportedError(
            f"backward: expected a gradient with a double-backward formula, got {ctx.name}'s "
            f"gradient, which torch does not differentiate either.\nHint: keep it out of the "
            f"second derivative (detach it), or use chainrule.func for a numerical Hessian."
        )


@rule(CTCLoss, StandardGamma)
def _first_order_only(ctx, out, grad):
    inputs = [t for t in ctx.inputs if t is not None and t._rg]
    return tuple(
        FirstOrderOnly.apply(grad, *inputs, source=copied(ctx), which=i) if need else None
        for i, need in enumerate(ctx.needs_input_grad)
    )


@rule(FirstOrderOnly)
def _refuse(ctx, out, grad):  # reached with create_graph=True too: the same refusal
    return FirstOrderOnly.backward(ctx, grad._data)
