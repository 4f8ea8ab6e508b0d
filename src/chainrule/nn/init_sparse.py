"""nn.init.sparse_: the sparse initialisation of Martens (2010), deep learning via Hessian-free
optimisation: Gaussian weights with a fixed share of each column zeroed."""

from __future__ import annotations

import math
from typing import Any

from ..random import SeedLike, as_generator


def sparse_(tensor: Any, sparsity: float, std: float = 0.01, generator: SeedLike = None) -> Any:
    """Fill a 2-D tensor from N(0, std^2), then zero ceil(sparsity * rows) random entries of
    every column.

    >>> import chainrule as cr
    >>> w = sparse_(cr.empty(4, 3), sparsity=0.5, generator=0)
    >>> (w == 0).sum(dim=0).tolist()
    [2, 2, 2]
    """
    if len(tensor.shape) != 2:
        raise ValueError(
            f"sparse_: expected a tensor with 2 dimensions, got shape {tuple(tensor.shape)}."
        )
    rows, cols = tensor.shape
    zeros = int(math.ceil(sparsity * rows))
    rng = as_generator(generator)
    values = rng.normal(0.0, std, (rows, cols))
    for col in range(cols):
        values[rng.permutation(rows)[:zeros], col] = 0.0
    tensor._data[...] = values.astype(tensor._data.dtype, copy=False)
    tensor._version += 1
    return tensor
