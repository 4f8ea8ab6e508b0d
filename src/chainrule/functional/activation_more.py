"""More of torch.nn.functional's activations (selu, celu, hardsigmoid, hardswish, softmin, glu,
threshold, the shrinks, prelu, rrelu in eval), composed from existing ops: no derivative of
their own, autograd chains those of elu, where, clip, softmax and sigmoid. Each gradient at a
kink is torch's (the side torch's kernel picks), which a composition gets by choosing the
branch condition with the same strictness."""

from __future__ import annotations

from typing import Any

from ..autograd.factories import full_like, zeros_like
from ..cpugraph.capture import record_call
from ..random import as_generator
from .._checks import check_tensor, fail_shape, fail_value, shape_str
from .activation import elu, leaky_relu, softmax, sigmoid, tanh
from .selection import where

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Any, inplace: bool = False):  # noqa: A002
    """y = scale * elu(x, alpha) with the self-normalising constants of Klambauer et al."""
    check_tensor("selu", input)
    return elu(input, _SELU_ALPHA) * _SELU_SCALE


def celu(input: Any, alpha: float = 1.0, inplace: bool = False):  # noqa: A002
    """y = max(0, x) + min(0, alpha (exp(x / alpha) - 1)): elu of x / alpha, scaled back."""
    check_tensor("celu", input)
    if alpha == 0:
        fail_value("celu", "alpha != 0 (it divides x)", repr(alpha))
    return elu(input / alpha, 1.0) * alpha


def hardsigmoid(input: Any, inplace: bool = False):  # noqa: A002
    """y = relu6(x + 3) / 6; the gradient is 1/6 strictly inside (-3, 3), 0 at the ends."""
    check_tensor("hardsigmoid", input)
    inside = (input.detach() > -3) & (input.detach() < 3)
    return where(inside, input / 6 + 0.5, (input.detach() >= 3).to(input.dtype))


def hardswish(input: Any, inplace: bool = False):  # noqa: A002
    """y = x relu6(x + 3) / 6 (MobileNetV3); torch's gradient is x / 3 + 1/2 strictly inside
    (-3, 3), 0 at and below -3, 1 at and above 3."""
    check_tensor("hardswish", input)
    data = input.detach()
    middle = input * (input / 6 + 0.5)
    return where(data <= -3, zeros_like(data), where(data < 3, middle, input))


def softmin(input: Any, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None):  # noqa: A002
    """y = softmax(-x) along dim."""
    check_tensor("softmin", input)
    if dim is None:
        fail_value("softmin", "an explicit dim", "None", "pass dim=-1 for the last axis.")
    return softmax(-input, dim, dtype=dtype)


def glu(input: Any, dim: int = -1):  # noqa: A002
    """Gated linear unit: the first half along dim times sigmoid of the second half."""
    check_tensor("glu", input)
    if input.ndim == 0 or input.shape[dim] % 2:
        fail_shape(
            f"glu(dim={dim})",
            "an even size along dim (halves a and b of a * sigmoid(b))",
            shape_str(input.shape),
        )
    a, b = input.chunk(2, dim)
    return a * sigmoid(b)


def threshold(input: Any, threshold: float, value: float, inplace: bool = False):  # noqa: A002
    """y = value where x <= threshold, else x (so NaN stays NaN, as in torch)."""
    check_tensor("threshold", input)
    return where(~(input.detach() <= threshold), input, full_like(input.detach(), value))


def hardshrink(input: Any, lambd: float = 0.5):  # noqa: A002
    """y = 0 where -lambd <= x <= lambd, else x."""
    check_tensor("hardshrink", input)
    data = input.detach()
    return where(~((data >= -lambd) & (data <= lambd)), input, zeros_like(data))


def softshrink(input: Any, lambd: float = 0.5):  # noqa: A002
    """y = x - lambd above lambd, x + lambd below -lambd, 0 between."""
    check_tensor("softshrink", input)
    if lambd < 0:
        fail_value("softshrink", "lambd >= 0", repr(lambd))
    data = input.detach()
    return where(data > lambd, input - lambd, where(data < -lambd, input + lambd, zeros_like(data)))


def tanhshrink(input: Any):  # noqa: A002
    """y = x - tanh(x)."""
    check_tensor("tanhshrink", input)
    return input - tanh(input)


def prelu(input: Any, weight: Any):  # noqa: A002
    """y = x where x > 0, else weight * x, one weight per channel (axis 1) or one shared."""
    check_tensor("prelu", input)
    count = weight.numel()
    channels = input.shape[1] if input.ndim >= 2 else (input.shape[0] if input.ndim else 1)
    if count not in (1, channels):
        fail_shape(
            "prelu",
            f"a weight of 1 or {channels} elements (one per channel)",
            shape_str(tuple(weight.shape)),
        )
    if count > 1 and input.ndim >= 2:
        weight = weight.reshape((1, count) + (1,) * (input.ndim - 2))
    elif count == 1:
        weight = weight.reshape(())
    return where(input.detach() > 0, input, input * weight)


def rrelu(
    input: Any,  # noqa: A002
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    inplace: bool = False,
    generator: Any = None,
):
    """Randomised leaky ReLU: in training each x <= 0 gets its own slope drawn uniformly from
    [lower, upper] (from ``generator``, as dropout's mask); in eval the slope is their mean."""
    check_tensor("rrelu", input)
    if not training:
        return leaky_relu(input, (lower + upper) / 2)
    slopes = record_call(_slopes, as_generator(generator), tuple(input.shape), lower, upper,
                         input.dtype)  # fmt: skip
    return where(input.detach() <= 0, input * input._wrap(slopes), input)


def _slopes(rng: Any, shape: tuple[int, ...], lower: float, upper: float, dtype: Any) -> Any:
    """Drawn again on each CPUGraph replay, as an eager step would."""
    return rng.uniform(lower, upper, shape).astype(dtype)
