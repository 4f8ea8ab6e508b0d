"""group_norm: layer normalization within groups of channels, composed from layer_norm."""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import check_positive_number, fail_shape, fail_value, shape_str
from .normalization import layer_norm


def group_norm(
    input: Any,  # noqa: A002
    num_groups: int,
    weight: Any = None,
    bias: Any = None,
    eps: float = 1e-5,
):
    """torch.nn.functional.group_norm: each sample's channels split into ``num_groups`` groups,
    each group standardised over its channels and positions, then scaled and shifted per channel.

    Shapes: (N, C, *) -> (N, C, *), C divisible by num_groups; weight and bias (C,).
    Written as one layer_norm over (N, G, C/G * positions), so its backward is layer_norm's.
    """
    who = f"group_norm(num_groups={num_groups!r})"
    check_positive_number(who, "eps", eps)
    if input.ndim < 2 or input.shape[1] % num_groups:
        fail_shape(
            who,
            f"inputs (N, C, *) with C divisible by {num_groups}",
            shape_str(input.shape),
        )
    shape = tuple(input.shape)
    if shape[0] * (shape[1] // num_groups) * int(np.prod(shape[2:])) == 1:
        # torch refuses a group of one value (its variance is 0, the output all zeros)
        fail_value(who, "more than 1 value per group", f"input of shape {shape_str(shape)}")
    # the group's size spelled out: a -1 cannot be inferred from an empty batch
    grouped = input.reshape(shape[0], num_groups, shape[1] // num_groups * int(np.prod(shape[2:])))
    y = layer_norm(grouped, (grouped.shape[-1],), None, None, eps).reshape(shape)
    per_channel = (1, shape[1]) + (1,) * (len(shape) - 2)
    if weight is not None:
        y = y * weight.reshape(per_channel)
    if bias is not None:
        y = y + bias.reshape(per_channel)
    return y
