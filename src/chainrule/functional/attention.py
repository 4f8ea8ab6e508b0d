"""Scaled dot-product attention (torch.nn.functional.scaled_dot_product_attention).

Composed from matmul, softmax, where, add, expand, reshape and dropout, so autograd needs
nothing new: the gradient of softmax(Q K^T / sqrt(E)) V is the chain of those ops' own.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._checks import check_probability, fail_shape, fail_value, shape_str
from ..autograd.factories import as_tensor
from ..autograd.grad_mode import _Mode
from ..cpugraph.capture import record_call
from ..errors import DTypeError
from ..random import SeedLike
from .activation import softmax
from .dropout import dropout


def scaled_dot_product_attention(
    query: Any,
    key: Any,
    value: Any,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    enable_gqa: bool = False,
    *,
    generator: SeedLike = None,
) -> Any:
    """softmax(Q K^T * scale + mask) V, scale = 1/sqrt(E) unless given.

    Shapes: query (..., L, E), key (..., S, E), value (..., S, Ev) -> (..., L, Ev). A bool
    ``attn_mask`` says which positions *take part* (True = attend, as torch's SDPA; note that
    nn.MultiheadAttention's bool masks mean the opposite); a float mask is added to the scores.
    ``is_causal`` lets position i see positions j <= i. Dropout acts on the weights whenever
    ``dropout_p`` > 0, as in torch (the caller passes 0.0 in eval). ``enable_gqa`` repeats
    each of key's and value's heads (dim -3) to match query's, as torch's grouped-query form.
    ``generator`` (chainrule's addition) draws the dropout mask.

    >>> import chainrule as cr
    >>> q = cr.ones(2, 3, 4)
    >>> cr.nn.functional.scaled_dot_product_attention(q, q, cr.ones(2, 3, 5)).shape
    chainrule.Size([2, 3, 5])
    """
    who = "scaled_dot_product_attention"
    q, k, v = as_tensor(query), as_tensor(key), as_tensor(value)
    check_probability(who, "dropout_p", dropout_p)
    _check_shapes(who, q, k, v, enable_gqa)
    if enable_gqa:
        k, v = _repeat_heads(k, q.shape[-3]), _repeat_heads(v, q.shape[-3])
    if is_causal:
        if attn_mask is not None:
            fail_value(
                who,
                "attn_mask=None when is_causal=True",
                "both",
                "fold the causal pattern into attn_mask, or drop attn_mask.",
            )
        attn_mask = np.tril(np.ones((q.shape[-2], k.shape[-2]), dtype=bool))
    masks = () if attn_mask is None else ((attn_mask, True),)
    return attend(who, q, k, v, masks, dropout_p, scale, generator)[0]


def attend(
    who: str, q: Any, k: Any, v: Any, masks: tuple, dropout_p: float, scale: Any, generator: Any
) -> tuple:
    """(softmax(Q K^T * scale + masks) V, the weights): the one body of SDPA and of
    nn.MultiheadAttention. ``masks`` holds (mask, allowed) pairs. A query row that every mask
    shuts out gets weights 0 (and output 0), not softmax's 0/0 = NaN, as torch's SDPA does."""
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    scores = (q @ k.transpose(-2, -1)) * scale
    for mask, allowed in masks:
        scores = add_mask(who, scores, mask, allowed)
    # recorded; and inside a CPUGraph capture the fills run whatever this batch's rows, so a
    # replay on a batch whose masks shut a row out follows the eager step
    shut = record_call(_shut_rows, scores._data)
    filled = _Mode.capture is not None or shut.any()
    if filled:
        scores = scores.masked_fill(shut, 0.0)
    weights = softmax(scores, -1)
    if filled:
        weights = weights.masked_fill(shut, 0.0)
    if dropout_p > 0.0:
        weights = dropout(weights, dropout_p, True, generator=generator)
    return weights @ v, weights


def _shut_rows(scores: np.ndarray) -> np.ndarray:
    return np.isneginf(scores).all(axis=-1, keepdims=True)


def add_mask(who: str, scores: Any, mask: Any, allowed: bool) -> Any:
    """scores with a mask applied: a bool mask sends the excluded scores to -inf (``allowed``
    says whether True marks the positions kept, SDPA's way, or the ones dropped, MHA's way);
    a float mask is added, so a float mask that is a Tensor still passes its gradient on."""
    raw = np.asarray(getattr(mask, "_data", mask))
    try:
        np.broadcast_shapes(raw.shape, tuple(scores.shape))
    except ValueError:
        fail_shape(
            who,
            f"a mask that broadcasts to the scores' shape {shape_str(tuple(scores.shape))}",
            shape_str(raw.shape),
        )
    if raw.dtype == np.bool_:  # the negation recorded, so a replay negates each batch's mask
        return scores.masked_fill(record_call(np.logical_not, raw) if allowed else raw, -np.inf)
    if raw.dtype != scores.dtype:
        raise DTypeError(
            f"{who}: expected a bool mask or a float mask of dtype {scores.dtype}, got dtype "
            f"{raw.dtype}.\nHint: build the mask with the query's dtype, or use a bool mask."
        )
    return scores + as_tensor(mask)


def _check_shapes(who: str, q: Any, k: Any, v: Any, enable_gqa: bool) -> None:
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2:
        fail_shape(
            who,
            "query, key and value with at least 2 dims (..., L, E)",
            f"{shape_str(tuple(q.shape))}, {shape_str(tuple(k.shape))} and "
            f"{shape_str(tuple(v.shape))}",
        )
    if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        fail_shape(
            who,
            "query (..., L, E), key (..., S, E) and value (..., S, Ev)",
            f"{shape_str(tuple(q.shape))}, {shape_str(tuple(k.shape))} and "
            f"{shape_str(tuple(v.shape))}",
        )
    if enable_gqa:
        heads = [t.shape[-3] if t.ndim >= 3 else 0 for t in (q, k, v)]
        if heads[1] == 0 or heads[2] != heads[1] or heads[0] % heads[1]:
            fail_shape(
                who,
                "with enable_gqa=True, query's heads (dim -3) a multiple of key's and value's",
                f"{heads[0]}, {heads[1]} and {heads[2]} heads",
            )


def _repeat_heads(t: Any, heads: int) -> Any:
    """(..., Hk, S, E) -> (..., heads, S, E), each head repeated in place (repeat_interleave)."""
    shape = tuple(t.shape)
    group = heads // shape[-3]
    wide = t.unsqueeze(-3).expand(*shape[:-2], group, *shape[-2:])
    return wide.reshape(*shape[:-3], heads, *shape[-2:])
