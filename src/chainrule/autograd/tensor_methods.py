"""torch.Tensor's named methods: each one calls an op in chainrule.functional (the operators
are in tensor_operators.py).

No derivative is written here: a method either is one Function or composes them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._checks import check_dim
from ..errors import ShapeError
from ..cpugraph.capture import refuse
from .tensor_operators import _no_grad_result

# chainrule.functional, bound by tensor.py once Tensor exists: the Tensor <-> functional loop
# every framework has, closed in one place.
F: Any = None


def check_axis(who: str, dim: int, ndim: int) -> int:
    """dim in [-ndim, ndim - 1] as a non-negative index (the one rule lives in _checks)."""
    return check_dim(who, dim, ndim)


class TensorMethods:
    """Named methods that mirror torch.Tensor (shape, reductions, elementwise); mixed into Tensor."""

    __slots__ = ()

    # The rest of torch's methods (topk, gather, ...) are bound onto Tensor by
    # functional/tensor_extras.py, which keeps them out of autograd/'s line budget.

    # --- shape ---------------------------------------------------------------------------
    @property
    def T(self):
        return F.Permute.apply(self, dims=tuple(reversed(range(self._data.ndim))))

    @property
    def mT(self):
        if self._data.ndim < 2:  # torch: "only supported on matrices or batches of matrices"
            raise ShapeError(f"mT: expected a tensor with at least 2 dims, got {self._data.ndim}.")
        return F.transpose(self, -2, -1)

    def t(self):
        """Transpose of a tensor with at most 2 dims, as torch.Tensor.t."""
        if self._data.ndim > 2:
            raise ShapeError(
                f"t: expected a tensor with at most 2 dims, got {self._data.ndim}.\n"
                f"Hint: use transpose(dim0, dim1) or permute(...)."
            )
        return F.transpose(self) if self._data.ndim == 2 else self

    def reshape(self, *shape: Any):  # (view and view_as, with torch's stride rule: views.py)
        return F.reshape(self, *shape)

    def reshape_as(self, other: Any):
        return F.reshape(self, *other.shape)

    def unsqueeze(self, dim: int):
        """A new axis of length 1 at ``dim`` (in [-ndim - 1, ndim])."""
        return F.unsqueeze(self, dim)

    def squeeze(self, dim: Any = None):
        """Drop axes of length 1 (only ``dim``, if given and of length 1)."""
        return F.squeeze(self, dim)

    def transpose(self, dim0: int, dim1: int):
        return F.transpose(self, dim0, dim1)

    swapaxes = transpose

    def permute(self, *dims: Any):
        return F.permute(self, *dims)

    def flatten(self, start_dim: int = 0, end_dim: int = -1):
        return F.flatten(self, start_dim, end_dim)

    def expand(self, *sizes: Any):
        """A broadcast view of this tensor at ``sizes`` (-1 keeps a dim); the gradient is summed."""
        return F.expand(self, *sizes)

    def expand_as(self, other: Any):
        return F.expand(self, *other.shape)

    def repeat(self, *sizes: Any):
        return F.repeat(self, *sizes)

    # --- reductions (sum, mean, max, ... and the softmaxes: chainrule/tensor_reductions.py) --
    def nonzero(self):
        refuse("nonzero")  # its length depends on the values: a replay could not follow
        return _no_grad_result(lambda a: np.argwhere(a).astype(np.int64), self)

    # --- elementwise -----------------------------------------------------------------------
    def exp(self):
        return F.exp(self)

    def log(self):
        return F.log(self)

    def log2(self):
        return F.log(self) * (1.0 / math.log(2.0))

    def log10(self):
        return F.log(self) * (1.0 / math.log(10.0))

    def log1p(self):
        return F.log(self + 1.0)

    def sqrt(self):
        return F.sqrt(self)

    def rsqrt(self):
        return 1.0 / F.sqrt(self)

    def abs(self):
        return F.abs(self)

    def sin(self):
        return F.sin(self)

    def cos(self):
        return F.cos(self)

    def sign(self):
        return F.sign(self)

    def round(self, decimals: int = 0):
        return F.round(self, decimals=decimals)

    def floor(self):
        return F.floor(self)

    def ceil(self):
        return F.ceil(self)

    def reciprocal(self):
        return 1.0 / self

    def clip(self, min: Any = None, max: Any = None):  # noqa: A002
        return F.clip(self, min, max)

    clamp = clip

    def maximum(self, other: Any):
        return F.maximum(self, other)

    def minimum(self, other: Any):
        return F.minimum(self, other)

    def relu(self):
        return F.relu(self)

    def sigmoid(self):
        return F.sigmoid(self)

    def tanh(self):
        return F.tanh(self)

    def where(self, condition: Any, y: Any):
        return F.where(condition, self, y)

    def masked_fill(self, mask: Any, value: Any):
        """value where mask is True, self elsewhere (mask broadcasts as in torch)."""
        return F.masked_fill(self, mask, value)
