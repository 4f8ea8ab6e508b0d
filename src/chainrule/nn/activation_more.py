"""torch.nn's rarer activation modules, over chainrule.functional.activation_more."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from .._checks import fail_count, fail_shape, fail_value, shape_str
from ..device import check_device
from ..dtypes import resolve_float
from ..functional import activation_more as A
from ..random import SeedLike, as_generator
from .module import Module
from .parameter import Parameter


def _inplace(text: str, inplace: bool) -> str:
    return f"{text}, inplace=True" if inplace and text else ("inplace=True" if inplace else text)


class PReLU(Module):
    """y = max(0, x) + a min(0, x), a learned: one slope, or one per channel (axis 1).

    >>> import chainrule as cr
    >>> cr.nn.PReLU(3)(cr.ones(2, 3, 4)).shape
    chainrule.Size([2, 3, 4])
    """

    def __init__(
        self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None
    ) -> None:
        check_device(device, type(self).__name__)
        super().__init__()
        if isinstance(num_parameters, bool) or not isinstance(num_parameters, (int, np.integer)):
            fail_count("PReLU", "num_parameters a whole number >= 1", num_parameters)
        if num_parameters < 1:
            fail_value("PReLU", "num_parameters a whole number >= 1", repr(num_parameters))
        self.num_parameters, self.init = int(num_parameters), init
        self.weight = Parameter(np.empty(self.num_parameters, dtype=resolve_float(dtype, "PReLU")))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        self.weight.data[...] = self.init

    def forward(self, x: Any) -> Any:
        return F.prelu(x, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class RReLU(Module):
    """Leaky ReLU with a random slope in [lower, upper] while training, their mean in eval.

    ``generator`` (chainrule only): where the training slopes come from.
    """

    def __init__(
        self,
        lower: float = 1.0 / 8,
        upper: float = 1.0 / 3,
        inplace: bool = False,
        generator: SeedLike = None,
    ) -> None:
        super().__init__()
        if lower > upper:
            fail_value("RReLU", "lower <= upper", f"lower={lower}, upper={upper}")
        self.lower, self.upper, self.inplace = lower, upper, inplace
        self.generator = None if generator is None else as_generator(generator)

    def forward(self, x: Any) -> Any:
        return A.rrelu(x, self.lower, self.upper, self.training, self.inplace, self.generator)

    def extra_repr(self) -> str:
        return _inplace(f"lower={self.lower}, upper={self.upper}", self.inplace)


class SELU(Module):
    """y = scale * elu(x, alpha), alpha ~ 1.6733, scale ~ 1.0507 (self-normalising)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Any) -> Any:
        return A.selu(x, self.inplace)

    def extra_repr(self) -> str:
        return _inplace("", self.inplace)


class CELU(Module):
    """y = max(0, x) + min(0, alpha (e^(x / alpha) - 1))."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, x: Any) -> Any:
        return A.celu(x, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return _inplace(f"alpha={self.alpha}", self.inplace)


class GLU(Module):
    """Split x in halves a, b along dim: y = a * sigmoid(b)."""

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Any) -> Any:
        return A.glu(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Hardswish(Module):
    """y = x relu6(x + 3) / 6 (MobileNetV3)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Any) -> Any:
        return A.hardswish(x, self.inplace)


class Hardsigmoid(Module):
    """y = clamp(x / 6 + 1/2, 0, 1)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Any) -> Any:
        return A.hardsigmoid(x, self.inplace)


class Hardshrink(Module):
    """y = x where |x| > lambd, else 0."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, x: Any) -> Any:
        return A.hardshrink(x, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Softshrink(Hardshrink):
    """y = x - lambd above lambd, x + lambd below -lambd, 0 between."""

    def forward(self, x: Any) -> Any:
        return A.softshrink(x, self.lambd)


class Tanhshrink(Module):
    """y = x - tanh(x)."""

    def forward(self, x: Any) -> Any:
        return A.tanhshrink(x)


class Threshold(Module):
    """y = x where x > threshold, else value."""

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, inplace

    def forward(self, x: Any) -> Any:
        return A.threshold(x, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        return _inplace(f"threshold={self.threshold}, value={self.value}", self.inplace)


class Softmin(Module):
    """y = softmax(-x) along dim."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, x: Any) -> Any:
        return A.softmin(x, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax2d(Module):
    """Softmax over the channels at each pixel: (N, C, H, W) or (C, H, W), along axis -3."""

    def forward(self, x: Any) -> Any:
        if x.ndim not in (3, 4):
            fail_shape("Softmax2d", "inputs of shape (N, C, H, W) or (C, H, W)", shape_str(x.shape))
        return F.softmax(x, -3)
