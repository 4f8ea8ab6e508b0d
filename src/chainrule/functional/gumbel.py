"""gumbel_softmax: a differentiable stand-in for sampling a one-hot category (Jang et al., 2017).

softmax((logits + g) / tau) with g ~ Gumbel(0, 1) drawn from chainrule's generator; hard=True
returns the one-hot argmax in the forward pass and the soft sample's gradient in the backward
(straight-through): y_hard - y_soft.detach() + y_soft."""

from __future__ import annotations

import warnings
import numpy as np

from .._checks import message
from ..autograd.tensor import Tensor
from ..errors import ArgumentError
from ..random import as_generator


def gumbel_softmax(
    logits: Tensor, tau: float = 1.0, hard: bool = False, eps: float = 1e-10, dim: int = -1
) -> Tensor:
    """A relaxed one-hot draw over ``dim``; lower tau gives samples closer to one-hot.

    >>> import chainrule as cr
    >>> y = cr.nn.functional.gumbel_softmax(cr.zeros(2, 3), tau=0.5, hard=True)
    >>> y.sum(-1).tolist()
    [1.0, 1.0]
    """
    if not isinstance(logits, Tensor):
        raise ArgumentError(message("gumbel_softmax", "logits a Tensor", type(logits).__name__))
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    dtype = logits.dtype if np.issubdtype(logits.dtype, np.floating) else np.float32
    noise = -np.log(as_generator(None).standard_exponential(tuple(logits.shape)))
    y_soft = ((logits + Tensor._wrap(noise.astype(dtype))) / tau).softmax(dim)
    if not hard:
        return y_soft
    axis = dim % y_soft.dim()
    y_hard = np.zeros(tuple(y_soft.shape), dtype)
    index = np.expand_dims(y_soft.detach().numpy().argmax(axis=axis), axis)
    np.put_along_axis(y_hard, index, 1.0, axis)
    return Tensor._wrap(y_hard) - y_soft.detach() + y_soft
