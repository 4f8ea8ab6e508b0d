"""A Tensor as a NumPy array: ``Tensor.numpy()`` and ``np.asarray(t)``, sharing memory as
torch's do on the CPU, and refused, as torch refuses them, on a tensor that requires grad while
grad mode is on: the array would carry its values out of the graph without saying so. Bound onto Tensor at import
(autograd/ keeps a line budget), as tensor_storage.py binds its methods."""

from __future__ import annotations

from typing import Any

import numpy as np

from .autograd.grad_mode import _Mode
from .autograd.tensor import Tensor
from .errors import GraphError


def _refuse(who: str) -> GraphError:
    return GraphError(
        f"{who}: expected a tensor that does not require grad, got one that does.\nHint: use "
        f"tensor.detach().numpy() (or numpy(force=True)), as torch asks."
    )


def numpy(self: Any, force: bool = False) -> np.ndarray:
    """The underlying array (shared, not copied), like torch's .numpy() on the CPU; ``force``
    allows it on a tensor that requires grad, as torch's does."""
    if self._rg and not force and _Mode.grad_enabled:  # under no_grad torch allows it too
        raise _refuse("Tensor.numpy")
    return self._data


def __array__(self: Any, dtype: Any = None, copy: Any = None) -> np.ndarray:
    """np.asarray(t) gives the values (shared, like .numpy(), and refused where it is)."""
    if self._rg and _Mode.grad_enabled:
        raise _refuse("Tensor.__array__")
    array = self._data if dtype is None else np.asarray(self._data, dtype=dtype)
    return array.copy() if copy and array is self._data else array


def values_of(value: Any) -> np.ndarray:
    """The values of a tensor (detached: one that requires grad is read too, as torch's loggers
    and testing read it) or of anything np.asarray takes."""
    return value.detach().numpy() if hasattr(value, "detach") else np.asarray(value)


Tensor.numpy, Tensor.__array__ = numpy, __array__
