"""Linear, Identity, Flatten and Unflatten."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import functional as F
from .._checks import check_dim, check_tensor, fail_count, fail_shape
from ..device import check_device
from ..dtypes import resolve_float
from ..functional.linear import checked_linear
from ..random import SeedLike, as_generator
from . import init
from .module import Module
from .parameter import Parameter


class Linear(Module):
    """y = x W^T + b, W of shape (out_features, in_features) like torch (and the notebook's theta).

    Default init is torch's: W ~ U(-1/sqrt(in), 1/sqrt(in)) via kaiming_uniform(a=sqrt(5)),
    b ~ U(-1/sqrt(in), 1/sqrt(in)).

    Shapes: (N, in_features) -> (N, out_features).

    >>> import numpy as np, chainrule as cr
    >>> layer = cr.nn.Linear(3, 2, generator=0)
    >>> layer(cr.ones(4, 3)).shape
    chainrule.Size([4, 2])
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        super().__init__()
        for name, size in (("in_features", in_features), ("out_features", out_features)):
            if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 0:
                fail_count(
                    f"Linear(in_features={in_features!r}, out_features={out_features!r})",
                    f"{name} a whole number >= 0",
                    size,
                )
        self.in_features = in_features
        self.out_features = out_features
        check_device(device, type(self).__name__)
        dtype = resolve_float(dtype, "Linear")
        self.weight = Parameter(np.empty((out_features, in_features), dtype=dtype))
        self.bias = Parameter(np.empty(out_features, dtype=dtype)) if bias else None
        self.reset_parameters(generator)

    def reset_parameters(self, generator: SeedLike = None) -> None:
        rng = as_generator(generator)
        if self.weight.numel():  # an empty weight has nothing to draw (torch allows in_features=0)
            init.kaiming_uniform_(self.weight, a=math.sqrt(5), generator=rng)
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0
            init.uniform_(self.bias, -bound, bound, generator=rng)

    def forward(self, x: Any) -> Any:
        return checked_linear(x, self.weight, self.bias, self._who)

    def _who(self) -> str:
        return f"Linear(in_features={self.in_features}, out_features={self.out_features})"

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Identity(Module):
    """Returns its input; a placeholder where a layer is optional."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, x: Any) -> Any:
        return x


class Flatten(Module):
    """Flatten axes start_dim..end_dim into one (default: everything after the batch axis)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, x: Any) -> Any:
        return F.flatten(x, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Split axis ``dim`` into ``unflattened_size``: (N, 64) -> (N, 1, 8, 8) feeds a CNN flat rows."""

    def __init__(self, dim: int, unflattened_size: tuple[int, ...]) -> None:
        super().__init__()
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, x: Any) -> Any:
        who = f"Unflatten({self.extra_repr()})"
        check_tensor(who, x)
        if x.ndim == 0:  # there is no axis to split; % below would divide by zero
            fail_shape(who, "a tensor with at least one dimension", "a 0-d tensor")
        dim = check_dim(who, self.dim, x.ndim, tuple(x.shape))  # % alone would wrap any dim
        sizes, n = self.unflattened_size, x.shape[dim]
        if sizes.count(-1) > 1 or (-1 not in sizes and math.prod(sizes) != n):
            fail_shape(who, f"sizes that multiply up to the size of dim {dim} ({n})", str(sizes))
        return x.reshape(*x.shape[:dim], *self.unflattened_size, *x.shape[dim + 1 :])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
