"""torch.nn.functional's fold (col2im), pixel_shuffle, pixel_unshuffle, channel_shuffle and
bilinear. Fold is a Function (the adjoint of unfold, whose patches it reads back); the others
are reshapes, permutes and einsum, so autograd chains those."""

from __future__ import annotations

from typing import Any

from .._checks import check_tensor, fail_shape, fail_value, shape_str
from ..autograd.function import Function
from .einsum import einsum
from .unfold import check_sizes, crop_image, fold as col2im, pad_image, pair, windows


class Fold(Function):
    """col2im: x[n, (c, p, q), (i, j)] is added onto y_padded[n, c, i s_h + p d_h, j s_w + q d_w].

    dL/dx gathers the gradient at those same places: unfold's forward, read off the image.
    """

    @staticmethod
    def forward(ctx, x, *, size, kernel, stride, padding, dilation, out):
        n = x.shape[0]
        c = x.shape[1] // (kernel[0] * kernel[1])
        pads = ((padding[0], padding[0]), (padding[1], padding[1]))
        padded = (n, c, size[0] + 2 * padding[0], size[1] + 2 * padding[1])
        cols = x.reshape(n, c, kernel[0], kernel[1], out[0], out[1]).transpose(2, 3, 0, 1, 4, 5)
        ctx.save(pads=pads, kernel=kernel, stride=stride, dilation=dilation, out=out)
        return crop_image(col2im(cols, padded, kernel, stride, dilation), pads)

    @staticmethod
    def backward(ctx, grad_y):
        n, c = grad_y.shape[:2]
        patches = windows(
            pad_image(grad_y, ctx.pads), ctx.kernel, ctx.stride, ctx.dilation, ctx.out
        )
        cols = patches.transpose(0, 1, 4, 5, 2, 3)  # (N, C, kh, kw, OH, OW)
        return cols.reshape(n, -1, ctx.out[0] * ctx.out[1])


def fold(
    input: Any,  # noqa: A002
    output_size: Any,
    kernel_size: Any,
    dilation: Any = 1,
    padding: Any = 0,
    stride: Any = 1,
):
    """Sum patch columns (N, C kh kw, L) back into images (N, C, H, W); overlaps add up.
    Unbatched (C kh kw, L) gives (C, H, W)."""
    check_tensor("fold", input)
    size = pair(output_size, "fold", "output_size")
    kernel, dilation, padding, stride = (
        pair(kernel_size, "fold", "kernel_size"),
        pair(dilation, "fold", "dilation"),
        pair(padding, "fold", "padding"),
        pair(stride, "fold", "stride"),
    )
    who = f"fold(output_size={size}, kernel_size={kernel})"
    check_sizes(who, kernel, stride, dilation, padding)
    if input.ndim not in (2, 3):
        fail_shape(who, "inputs of shape (N, C*kh*kw, L) or (C*kh*kw, L)", shape_str(input.shape))
    x = input if input.ndim == 3 else input.unsqueeze(0)
    out = tuple(
        (size[a] + 2 * padding[a] - dilation[a] * (kernel[a] - 1) - 1) // stride[a] + 1
        for a in range(2)
    )
    blocks = kernel[0] * kernel[1]
    if x.shape[1] % blocks or min(out) < 1 or x.shape[2] != out[0] * out[1]:
        fail_shape(
            who,
            f"(N, C*{blocks}, {max(out[0], 0) * max(out[1], 0)}) columns: C*kh*kw, and one "
            f"column per block position ({out[0]} x {out[1]})",
            shape_str(input.shape),
        )
    y = Fold.apply(
        x, size=size, kernel=kernel, stride=stride, padding=padding, dilation=dilation, out=out
    )
    return y if input.ndim == 3 else y.squeeze(0)


def _factor(who: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        fail_value(who, f"{name} a whole number >= 1", repr(value))
    return value


def pixel_shuffle(input: Any, upscale_factor: int):  # noqa: A002
    """(*, C r^2, H, W) -> (*, C, H r, W r): sub-pixel convolution's rearrangement."""
    who = f"pixel_shuffle(upscale_factor={upscale_factor})"
    check_tensor(who, input)
    r = _factor(who, "upscale_factor", upscale_factor)
    if input.ndim < 3 or input.shape[-3] % (r * r):
        fail_shape(who, f"inputs (*, C*{r * r}, H, W)", shape_str(input.shape))
    *lead, c, h, w = input.shape
    x = input.reshape(*lead, c // (r * r), r, r, h, w)
    k = len(lead)
    x = x.permute(*range(k), k, k + 3, k + 1, k + 4, k + 2)
    return x.reshape(*lead, c // (r * r), h * r, w * r)


def pixel_unshuffle(input: Any, downscale_factor: int):  # noqa: A002
    """(*, C, H r, W r) -> (*, C r^2, H, W), pixel_shuffle undone."""
    who = f"pixel_unshuffle(downscale_factor={downscale_factor})"
    check_tensor(who, input)
    r = _factor(who, "downscale_factor", downscale_factor)
    if input.ndim < 3 or input.shape[-1] % r or input.shape[-2] % r:
        fail_shape(
            who, f"inputs (*, C, H, W) with H and W divisible by {r}", shape_str(input.shape)
        )
    *lead, c, h, w = input.shape
    x = input.reshape(*lead, c, h // r, r, w // r, r)
    k = len(lead)
    x = x.permute(*range(k), k, k + 2, k + 4, k + 1, k + 3)
    return x.reshape(*lead, c * r * r, h // r, w // r)


def channel_shuffle(input: Any, groups: int):  # noqa: A002
    """(N, C, *) with C = g k: channel g' k + k' moves to k' g + g' (ShuffleNet)."""
    who = f"channel_shuffle(groups={groups})"
    check_tensor(who, input)
    g = _factor(who, "groups", groups)
    if input.ndim < 3 or input.shape[1] % g:
        fail_shape(who, f"inputs (N, C, *) with C divisible by {g}", shape_str(input.shape))
    n, c, *rest = input.shape
    return input.reshape(n, g, c // g, *rest).transpose(1, 2).reshape(n, c, *rest)


def bilinear(input1: Any, input2: Any, weight: Any, bias: Any = None):
    """y[..., o] = x1[..., i] A[o, i, j] x2[..., j] + b[o]."""
    check_tensor("bilinear", input1, "input1")
    check_tensor("bilinear", input2, "input2")
    if (
        weight.ndim != 3
        or input1.shape[:-1] != input2.shape[:-1]
        or input1.shape[-1] != weight.shape[1]
        or input2.shape[-1] != weight.shape[2]
    ):
        fail_shape(
            "bilinear",
            "input1 (*, in1), input2 (*, in2) and weight (out, in1, in2)",
            f"{shape_str(input1.shape)}, {shape_str(input2.shape)} and {shape_str(weight.shape)}",
        )
    lead = tuple(input1.shape[:-1])
    x1, x2 = input1.reshape(-1, input1.shape[-1]), input2.reshape(-1, input2.shape[-1])
    y = einsum("ni,oij,nj->no", x1, weight, x2)
    if bias is not None:
        y = y + bias
    return y.reshape(*lead, weight.shape[0])
