"""pixel_shuffle and pixel_unshuffle (sub-pixel convolution, Shi et al.): pure rearranging by
reshape and permute, so autograd's gradients of those are theirs."""

from __future__ import annotations

from typing import Any

from .._checks import check_tensor, fail_shape, fail_value, shape_str


def _factor(who: str, factor: Any) -> int:
    if isinstance(factor, bool) or not isinstance(factor, int) or factor < 1:
        fail_value(who, "a whole factor >= 1", repr(factor))
    return factor


def pixel_shuffle(input: Any, upscale_factor: int):  # noqa: A002
    """(*, C r^2, H, W) -> (*, C, H r, W r): each group of r^2 channels becomes an r x r block."""
    who = f"pixel_shuffle(upscale_factor={upscale_factor!r})"
    check_tensor(who, input)
    r = _factor(who, upscale_factor)
    if input.ndim < 3 or input.shape[-3] % (r * r):
        fail_shape(who, f"inputs (*, C, H, W) with C divisible by {r * r}", shape_str(input.shape))
    *lead, c, h, w = input.shape
    blocks = input.reshape(-1, c // (r * r), r, r, h, w).permute(0, 1, 4, 2, 5, 3)
    return blocks.reshape(*lead, c // (r * r), h * r, w * r)


def pixel_unshuffle(input: Any, downscale_factor: int):  # noqa: A002
    """(*, C, H r, W r) -> (*, C r^2, H, W), the inverse of pixel_shuffle."""
    who = f"pixel_unshuffle(downscale_factor={downscale_factor!r})"
    check_tensor(who, input)
    r = _factor(who, downscale_factor)
    if input.ndim < 3 or input.shape[-2] % r or input.shape[-1] % r:
        fail_shape(
            who, f"inputs (*, C, H, W) with H and W divisible by {r}", shape_str(input.shape)
        )
    *lead, c, h, w = input.shape
    blocks = input.reshape(-1, c, h // r, r, w // r, r).permute(0, 1, 3, 5, 2, 4)
    return blocks.reshape(*lead, c * r * r, h // r, w // r)
