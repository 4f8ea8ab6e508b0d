"""torch.diff: n-th forward differences along a dimension, a composition of slicing and
subtraction (plus cat for prepend / append), so autograd chains the derivative."""

from __future__ import annotations

from typing import Any

from .._checks import fail_value
from .shape import cat
from .sorting import _axis, _tensor


def diff(
    input: Any,  # noqa: A002
    n: int = 1,
    dim: int = -1,
    prepend: Any = None,
    append: Any = None,
):
    """out[i] = x[i + 1] - x[i] along ``dim``, taken ``n`` times; ``prepend`` / ``append`` are
    joined to ``input`` first, as torch.diff (booleans give their xor, as torch)."""
    x = _tensor(input)
    if x.ndim == 0:
        fail_value("diff", "an input with at least one dimension", "a 0-d tensor")
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        fail_value("diff", "n as an integer >= 0", repr(n))
    axis = _axis("diff", x, dim)
    parts = [_tensor(p) for p in (prepend, x, append) if p is not None]
    if len(parts) > 1:
        x = cat(parts, dim=axis)
    for _ in range(n):
        if x.shape[axis] == 0:
            break
        later = (slice(None),) * axis + (slice(1, None),)
        earlier = (slice(None),) * axis + (slice(None, -1),)
        x = x[later] ^ x[earlier] if x.dtype.kind == "b" else x[later] - x[earlier]
    return x
