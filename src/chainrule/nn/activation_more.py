"""More activation modules (torch.nn's SELU, CELU, Hardsigmoid, Hardswish, Softmin, GLU,
Threshold, Hardshrink, Softshrink, Tanhshrink, PReLU, RReLU) over chainrule.functional."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from ..dtypes import resolve_float
from ..random import SeedLike, as_generator
from .module import Module
from .parameter import Parameter


class SELU(Module):
    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Any) -> Any:
        return F.selu(x)


class CELU(Module):
    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, x: Any) -> Any:
        return F.celu(x, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class Hardsigmoid(Module):
    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Any) -> Any:
        return F.hardsigmoid(x)


class Hardswish(Module):
    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Any) -> Any:
        return F.hardswish(x)


class Softmin(Module):
    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Any) -> Any:
        return F.softmin(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class GLU(Module):
    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Any) -> Any:
        return F.glu(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Threshold(Module):
    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, x: Any) -> Any:
        return F.threshold(x, self.threshold, self.value)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}"


class Hardshrink(Module):
    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, x: Any) -> Any:
        return F.hardshrink(x, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Softshrink(Hardshrink):
    def forward(self, x: Any) -> Any:
        return F.softshrink(x, self.lambd)


class Tanhshrink(Module):
    def forward(self, x: Any) -> Any:
        return F.tanhshrink(x)


class PReLU(Module):
    """y = x where x > 0, else a x, with a learned slope ``a`` per channel (or one shared)."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25, dtype: Any = None) -> None:
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(np.full(num_parameters, init, dtype=resolve_float(dtype, "PReLU")))

    def reset_parameters(self) -> None:
        self.weight.data.fill_(self.init)

    def forward(self, x: Any) -> Any:
        return F.prelu(x, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class RReLU(Module):
    """Random slopes in [lower, upper] for x <= 0 while training (drawn from ``generator``),
    their mean in eval."""

    def __init__(
        self,
        lower: float = 1.0 / 8,
        upper: float = 1.0 / 3,
        inplace: bool = False,
        generator: SeedLike = None,
    ) -> None:
        super().__init__()
        self.lower, self.upper, self.inplace = lower, upper, inplace
        self.generator = None if generator is None else as_generator(generator)

    def forward(self, x: Any) -> Any:
        return F.rrelu(x, self.lower, self.upper, self.training, generator=self.generator)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}"
