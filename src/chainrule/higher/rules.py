"""Each op's backward again, on Tensors: the formulas create_graph=True differentiates.

A rule is ``rule(ctx, out, grad) -> one gradient Tensor (or None) per input``: ``ctx`` is the
recorded Function (its saved arrays, as its ndarray backward reads them), ``out`` the Tensor it
produced and ``grad`` the Tensor gradient arriving there. A rule computes with chainrule's own
differentiable ops on ``ctx.inputs`` and ``out``, so what it returns has a graph back to them;
what the op saved as a mask or an index enters as a constant, as its derivative is zero. The
elementwise ops are here; shapes and reductions in rules_shape.py, layers and losses in
rules_nn.py.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from ..autograd.function import Function, broadcast_axes
from ..autograd.tensor import Tensor
from ..errors import UnsupportedError
from ..functional import elementwise_math as EM
from ..functional import trigonometry as TR
from ..functional import unary_math as UM
from ..functional.arithmetic import Add, Div, Mul, Neg, Pow, PowScalar, Sub
from ..functional.elementwise import Abs, Clip, Exp, Log, Sqrt
from ..functional.rounding import Round
from ..functional.shape import Reshape
from ..functional.selection import Cast, Clone, Maximum, Minimum, Where

Rule = Callable[[Any, Tensor, Tensor], Any]
RULES: dict[type, Rule] = {}


def rule(*functions: type) -> Callable[[Rule], Rule]:
    """Register the decorated rule as the create_graph backward of each Function class."""

    def register(fn: Rule) -> Rule:
        for function in functions:
            RULES[function] = fn
        return fn

    return register


def rule_for(ctx: Function) -> Rule:
    """The rule for this node's op; an op without one is refused, naming it, only here (when
    create_graph=True reaches it): first derivatives never look at this table."""
    found = RULES.get(type(ctx))
    if found is not None:
        return found
    if getattr(ctx, "tensor_level", False):  # torch's form: its backward is on Tensors already
        return _torch_style
    raise UnsupportedError(
        f"backward(create_graph=True): expected ops with a double-backward formula on the path, "
        f"got {type(ctx).__name__} ({type(ctx).op_name()}), which has none.\nHint: compute this "
        f"part under create_graph=False, use chainrule.func (jacfwd(jacrev(f)), hessian) for "
        f"second derivatives, or write it with a torch-style chainrule.autograd.Function whose "
        f"backward uses differentiable Tensor ops."
    )


def _torch_style(ctx: Any, out: Tensor, grad: Tensor) -> tuple:
    from ..torch_function_io import _pieces

    shapes = ctx._output_shapes
    grads = (grad,) if shapes is None else tuple(_pieces(grad, shapes))
    result = type(ctx).backward(ctx, *grads)
    return result if isinstance(result, tuple) else (result,)


# --- helpers -------------------------------------------------------------------------------
def const(array: Any, like: Tensor) -> Tensor:
    """A constant of ``like``'s dtype: a mask, a sign, a target, outside every graph."""
    return Tensor._wrap(np.asarray(array, dtype=like._data.dtype))


def operand(ctx: Any, i: int, array: Any, like: Tensor) -> Tensor:
    """Input ``i`` as the Tensor it was, or, for a number, the constant forward saw."""
    tensor = ctx.inputs[i]
    return tensor if tensor is not None else const(array, like)


def down(grad: Tensor, shape: tuple) -> Tensor:
    """Sum a gradient back down to an input's shape, undoing broadcasting (differentiably)."""
    if grad.shape == shape:
        return grad
    axes = broadcast_axes(tuple(grad.shape), tuple(shape))
    return Reshape.apply(grad.sum(dim=axes, keepdim=True) if axes else grad, shape=shape)


def _needs(ctx: Any, *grads: Any) -> tuple:
    return tuple(g if need else None for g, need in zip(grads, ctx.needs_input_grad))


# --- arithmetic ----------------------------------------------------------------------------
@rule(Add, Sub)
def _add(ctx, out, grad):
    need_a, need_b = ctx.needs_input_grad
    return (
        down(grad, tuple(ctx.inputs[0].shape)) if need_a else None,
        down(grad if type(ctx) is Add else -grad, tuple(ctx.inputs[1].shape)) if need_b else None,
    )


@rule(Mul)
def _mul(ctx, out, grad):
    a, b = operand(ctx, 0, ctx.a, grad), operand(ctx, 1, ctx.b, grad)
    need_a, need_b = ctx.needs_input_grad
    return (
        down(grad * b, tuple(a.shape)) if need_a else None,
        down(grad * a, tuple(b.shape)) if need_b else None,
    )


@rule(Div)
def _div(ctx, out, grad):
    # from the inputs, as Div's backward: the output may have been changed in place since
    a, b = operand(ctx, 0, ctx.a, grad), operand(ctx, 1, ctx.b, grad)
    need_a, need_b = ctx.needs_input_grad
    return (
        down(grad / b, tuple(a.shape)) if need_a else None,
        down(-grad * (a / b) / b, tuple(b.shape)) if need_b else None,
    )


@rule(Neg)
def _neg(ctx, out, grad):
    return -grad


@rule(PowScalar)
def _pow_scalar(ctx, out, grad):
    x, p = ctx.inputs[0], ctx.exponent
    if p == 0:
        return grad * 0.0
    return grad * (x * float(p)) if p == 2 else grad * (x ** (p - 1) * float(p))


@rule(Pow)
def _pow(ctx, out, grad):
    a, b = operand(ctx, 0, ctx.a, grad), operand(ctx, 1, ctx.b, grad)
    zero = const(0.0, grad)
    need_a, need_b = ctx.needs_input_grad
    grad_a = grad_b = None
    if need_a:  # torch's edges, as Pow.backward: a ** 0 is flat in a, 0 ** b (b >= 0) in b
        grad_a = down(Where.apply(grad * b * a ** (b - 1.0), zero, condition=ctx.b != 0), a.shape)
    if need_b:
        flat = (ctx.a == 0) & (ctx.b >= 0)
        grad_b = down(Where.apply(zero, grad * out * a.log(), condition=flat), b.shape)
    return grad_a, grad_b


# --- elementwise functions -----------------------------------------------------------------
@rule(Exp)
def _exp(ctx, out, grad):
    return grad * out


@rule(UM.Exp2)
def _exp2(ctx, out, grad):
    return grad * out * math.log(2.0)


@rule(Log)
def _log(ctx, out, grad):
    return grad / ctx.inputs[0]


@rule(Sqrt)
def _sqrt(ctx, out, grad):
    return grad / (out * 2.0)


@rule(Abs)
def _abs(ctx, out, grad):
    x = ctx.x
    sign = np.sign(x, where=~np.isnan(x), out=np.zeros_like(x)) if x.dtype.kind == "f" else x
    return grad * const(sign, grad)


@rule(TR.Sin)
def _sin(ctx, out, grad):
    return grad * ctx.inputs[0].cos()


@rule(TR.Cos)
def _cos(ctx, out, grad):
    return -grad * ctx.inputs[0].sin()


@rule(EM.Tan)
def _tan(ctx, out, grad):
    return grad * (out * out + 1.0)


@rule(EM.Atan)
def _atan(ctx, out, grad):
    x = ctx.inputs[0]
    return grad / (x * x + 1.0)


@rule(EM.Erf)
def _erf(ctx, out, grad):
    x = ctx.inputs[0]
    return grad * (-(x * x)).exp() * (2.0 / math.sqrt(math.pi))


@rule(Round)
def _flat(ctx, out, grad):  # sign, round, floor, ...: zero almost everywhere
    return grad * 0.0


@rule(Clip)
def _clip(ctx, out, grad):
    return grad * const(ctx.inside, grad)


@rule(Maximum, Minimum)
def _extreme_of_two(ctx, out, grad):
    a, b = ctx.a, ctx.b  # the shares Maximum.backward gives, as constants: a tie splits them
    share_a = np.where(a > b if type(ctx) is Maximum else a < b, 1.0, np.where(a == b, 0.5, 0.0))
    share_b = 1.0 - share_a
    if a.dtype.kind == "f":  # a NaN wins on both sides (torch)
        nan = np.isnan(a) | np.isnan(b)
        share_a, share_b = np.where(nan, 1.0, share_a), np.where(nan, 1.0, share_b)
    return _needs(
        ctx, down(grad * const(share_a, grad), a.shape), down(grad * const(share_b, grad), b.shape)
    )


@rule(Where)
def _where(ctx, out, grad):
    zero = const(0.0, grad)
    return _needs(
        ctx,
        down(Where.apply(grad, zero, condition=ctx.condition), ctx.shape_a),
        down(Where.apply(zero, grad, condition=ctx.condition), ctx.shape_b),
    )


@rule(Clone)
def _clone(ctx, out, grad):
    return grad


@rule(Cast)
def _cast(ctx, out, grad):
    return Cast.apply(grad, dtype=ctx.dtype_in)


from . import linear_ops, rules_conv, rules_index, rules_linalg, rules_more  # noqa: E402, F401, I001
from . import rules_special  # noqa: E402, F401
from . import rules_nn, rules_shape  # noqa: E402, F401  (each module registers its rules)
from . import rules_views  # noqa: E402, F401  (the strided views' rules)
from . import rules_decompositions, rules_first_order, rules_grid_sample  # noqa: E402, F401, I001
from . import rules_lu, rules_reduce_more, rules_special_more  # noqa: E402, F401
