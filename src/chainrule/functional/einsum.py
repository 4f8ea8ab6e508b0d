"""einsum and prod, the two reductions real models reach for that the basic set lacks.

einsum's gradient for one operand is another einsum: the upstream gradient contracted with the
other operands onto that operand's letters (letters only that operand sums out are broadcast
back). prod's gradient is the product of the other elements, computed without dividing, so
zeros are exact.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_dim
from ..autograd.function import Function
from ..autograd.function import quietly
from .sorting import _tensor
from ..errors import ArgumentError


def _parse(equation: str, count: int) -> tuple[list[str], str]:
    equation = equation.replace(" ", "")
    if "..." in equation:
        raise NotImplementedError(
            f"einsum: expected an equation without '...', got {equation!r}.\n"
            f"Hint: name every dim with a letter (as in 'bij,bjk->bik')."
        )
    inputs, _, output = equation.partition("->")
    subscripts = inputs.split(",")
    if len(subscripts) != count:
        raise ArgumentError(
            f"einsum: expected {len(subscripts)} operands for {equation!r}, got {count}."
        )
    if "->" not in equation:  # implicit form: the letters seen once, in alphabetical order
        letters = "".join(subscripts)
        output = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    for sub in subscripts:
        if len(set(sub)) != len(sub):
            raise NotImplementedError(
                f"einsum: expected each operand's letters to differ, got {sub!r}.\n"
                f"Hint: take diagonals with torch.diagonal first."
            )
    return subscripts, output


class Einsum(Function):
    """y = einsum(equation, *operands); dL/d(operand i) = einsum of dL/dy with the others."""

    integer_ok = True

    @staticmethod
    def forward(ctx, *operands, subscripts, output):
        ctx.save(operands=operands, subscripts=subscripts, output=output)
        return np.asarray(np.einsum(f"{','.join(subscripts)}->{output}", *operands))

    @staticmethod
    def backward(ctx, grad_y):
        grads = []
        for i, (sub, operand) in enumerate(zip(ctx.subscripts, ctx.operands)):
            if not ctx.needs_input_grad[i]:
                grads.append(None)
                continue
            others = [s for j, s in enumerate(ctx.subscripts) if j != i]
            seen = set(ctx.output + "".join(others))
            target = "".join(c for c in sub if c in seen)
            terms = [ctx.output, *others]
            arrays = [grad_y, *(o for j, o in enumerate(ctx.operands) if j != i)]
            grad = np.einsum(f"{','.join(terms)}->{target}", *arrays)
            # letters only this operand had were summed in forward: each element got grad once
            shape = [operand.shape[k] if c in seen else 1 for k, c in enumerate(sub)]
            grad = grad.reshape(shape) if target else grad.reshape([1] * len(sub))
            grads.append(np.broadcast_to(grad, operand.shape).astype(operand.dtype, copy=True))
        return tuple(grads)


def einsum(equation: str, *operands: Any):
    """torch.einsum(equation, *operands) (or a list of operands), without '...' or repeated
    letters in one operand."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    tensors = [_tensor(o) for o in operands]
    subscripts, output = _parse(equation, len(tensors))
    return Einsum.apply(*tensors, subscripts=tuple(subscripts), output=output)


class Prod(Function):
    """y = the product of x's elements (along an axis); dy/dx_i = the product of the others."""

    integer_ok = True

    @staticmethod
    def forward(ctx, x, axis, keepdim):
        ctx.save(x=x, axis=axis, keepdim=keepdim)
        # torch multiplies integers and bools as int64
        dtype = np.int64 if x.dtype.kind in "biu" else None
        return np.asarray(quietly(np.prod, x, axis=axis, keepdims=keepdim, dtype=dtype))

    @staticmethod
    def backward(ctx, grad_y):
        with np.errstate(all="ignore"):  # 0 * inf is NaN, quietly as torch's
            return Prod._gradient(ctx, grad_y)

    @staticmethod
    def _gradient(ctx, grad_y):
        x, axis = ctx.x, ctx.axis
        if x.ndim and not (x == 0).any():  # torch's y / x then: NaN where x is inf, as torch's
            y = np.prod(x, axis=axis, keepdims=True)
            upstream = grad_y if ctx.keepdim or axis is None else np.expand_dims(grad_y, axis)
            return upstream * (y / x)
        flat = x.reshape(-1) if axis is None else np.moveaxis(x, axis, -1)
        # the product of the others: prefix products times suffix products, no division by x
        ones = np.ones_like(flat[..., :1])
        before = np.cumprod(np.concatenate([ones, flat[..., :-1]], -1), -1)
        after = np.flip(np.cumprod(np.concatenate([ones, np.flip(flat, -1)[..., :-1]], -1), -1), -1)
        others = before * after
        if axis is None:
            return (others * grad_y).reshape(x.shape)
        upstream = grad_y if ctx.keepdim else np.expand_dims(grad_y, axis)
        return np.moveaxis(others, -1, axis) * upstream


def prod(input: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None):  # noqa: A002
    """The product of all elements, or along ``dim``, as torch.prod."""
    x = _tensor(input)
    if dtype is not None:
        x = x.to(dtype)
    axis = None if dim is None or x.ndim == 0 else check_dim("prod", dim, x.ndim)
    return Prod.apply(x, axis=axis, keepdim=keepdim and axis is not None)
