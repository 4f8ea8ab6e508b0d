"""create_graph rules for convolutions, pooling, padding and embedding (see rules.py).

A convolution is bilinear in input and weight, and pooling, padding and lookups are linear in
their input (max pooling once its argmax is fixed), so each rule hands the op's own ndarray
backward to linear_ops.py, which differentiates it again with the op itself: no second
formula per op. A max pool becomes a gather at its argmax, which is what torch differentiates.
"""

from __future__ import annotations

import numpy as np

from ..autograd.tensor import Tensor
from ..functional.conv import Conv1d, Conv2d
from ..functional.conv_transpose import ConvTranspose1d, ConvTranspose2d
from ..functional.einsum import Einsum
from ..functional.embedding import Embedding
from ..functional.elementwise import NanToNum
from ..functional.fractional_pool import FractionalMaxPool
from ..functional.fractional_pool3d import FractionalMaxPool3d
from ..functional.nan_reductions import NanToZero
from ..functional.padding import Pad
from ..functional.pooling import AdaptiveAvgPool2d, AvgPool2d, MaxPool2d
from ..functional.pooling_more import Gather, Scatter, _window_argmax
from ..functional.unfold import Unfold
from ..functional.vision import Fold
from ..functional.volume import Conv3d, MaxPool3d
from .linear_ops import Bilinear, bilinear_grads, transposed
from .rules import const, rule


# --- convolutions --------------------------------------------------------------------------
def _conv_config(ctx) -> dict:
    keys = ("stride", "pads", "dilation", "groups", "out")
    return {key: getattr(ctx, key) for key in keys}


def _conv_grads(ctx, op_cls, config, x, w, grad, squeeze: bool) -> tuple:
    """Input, weight and bias gradients; a 1-d op runs as the 2-d one on height-1 images, as
    its forward does (what it saved is the 2-d op's)."""
    if squeeze:
        x, w, grad = x.unsqueeze(2), w.unsqueeze(2), grad.unsqueeze(2)
    op = Bilinear(op_cls, config, (tuple(x.shape), tuple(w.shape)))
    grad_x, grad_w = bilinear_grads(op, ctx, x, w, grad)
    if squeeze:
        grad_x = None if grad_x is None else grad_x.squeeze(2)
        grad_w = None if grad_w is None else grad_w.squeeze(2)
    needs = ctx.needs_input_grad
    if len(needs) < 3:
        return grad_x, grad_w
    axes = (0,) + tuple(range(2, grad.ndim))
    return grad_x, grad_w, (grad.sum(dim=axes) if needs[2] else None)


@rule(Conv2d, Conv1d)
def _conv(ctx, out, grad):
    x, w = ctx.inputs[0], ctx.inputs[1]
    return _conv_grads(ctx, Conv2d, _conv_config(ctx), x, w, grad, type(ctx) is Conv1d)


@rule(Conv3d)
def _conv3d(ctx, out, grad):
    keys = ("stride", "padding", "dilation", "groups", "out")
    config = {key: getattr(ctx, key) for key in keys}
    return _conv_grads(ctx, Conv3d, config, ctx.inputs[0], ctx.inputs[1], grad, False)


@rule(ConvTranspose2d, ConvTranspose1d)
def _conv_transpose(ctx, out, grad):
    keys = ("stride", "pads", "dilation", "groups")
    config = {key: getattr(ctx, key) for key in keys}
    size = (1, out.shape[-1]) if type(ctx) is ConvTranspose1d else tuple(out.shape[-2:])
    # the image before forward cropped the padding off
    config["full"] = tuple(n + sum(p) for n, p in zip(size, ctx.pads))
    x, w = ctx.inputs[0], ctx.inputs[1]
    return _conv_grads(ctx, ConvTranspose2d, config, x, w, grad, type(ctx) is ConvTranspose1d)


# --- max pooling: a gather at the argmax ---------------------------------------------------
def _gathered(grad: Tensor, at: np.ndarray, shape: tuple, lead: int) -> Tensor:
    """dL/dx of y = x[at] (``at`` a flat index into the trailing axes of each leading one):
    Gather's gradient over x's planes, as one row per leading index."""
    plane = (*shape[:lead], 1, int(np.prod(shape[lead:], dtype=np.int64)))
    source = Gather()
    source.save(index=at, shape=plane, needs_input_grad=(True,))
    return transposed(source, grad, 0, lambda h: Gather.apply(h, index=at)).reshape(shape)


@rule(MaxPool2d)
def _max_pool(ctx, out, grad):
    x = ctx.inputs[0]._data
    if ctx.blocks is not None:  # tiles: stride = kernel, no padding or dilation
        kernel = (ctx.blocks.shape[-3], ctx.blocks.shape[-1])
        at = _window_argmax(x, kernel, kernel, (1, 1), ((0, 0), (0, 0)), ctx.y.shape[-2:])
    else:
        at = _window_argmax(x, ctx.kernel, ctx.stride, ctx.dilation, ctx.pads, ctx.out)
    return _gathered(grad, at, x.shape, x.ndim - 2)


@rule(MaxPool3d)
def _max_pool3d(ctx, out, grad):
    shape = ctx.inputs[0].shape
    taps = np.unravel_index(ctx.arg, ctx.kernel)
    spatial = shape[-3:]
    at = np.zeros(ctx.arg.shape, dtype=np.int64)
    for axis in range(3):
        count = ctx.out[axis]
        start = np.arange(count).reshape((count,) + (1,) * (2 - axis)) * ctx.stride[axis]
        place = start + taps[axis] * ctx.dilation[axis] - ctx.pads[-3 + axis][0]
        at = at * spatial[axis] + place
    return _gathered(grad, at, tuple(shape), len(shape) - 3)


@rule(FractionalMaxPool, FractionalMaxPool3d)
def _fractional_max_pool(ctx, out, grad):
    return _gathered(grad, ctx.at, ctx.shape, 2), None


@rule(Gather)
def _gather(ctx, out, grad):
    index = ctx.index
    return transposed(ctx, grad, 0, lambda h: Gather.apply(h, index=index))


@rule(Scatter)
def _scatter(ctx, out, grad):  # max_unpool: its gradient reads g at the index, a gather
    return Gather.apply(grad, index=ctx.index)


# --- linear ops: averaging pools, padding, embedding ---------------------------------------
@rule(AvgPool2d)
def _avg_pool(ctx, out, grad):
    keys = ("kernel", "stride", "pads", "divisor")
    config = {key: getattr(ctx, key) for key in keys}
    return transposed(ctx, grad, 0, lambda h: AvgPool2d.apply(h, **config))


@rule(AdaptiveAvgPool2d)
def _adaptive_avg_pool(ctx, out, grad):
    return const(ctx.rows.T, grad) @ grad @ const(ctx.cols, grad)


@rule(Pad)
def _pad(ctx, out, grad):  # the constant cells' value has no gradient: J h pads with zeros
    maps = ctx.maps
    return transposed(ctx, grad, 0, lambda h: Pad.apply(h, maps=maps, value=0.0))


@rule(Embedding)
def _embedding(ctx, out, grad):  # linear in the weight: J h = h[indices], the rows scaled
    indices, rows = ctx.indices, np.ones(ctx.shape[0])
    if ctx.by_freq:
        rows /= np.maximum(np.bincount(indices.ravel(), minlength=ctx.shape[0]), 1)
    if ctx.padding_idx is not None:
        rows[ctx.padding_idx] = 0.0
    scale = const(rows[:, None], grad)
    grad_w = transposed(ctx, grad, 0, lambda h: (h * scale)[indices])
    return (grad_w,) + (None,) * (len(ctx.needs_input_grad) - 1)


# --- einsum: each operand's gradient is an einsum of the gradient with the others ----------
@rule(Einsum)
def _einsum(ctx, out, grad):
    grads = []
    for i, (sub, operand) in enumerate(zip(ctx.subscripts, ctx.operands)):
        if not ctx.needs_input_grad[i]:
            grads.append(None)
            continue
        others = [s for j, s in enumerate(ctx.subscripts) if j != i]
        seen = set(ctx.output + "".join(others))
        target = "".join(c for c in sub if c in seen)
        tensors = [t if t is not None else const(a, grad) for t, a in zip(ctx.inputs, ctx.operands)]
        terms = [ctx.output, *others]
        found = Einsum.apply(
            grad,
            *(t for j, t in enumerate(tensors) if j != i),
            subscripts=tuple(terms),
            output=target,
        )
        # letters only this operand had were summed out in forward: broadcast back over them
        shape = [operand.shape[k] if c in seen else 1 for k, c in enumerate(sub)]
        grads.append(found.reshape(tuple(shape)).expand(tuple(operand.shape)))
    return tuple(grads)


# --- unfold / fold: each the other's transpose ---------------------------------------------
def _window_config(ctx) -> dict:
    padding = (ctx.pads[0][0], ctx.pads[1][0])
    return dict(kernel=ctx.kernel, stride=ctx.stride, padding=padding, dilation=ctx.dilation)


@rule(Unfold)
def _unfold(ctx, out, grad):
    config = {**_window_config(ctx), "out": ctx.out}
    return transposed(ctx, grad, 0, lambda h: Unfold.apply(h, **config))


@rule(Fold)
def _fold(ctx, out, grad):
    config = {**_window_config(ctx), "out": ctx.out, "size": tuple(out.shape[-2:])}
    return transposed(ctx, grad, 0, lambda h: Fold.apply(h, **config))


@rule(NanToNum)
def _nan_to_num(ctx, out, grad):
    return grad * const(ctx.finite, grad)


@rule(NanToZero)
def _nan_to_zero(ctx, out, grad):
    return grad * const(ctx.numbers, grad)
