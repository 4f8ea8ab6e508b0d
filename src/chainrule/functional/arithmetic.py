"""Elementwise arithmetic with broadcasting: +, -, *, /, negation and powers."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from .._checks import check_fits, fail_dtype, fail_value, shape_str
from ..autograd.function import Function, unbroadcast
from ..cpugraph.backward import fresh, summed
from ..dtypes import get_default_dtype
from ..errors import ShapeError
from .bool_kernels import refuse_bools


def _broadcast_check(who: str, a: np.ndarray, b: np.ndarray) -> tuple:
    """Both shapes, once they are known to broadcast together; called only when they differ,
    so the common same-shape case costs nothing."""
    shapes = np.shape(a), np.shape(b)
    if not getattr(a, "ndim", 0) or not getattr(b, "ndim", 0):  # a scalar meets anything, quickly
        return shapes
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise ShapeError(
            f"{who}: expected shapes that broadcast together, got {shape_str(shapes[0])} "
            f"and {shape_str(shapes[1])}."
        ) from None
    return shapes


def _summed(shapes: tuple, grad_a: Any, grad_b: Any) -> tuple:
    """Each gradient summed back down to its input's shape, after a forward that broadcast.

    Forward saves ``shapes`` as None when both inputs had one shape, and backward skips this
    call then: two unbroadcast calls were a tenth of an elementwise op's cost on small arrays."""
    return (
        None if grad_a is None else _down_to(grad_a, shapes[0]),
        None if grad_b is None else _down_to(grad_b, shapes[1]),
    )


def _down_to(grad: np.ndarray, shape: tuple) -> np.ndarray:
    if not shape:  # a scalar parameter (y = a * x + b): one reduction, not unbroadcast's 2 us
        return np.add.reduce(grad, axis=None, out=...)
    return unbroadcast(grad, shape)


def _bare(ufunc: np.ufunc) -> Any:
    """The replay form of a forward that is ``ufunc(a, b, out=into)`` and saves only its inputs."""
    return staticmethod(
        lambda ctx, arrays, config, out: [functools.partial(ufunc, *arrays, out=out)]
    )


def _bare_grad(ufunc: np.ufunc, args: tuple, shapes: Any, position: int, like: Any) -> tuple:
    """``ufunc(*args)`` summed down to input ``position``'s shape, as a replay's bare calls and
    the array holding the result (the steps backward takes, in its order)."""
    if shapes is None:
        out = fresh(like)
        return [functools.partial(ufunc, *args, out=out)], out
    full = np.empty(np.broadcast(*args).shape, np.result_type(*args))
    calls, out = summed(full, shapes[position], like)
    return [functools.partial(ufunc, *args, out=full), *calls], out


_BOOL = np.dtype(np.bool_)


class Add(Function):
    """y = a + b; dy/da = dy/db = 1."""

    integer_ok = True
    replay_calls = _bare(np.add)

    # The elementwise ops set ctx attributes directly rather than through ctx.save: on small
    # arrays the call and its keyword dict were a tenth of the op's cost (bench/RESULTS.md).
    # ``into``: where a CPUGraph replay wants the result (as Linear), saving it a copy; eager
    # calls keep the operator: passing out=None cost ~500 instructions an op (callgrind).
    @staticmethod
    def forward(ctx, a, b, into=None):
        ctx.shapes = None if a.shape == b.shape else _broadcast_check("add", a, b)
        return a + b if into is None else np.add(a, b, out=into)

    @staticmethod
    def backward(ctx, grad_y):
        needs = ctx.needs_input_grad
        grad_a = grad_y if needs[0] else None
        grad_b = grad_y if needs[1] else None
        return (grad_a, grad_b) if ctx.shapes is None else _summed(ctx.shapes, grad_a, grad_b)

    @staticmethod
    def replay_backward(ctx, grad_y, grads):
        calls, outs = [], [None, None]
        for i in (0, 1):
            if grads[i] is not None:
                more, outs[i] = (
                    ([], grad_y) if ctx.shapes is None else summed(grad_y, ctx.shapes[i], grads[i])
                )
                calls += more
        return calls, outs


class Sub(Function):
    """y = a - b; dy/da = 1, dy/db = -1."""

    integer_ok = True
    replay_calls = _bare(np.subtract)

    @staticmethod
    def forward(ctx, a, b, into=None):
        ctx.shapes = None if a.shape == b.shape else _broadcast_check("sub", a, b)
        if a.dtype is _BOOL or b.dtype is _BOOL:  # torch refuses bool - 1 too (NumPy: bool - bool)
            _refuse_bool("sub", "a - b")
        return a - b if into is None else np.subtract(a, b, out=into)

    @staticmethod
    def backward(ctx, grad_y):
        needs = ctx.needs_input_grad
        grad_a = grad_y if needs[0] else None
        grad_b = -grad_y if needs[1] else None
        return (grad_a, grad_b) if ctx.shapes is None else _summed(ctx.shapes, grad_a, grad_b)

    @staticmethod
    def replay_backward(ctx, grad_y, grads):
        calls, outs = [], [None, None]
        if grads[0] is not None:
            calls, outs[0] = (
                ([], grad_y) if ctx.shapes is None else summed(grad_y, ctx.shapes[0], grads[0])
            )
        if grads[1] is not None:
            more, outs[1] = _bare_grad(np.negative, (grad_y,), ctx.shapes, 1, grads[1])
            calls += more
        return calls, outs


class Mul(Function):
    """y = a * b; dy/da = b, dy/db = a."""

    integer_ok = True
    replay_calls = _bare(np.multiply)
    needs_input_grad = (True, True)  # forward called by hand, outside apply, saves both

    @staticmethod
    def forward(ctx, a, b, into=None):
        ctx.shapes = None if a.shape == b.shape else _broadcast_check("mul", a, b)
        ctx.a, ctx.b = a, b
        return a * b if into is None else np.multiply(a, b, out=into)

    @staticmethod
    def release_unread(ctx):
        """Drop the factor no gradient reads (numbers stay, for chainrule/higher), so x * 2
        survives a later x += 1: asked only then (inplace_history.py), so forward stays lean."""
        needs = ctx.needs_input_grad
        ctx.a = ctx.a if needs[1] or not ctx.a.ndim else None
        ctx.b = ctx.b if needs[0] or not ctx.b.ndim else None

    @staticmethod
    def backward(ctx, grad_y):
        needs = ctx.needs_input_grad
        grad_a = grad_y * ctx.b if needs[0] else None
        grad_b = grad_y * ctx.a if needs[1] else None
        return (grad_a, grad_b) if ctx.shapes is None else _summed(ctx.shapes, grad_a, grad_b)

    @staticmethod
    def replay_backward(ctx, grad_y, grads):
        calls, outs = [], [None, None]
        for i, other in ((0, ctx.b), (1, ctx.a)):
            if grads[i] is not None:
                more, outs[i] = _bare_grad(np.multiply, (grad_y, other), ctx.shapes, i, grads[i])
                calls += more
        return calls, outs


# x / 0 is inf (0 / 0 NaN) with no warning, as in torch; errstate bound once, as activation.py
_divide = np.errstate(divide="ignore", invalid="ignore")(np.divide)


def _quotient(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b; a nonzero float scalar divisor (x / batch_size) skips errstate's 0.6 us."""
    return a / b if b.ndim == 0 and b and b.dtype.kind == "f" else _divide(a, b)


class Div(Function):
    """y = a / b; dy/da = 1 / b, dy/db = -(a / b) / b."""

    needs_input_grad = (True, True)  # forward called by hand, outside apply, saves both

    # a, not y, as torch saves: y may be changed in place ((x - m).div_(s).mul_(g), fastai's
    # RunningBatchNorm), and dy/db recomputes a / b only when b needs a gradient
    @staticmethod
    def forward(ctx, a, b):
        ctx.shapes = None if a.shape == b.shape else _broadcast_check("div", a, b)
        ctx.a, ctx.b = a, b
        return _quotient(a, b)

    @staticmethod
    def release_unread(ctx):
        """As Mul's: a is read only for b's gradient, so x / 2 survives a later x += 1."""
        ctx.a = ctx.a if ctx.needs_input_grad[1] or not ctx.a.ndim else None

    @staticmethod
    def backward(ctx, grad_y):
        needs, b = ctx.needs_input_grad, ctx.b
        grad_a = _quotient(grad_y, b) if needs[0] else None
        grad_b = -grad_y * _quotient(_quotient(ctx.a, b), b) if needs[1] else None
        return (grad_a, grad_b) if ctx.shapes is None else _summed(ctx.shapes, grad_a, grad_b)


class Neg(Function):
    """y = -x; dy/dx = -1."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x):
        try:
            return -x
        except TypeError:  # NumPy's refusal of -bool; torch's is a RuntimeError
            _refuse_bool("neg", "-x")

    @staticmethod
    def backward(ctx, grad_y):
        return -grad_y


def _refuse_bool(who: str, form: str) -> None:
    hint = "for a mask use ~x or logical_xor; for numbers convert first: x.long() or x.float()."
    fail_dtype(who, f"numbers for {form}", "bool tensors", hint)


def _negative_power() -> None:
    fail_value("pow", "a non-negative exponent for an integer base", "a negative one")


def _integer_power(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """torch's integer a ** b where some b < 0 (NumPy refuses): 1 / a ** -b truncated, so 0
    unless a is 1 or -1 (and 0 for a = 0, as torch gives)."""
    odd = np.abs(b) % 2 == 1
    below_one = np.where(a == 1, 1, np.where(a == -1, np.where(odd, -1, 1), 0))
    return np.where(b < 0, below_one, a ** np.abs(b)).astype(np.result_type(a, b))


class PowScalar(Function):
    """y = x ** p for a constant p; dy/dx = p x^(p-1)."""

    op = "pow"

    integer_ok = True

    @staticmethod
    def forward(ctx, x, exponent, into=None):
        if x.dtype.kind in "iub" and exponent < 0 and type(exponent) is int:
            _negative_power()
        ctx.x, ctx.exponent = x, exponent  # not ctx.save, as Add
        if exponent == 2 and x.dtype.kind == "f":  # what x ** 2 calls, but into a replay's array
            return np.square(x, out=into)
        with np.errstate(divide="ignore", invalid="ignore"):  # (-1) ** 0.5 is NaN, 0 ** -1 inf
            y = x**exponent
        if into is None:
            return y
        into[...] = y
        return into

    @staticmethod
    def replay_calls(ctx, arrays, config, out):
        x = arrays[0]
        if config["exponent"] == 2 and x.dtype.kind == "f":
            return [functools.partial(np.square, x, out=out)]
        return None

    @staticmethod
    def backward(ctx, grad_y):
        p = ctx.exponent
        if p == 0:  # x ** 0 is constant everywhere, 0 ** 0 and nan ** 0 included (torch agrees)
            return np.zeros_like(grad_y)
        if p == 2:  # x ** 1 is x exactly: one pass fewer for the square of every MSE by hand
            return grad_y * (p * ctx.x)
        with np.errstate(divide="ignore", invalid="ignore"):
            return grad_y * (p * ctx.x ** (p - 1))

    @staticmethod
    def replay_backward(ctx, grad_y, grads):
        x = ctx.x
        if ctx.exponent != 2 or x.dtype.kind != "f":
            return None
        twice, out = np.empty_like(x), fresh(grads[0])
        return [
            functools.partial(np.multiply, np.asarray(2, x.dtype), x, out=twice),
            functools.partial(np.multiply, grad_y, twice, out=out),
        ], [out]


class Pow(Function):
    """y = a ** b for tensors; dy/da = b a^(b-1), dy/db = y log(a)."""

    integer_ok = True  # 2 ** int_tensor is an integer tensor, as in torch
    saves_output = True  # backward reads y: overwriting it in place is caught

    @staticmethod
    def forward(ctx, a, b):
        if a.shape != b.shape:
            _broadcast_check("pow", a, b)
        if b.dtype.kind in "iu" and a.dtype.kind in "iub" and (b < 0).any():
            y = _integer_power(a, b)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                y = a**b
        ctx.save(a=a, b=b, y=y)
        return y

    @staticmethod
    def backward(ctx, grad_y):
        a, b, y = ctx.a, ctx.b, ctx.y
        grad_a = grad_b = None
        # torch's conventions at the edges: a ** 0 is flat in a (even at a = 0 or NaN), and
        # 0 ** b for b >= 0 is flat in b; a negative base has a NaN exponent gradient.
        with np.errstate(divide="ignore", invalid="ignore"):
            if ctx.needs_input_grad[0]:
                grad_a = unbroadcast(np.where(b == 0, 0, grad_y * b * a ** (b - 1)), a.shape)
            if ctx.needs_input_grad[1]:
                flat = (a == 0) & (b >= 0)
                grad_b = unbroadcast(np.where(flat, 0, grad_y * y * np.log(a)), b.shape)
        return grad_a, grad_b


def add(a: Any, b: Any):
    return Add.apply(a, b)


def sub(a: Any, b: Any):
    return Sub.apply(a, b)


def mul(a: Any, b: Any):
    return Mul.apply(a, b)


def div(a: Any, b: Any):
    return Div.apply(a, b)


def neg(x: Any):
    return Neg.apply(x)


def pow(base: Any, exponent: Any):  # noqa: A001  (torch.pow)
    """base ** exponent; a constant exponent is kept out of the graph."""
    from ..autograd.tensor import Tensor

    if not isinstance(exponent, Tensor):
        if isinstance(exponent, (np.ndarray, list)) and np.ndim(exponent) > 0:
            return Pow.apply(base, exponent)
        if isinstance(exponent, (np.generic, np.ndarray)):  # NumPy scalars widen float32
            exponent = exponent.item()
        if isinstance(base, Tensor) and base.dtype.kind in "iub":
            if type(exponent) is int and base.dtype.kind != "b":  # torch: uint8 ** 300 refused
                check_fits("pow", exponent, base.dtype)
            if isinstance(exponent, float):  # int ** 0.5 is float32, not NumPy's float64
                base = base.to(get_default_dtype())
            elif base.dtype.kind == "b" and isinstance(exponent, bool):  # bool ** True is bool
                return base.clone() if exponent else base.logical_not() | True
            elif base.dtype.kind == "b":  # True ** 2 is int64, not NumPy's int8
                base = base.to(np.dtype(np.int64))
        return PowScalar.apply(base, exponent=exponent)
    refuse_bools("pow", base, exponent)  # bool ** True stays bool above; with a tensor, refused
    return Pow.apply(base, exponent)
