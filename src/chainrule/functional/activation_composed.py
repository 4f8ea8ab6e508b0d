"""Activations that are compositions of existing ops (torch.nn.functional's silu, mish,
hardtanh, relu6, logsigmoid, softsign): no derivative of their own, autograd chains those of
sigmoid, tanh, softplus and clip."""

from __future__ import annotations

from typing import Any

from .._checks import check_tensor
from .activation import _maybe_in_place, sigmoid, softplus, tanh
from .bool_kernels import refuse_bools
from .elementwise import clip
from .selection import where
from ..errors import ArgumentError


def silu(input: Any, inplace: bool = False):  # noqa: A002
    """y = x * sigmoid(x) (swish)."""
    check_tensor("silu", input)
    return _maybe_in_place(input, inplace, "silu", lambda t: t * sigmoid(t))


def mish(input: Any, inplace: bool = False):  # noqa: A002
    """y = x * tanh(softplus(x))."""
    check_tensor("mish", input)
    return _maybe_in_place(input, inplace, "mish", lambda t: t * tanh(softplus(t)))


def hardtanh(input: Any, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False):  # noqa: A002
    """y = clamp(x, min_val, max_val)."""
    check_tensor("hardtanh", input)
    if min_val > max_val:  # clip would quietly give max_val everywhere; torch refuses
        raise ArgumentError(f"hardtanh: expected min_val <= max_val, got {min_val} and {max_val}.")
    return _maybe_in_place(input, inplace, "hardtanh", lambda t: _hard_clip(t, min_val, max_val))


def relu6(input: Any, inplace: bool = False):  # noqa: A002
    """y = min(max(x, 0), 6)."""
    check_tensor("relu6", input)
    return _maybe_in_place(input, inplace, "relu6", lambda t: _hard_clip(t, 0.0, 6.0))


def _hard_clip(t: Any, low: float, high: float):
    """clamp's values with torch's hardtanh gradient: 0 at the bounds themselves, where
    clamp's is 1 (so relu6 at 0 has relu's gradient there, 0). At NaN it is 0, as in torch's
    vectorised kernel (its scalar tail gives 1: torch's answer depends on the position)."""
    if t.dtype.kind in "biu":  # torch: ints keep their dtype (no gradient), bools are refused
        refuse_bools("hardtanh", t)
        return t.clamp(int(low), int(high))
    inside = (t.detach() > low) & (t.detach() < high)
    return where(inside, t, clip(t.detach(), low, high))


def logsigmoid(input: Any):  # noqa: A002
    """y = log(sigmoid(x)) = -softplus(-x), finite for very negative x."""
    check_tensor("logsigmoid", input)
    return -softplus(-input)


def softsign(input: Any):  # noqa: A002
    """y = x / (1 + |x|)."""
    check_tensor("softsign", input)
    return input / (input.abs() + 1)
