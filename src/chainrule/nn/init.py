"""Weight initialisation, torch.nn.init's functions with an explicit ``generator``.

Each fills the tensor's memory in place (as torch's init functions do under no_grad) and returns the tensor.
"""

from __future__ import annotations

import contextlib
import math
from typing import Any, Iterator

import numpy as np

from ..random import SeedLike, as_generator


_LINEAR_GAIN = ("linear", "identity", "sigmoid", "conv1d", "conv2d", "conv3d")
_LINEAR_GAIN += ("conv_transpose1d", "conv_transpose2d", "conv_transpose3d")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The gain torch recommends for a nonlinearity (sqrt(2) for ReLU, 5/3 for tanh, ...)."""
    if nonlinearity in _LINEAR_GAIN:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: expected a known nonlinearity, got {nonlinearity!r}.")


def _fans(tensor: Any) -> tuple[int, int]:
    shape = tensor.shape
    if len(shape) < 2:
        raise ValueError(
            f"init: expected a tensor with at least 2 dimensions to compute fan in and fan out, "
            f"got shape {tuple(shape)}."
        )
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


class _Skipping:
    """On inside ``nn.utils.skip_init``: the drawing fills leave memory as it is and draw
    nothing, as torch's meta-device construction neither fills nor moves the generator."""

    active = False


@contextlib.contextmanager
def skipped() -> Iterator[None]:
    before, _Skipping.active = _Skipping.active, True
    try:
        yield
    finally:
        _Skipping.active = before


def _fill(tensor: Any, values: np.ndarray) -> Any:
    tensor._data[...] = values.astype(tensor._data.dtype, copy=False)
    tensor._version += 1
    return tensor


def uniform_(tensor: Any, a: float = 0.0, b: float = 1.0, generator: SeedLike = None) -> Any:
    if not a <= b:  # NumPy's own error says "high - low < 0", naming neither the function nor a, b
        raise ValueError(f"uniform_(a={a!r}, b={b!r}): expected a <= b, got a={a!r} > b={b!r}.")
    if _Skipping.active:
        return tensor
    return _fill(tensor, as_generator(generator).uniform(a, b, tensor.shape))


def normal_(tensor: Any, mean: float = 0.0, std: float = 1.0, generator: SeedLike = None) -> Any:
    if not std >= 0:
        raise ValueError(f"normal_(mean={mean!r}, std={std!r}): expected std >= 0, got {std!r}.")
    if _Skipping.active:
        return tensor
    return _fill(tensor, as_generator(generator).normal(mean, std, tensor.shape))


def constant_(tensor: Any, val: float) -> Any:
    tensor._data[...] = val
    tensor._version += 1
    return tensor


def zeros_(tensor: Any) -> Any:
    return constant_(tensor, 0.0)


def ones_(tensor: Any) -> Any:
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor: Any, gain: float = 1.0, generator: SeedLike = None) -> Any:
    """U(-a, a), a = gain sqrt(6 / (fan_in + fan_out)) (Glorot and Bengio, 2010)."""
    fan_in, fan_out = _fans(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor: Any, gain: float = 1.0, generator: SeedLike = None) -> Any:
    fan_in, fan_out = _fans(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def _kaiming_std(tensor: Any, a: float, mode: str, nonlinearity: str) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"kaiming init: expected mode 'fan_in' or 'fan_out', got {mode!r}.")
    fan_in, fan_out = _fans(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(
    tensor: Any,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: SeedLike = None,
) -> Any:
    """U(-b, b), b = gain sqrt(3 / fan) (He et al., 2015)."""
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Any,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: SeedLike = None,
) -> Any:
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)


def trunc_normal_(
    tensor: Any,
    mean: float = 0.0,
    std: float = 1.0,
    a: float = -2.0,
    b: float = 2.0,
    generator: SeedLike = None,
) -> Any:
    """N(mean, std) truncated to [a, b] (absolute bounds, as torch), drawn by rejection."""
    if not a < b:
        raise ValueError(f"trunc_normal_(a={a!r}, b={b!r}): expected a < b, got a >= b.")
    if _Skipping.active:
        return tensor
    rng, values = as_generator(generator), np.empty(tensor.shape)
    todo = np.ones(tensor.shape, dtype=bool)
    # a window far in the tail would reject almost every draw: clip there instead of looping on
    for _ in range(100):
        values[todo] = rng.normal(mean, std, int(todo.sum()))
        todo &= (values < a) | (values > b)
        if not todo.any():
            break
    return _fill(tensor, np.clip(values, a, b))


def orthogonal_(tensor: Any, gain: float = 1.0, generator: SeedLike = None) -> Any:
    """A (semi-)orthogonal matrix from the QR of a Gaussian one, the trailing dims flattened."""
    if len(tensor.shape) < 2:
        raise ValueError(
            f"orthogonal_: expected a tensor with at least 2 dimensions, got shape "
            f"{tuple(tensor.shape)}."
        )
    if _Skipping.active:
        return tensor
    rows = tensor.shape[0]
    cols = int(np.prod(tensor.shape)) // rows if rows else 0
    flat = as_generator(generator).standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(flat)
    q = q * np.where(np.diag(r) < 0, -1.0, 1.0)  # the sign fix makes Q uniform (Haar)
    q = q.T if rows < cols else q
    return _fill(tensor, gain * q.reshape(tensor.shape))


def eye_(tensor: Any) -> Any:
    """The identity in a 2-D tensor (ones on the diagonal of a non-square one too)."""
    if len(tensor.shape) != 2:
        raise ValueError(f"eye_: expected a 2-D tensor, got shape {tuple(tensor.shape)}.")
    return _fill(tensor, np.eye(*tensor.shape))


def dirac_(tensor: Any, groups: int = 1) -> Any:
    """A convolution weight that passes its input through: channel d of each group to d."""
    shape = tuple(tensor.shape)
    if len(shape) not in (3, 4, 5) or shape[0] % groups:
        raise ValueError(
            f"dirac_(groups={groups}): expected a 3-, 4- or 5-D tensor whose dim 0 divides by "
            f"groups, got shape {shape}."
        )
    values, per_group = np.zeros(shape), shape[0] // groups
    center = tuple(k // 2 for k in shape[2:])
    for g in range(groups):
        for d in range(min(per_group, shape[1])):
            values[(g * per_group + d, d) + center] = 1.0
    return _fill(tensor, values)


from .init_sparse import sparse_  # noqa: E402, F401
