"""The fused affine map y = x W^T + b, the unit every Linear layer is built on."""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from .._checks import check_tensor, fail_shape, shape_str
from ..autograd.function import NO_CONFIG, Function, _apply
from ..cpugraph.backward import fresh
from ..errors import DTypeError, ShapeError


class Linear(Function):
    """y = x W^T + b.

    dL/dx = g W, dL/dW = g^T x (the notebook's grad_theta), dL/db = sum of g over the batch.
    Inputs with more than two axes are treated as a batch of rows. ``into`` (forward: an
    array; backward: one array or None per input) is where a CPUGraph replay wants the results
    written, the arrays it captured; eager calls leave it None and get new arrays.
    """

    @staticmethod
    def forward(ctx, x, weight, bias=None, into=None):
        ctx.x, ctx.weight = x, weight  # not ctx.save: see arithmetic.Add
        y = np.matmul(x, weight.T, out=into)
        if bias is not None:
            try:
                y += bias  # y is new, so adding in place saves a temporary
            except ValueError:
                fail_shape("linear", f"a bias of shape ({weight.shape[0]},)", shape_str(bias.shape))
        return y

    @staticmethod
    def backward(ctx, grad_y, into=(None, None, None)):
        x, weight = ctx.x, ctx.weight
        needs = ctx.needs_input_grad
        rows = grad_y if grad_y.ndim == 2 else grad_y.reshape(-1, grad_y.shape[-1])
        grad_x = None
        if needs[0]:
            grad_x = rows @ weight
            grad_x = grad_x if grad_y.ndim == 2 else grad_x.reshape(*grad_y.shape[:-1], -1)
        if needs[1]:
            x_rows = x if x.ndim == 2 else x.reshape(-1, x.shape[-1])
            grad_weight = np.matmul(rows.T, x_rows, out=into[1])
        else:
            grad_weight = None
        # np.add.reduce is what rows.sum calls, without its Python layer (0.5 us a layer a step)
        grad_bias = (
            np.add.reduce(rows, axis=0, out=into[2]) if len(needs) > 2 and needs[2] else None
        )
        return grad_x, grad_weight, grad_bias

    @staticmethod
    def replay_calls(ctx, arrays, config, out):
        x, weight, *bias = arrays
        calls = [partial(np.matmul, x, weight.T, out=out)]
        return calls + [partial(np.add, out, bias[0], out=out)] if bias else calls

    @staticmethod
    def replay_backward(ctx, grad_y, grads):
        x, weight = ctx.x, ctx.weight
        rows = grad_y if grad_y.ndim == 2 else grad_y.reshape(-1, grad_y.shape[-1])
        x_rows = x if x.ndim == 2 else x.reshape(-1, x.shape[-1])
        outs = [g if g is None else fresh(g) for g in grads]
        calls = []  # eager's products, into the fresh memory
        for (left, right), out in zip(((rows, weight), (rows.T, x_rows)), outs[:2]):
            if out is not None:
                out = out.reshape(-1, out.shape[-1])  # rows of a C-ordered array: a view
                calls.append(partial(np.matmul, left, right, out=out))
        if len(outs) > 2 and outs[2] is not None:
            calls.append(partial(np.add.reduce, rows, 0, None, outs[2]))
        return calls, outs


def linear(input: Any, weight: Any, bias: Any = None):  # noqa: A002
    """input @ weight.T + bias, with weight of shape (out_features, in_features) as in torch."""
    return checked_linear(input, weight, bias, "linear")


def checked_linear(x: Any, weight: Any, bias: Any, who: Any):
    """F.linear for a caller that wants its own name in errors (nn.Linear).

    ``who`` is a string, or a callable that builds one only when an error needs it, so the
    layer's name costs nothing on the fast path.
    """
    check_tensor("linear", x)
    # the arrays' shapes, not the Tensors' (a Tensor's .shape builds a Size each read)
    data = getattr(x, "_data", x)
    shape = data.shape
    weight_shape = getattr(weight, "_data", weight).shape
    if (
        not shape
        or len(weight_shape) != 2
        or shape[-1] != weight_shape[1]
        or data.dtype.kind != "f"
    ):
        if len(weight_shape) == 1 and bias is None and shape and shape[-1] == weight_shape[0]:
            return x @ weight  # torch allows a vector weight without a bias: x w, shape (N,)
        _explain(x, weight, who)
    # _apply, not Linear.apply: the bound classmethod and its packing cost 0.2 us a layer
    if bias is None:
        return _apply(Linear, (x, weight), NO_CONFIG)
    return _apply(Linear, (x, weight, bias), NO_CONFIG)


def _explain(x: Any, weight: Any, who: Any) -> None:
    """The error for an input that does not fit the layer (kept off the fast path)."""
    if weight.ndim != 2:
        name = who() if callable(who) else who
        raise ShapeError(
            f"{name}: expected a weight of shape (out_features, in_features), got "
            f"{shape_str(weight.shape)}."
        )
    in_features = weight.shape[1]
    if x.ndim == 0 or x.shape[-1] != in_features:
        name = who() if callable(who) else who
        raise ShapeError(
            f"{name}: expected inputs of shape (N, {in_features}), got {shape_str(x.shape)}."
            + (
                f"\nHint: X has {x.shape[-1]} features, but the layer expects {in_features}; "
                "if X already has a column of ones for the bias, use bias=False or drop that column."
                if x.ndim > 0
                else ""
            )
        )
    if x.dtype.kind != "f":
        name = who() if callable(who) else who
        raise DTypeError(
            f"{name}: expected floating-point inputs, got dtype {x.dtype}.\n"
            f"Hint: convert with X.astype(np.{weight.dtype}) to match the layer."
        )
