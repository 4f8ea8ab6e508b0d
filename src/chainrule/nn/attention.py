"""nn.MultiheadAttention: project, split into heads, attend, merge, project out.

Composed from linear, reshape, transpose and the attention body of
functional/attention.py, so autograd needs nothing new. Parameter names, shapes and init are
torch's, so a state_dict moves between the two libraries.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from .._checks import check_probability, check_tensor, fail_shape, fail_value, message, shape_str
from ..errors import ArgumentAssertionError, MaskDTypeError, ShapeAssertionError
from ..autograd.factories import as_tensor
from ..cpugraph.capture import record_call
from ..device import check_device
from ..dtypes import resolve_float
from ..functional.attention import attend
from ..random import SeedLike, as_generator
from . import init
from .linear import Linear
from .module import Module
from .parameter import Parameter


class MultiheadAttention(Module):
    """Attention(Q W_q^T, K W_k^T, V W_v^T) per head, heads concatenated, then out_proj.

    Each of ``num_heads`` heads attends over embed_dim / num_heads features:
    softmax(q k^T / sqrt(head_dim) + mask) v. Shapes: query (L, N, E), key (S, N, kdim),
    value (S, N, vdim) -> output (L, N, E) and weights (N, L, S), or (N, H, L, S) with
    average_attn_weights=False; batch_first=True puts N first; unbatched (L, E) works too.
    Bool masks mark with True the positions *not* allowed (key_padding_mask (N, S),
    attn_mask (L, S) or (N*H, L, S)); float masks are added to the scores. A query row that
    every mask shuts out gets weights 0, where torch's need_weights=True path gives NaN.
    add_bias_kv appends a learned key and value, add_zero_attn a zero one, so S grows by one each.

    >>> import chainrule as cr
    >>> mha = cr.nn.MultiheadAttention(8, 2, generator=0)
    >>> out, weights = mha(cr.ones(5, 3, 8), cr.ones(4, 3, 8), cr.ones(4, 3, 8))
    >>> tuple(out.shape), tuple(weights.shape)
    ((5, 3, 8), (3, 5, 4))
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        super().__init__()
        who = f"MultiheadAttention({embed_dim}, {num_heads})"
        for name, size in (("embed_dim", embed_dim), ("num_heads", num_heads)):
            if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
                fail_value(who, f"{name} a whole number >= 1", repr(size))
        if embed_dim % num_heads:
            got = f"{embed_dim} % {num_heads} != 0"  # torch asserts it: both classes
            raise ArgumentAssertionError(message(who, "embed_dim divisible by num_heads", got))
        check_probability(who, "dropout", dropout)
        check_device(device, who)
        dtype = resolve_float(dtype, who)
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.kdim = embed_dim if kdim is None else kdim
        self.vdim = embed_dim if vdim is None else vdim
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        self.dropout, self.batch_first = float(dropout), batch_first
        self.head_dim = embed_dim // num_heads
        # one stream for init and dropout: a seed given to each part would repeat its draws
        self.generator = None if generator is None else as_generator(generator)
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(np.empty((3 * embed_dim, embed_dim), dtype=dtype))
            self.q_proj_weight = self.k_proj_weight = self.v_proj_weight = None
        else:
            self.in_proj_weight = None
            self.q_proj_weight = Parameter(np.empty((embed_dim, embed_dim), dtype=dtype))
            self.k_proj_weight = Parameter(np.empty((embed_dim, self.kdim), dtype=dtype))
            self.v_proj_weight = Parameter(np.empty((embed_dim, self.vdim), dtype=dtype))
        self.in_proj_bias = Parameter(np.empty(3 * embed_dim, dtype=dtype)) if bias else None
        if add_bias_kv:  # one learned key and value appended to every sequence
            self.bias_k = Parameter(np.empty((1, 1, embed_dim), dtype=dtype))
            self.bias_v = Parameter(np.empty((1, 1, embed_dim), dtype=dtype))
        else:
            self.bias_k = self.bias_v = None
        self.add_zero_attn = add_zero_attn
        self.out_proj = NonDynamicallyQuantizableLinear(
            embed_dim, embed_dim, bias=bias, dtype=dtype, generator=self.generator
        )
        self.reset_parameters(self.generator)

    def reset_parameters(self, generator: SeedLike = None) -> None:
        """torch's: xavier_uniform_ on the input projections, zero biases (out_proj's weight
        keeps Linear's own init)."""
        rng = as_generator(generator)
        if self._qkv_same_embed_dim:
            init.xavier_uniform_(self.in_proj_weight, generator=rng)
        else:
            for weight in (self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
                init.xavier_uniform_(weight, generator=rng)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)
        if self.bias_k is not None:
            init.xavier_normal_(self.bias_k, generator=rng)
            init.xavier_normal_(self.bias_v, generator=rng)

    def _who(self) -> str:
        return f"MultiheadAttention({self.embed_dim}, {self.num_heads})"

    def forward(
        self,
        query: Any,
        key: Any,
        value: Any,
        key_padding_mask: Any = None,
        need_weights: bool = True,
        attn_mask: Any = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple:
        who = self._who()
        for name, given in (("query", query), ("key", key), ("value", value)):
            check_tensor(who, given, name)
        q, k, v = as_tensor(query), as_tensor(key), as_tensor(value)
        batched = self._check_inputs(q, k, v)
        if not batched:
            q, k, v = q.unsqueeze(1), k.unsqueeze(1), v.unsqueeze(1)
            if key_padding_mask is not None:
                key_padding_mask = as_tensor(key_padding_mask).unsqueeze(0)
        elif self.batch_first:
            q, k, v = q.transpose(0, 1), k.transpose(0, 1), v.transpose(0, 1)
        if is_causal and attn_mask is None:
            fail_value(
                who,
                "an attn_mask with is_causal=True (is_causal only hints that the mask is causal)",
                "attn_mask=None",
                "pass attn_mask=nn.Transformer.generate_square_subsequent_mask(L) or its like.",
            )
        length, batch, _ = q.shape
        source = k.shape[0]
        heads, head_dim = self.num_heads, self.head_dim
        w_q, w_k, w_v = self._projection_weights()
        b_q, b_k, b_v = (None,) * 3 if self.in_proj_bias is None else self.in_proj_bias.chunk(3)
        # (L, N, E) -> (N*H, L, head_dim): torch's layout, so a (N*H, L, S) mask lines up
        q = F.linear(q, w_q, b_q).reshape(length, batch * heads, head_dim).transpose(0, 1)
        k, v = F.linear(k, w_k, b_k), F.linear(v, w_v, b_v)
        masks = self._masks(attn_mask, key_padding_mask, length, batch, source)
        if self.bias_k is not None:
            k = F.cat([k, self.bias_k.expand(1, batch, self.embed_dim)], 0)
            v = F.cat([v, self.bias_v.expand(1, batch, self.embed_dim)], 0)
        extra = (self.bias_k is not None) + self.add_zero_attn
        k = k.reshape(k.shape[0], batch * heads, head_dim).transpose(0, 1)
        v = v.reshape(v.shape[0], batch * heads, head_dim).transpose(0, 1)
        if self.add_zero_attn:  # a key and value of zeros: a query may attend to nothing
            zeros = k.new_zeros((batch * heads, 1, head_dim))
            k, v = F.cat([k, zeros], 1), F.cat([v, zeros], 1)
        source += extra
        masks = tuple((_widen(mask, extra), allowed) for mask, allowed in masks)
        p = self.dropout if self.training else 0.0
        out, weights = attend(who, q, k, v, masks, p, None, self.generator)
        out = out.transpose(0, 1).reshape(length, batch, self.embed_dim)
        out = self.out_proj(out)
        if not batched:
            out = out.squeeze(1)
        elif self.batch_first:
            out = out.transpose(0, 1)
        if not need_weights:
            return out, None
        weights = weights.reshape(batch, heads, length, source)
        if average_attn_weights:
            weights = weights.mean(1)
        return out, (weights if batched else weights.squeeze(0))

    def _projection_weights(self) -> tuple:
        if self._qkv_same_embed_dim:
            return tuple(self.in_proj_weight.chunk(3))
        return self.q_proj_weight, self.k_proj_weight, self.v_proj_weight

    def _check_inputs(self, q: Any, k: Any, v: Any) -> bool:
        batched = q.ndim == 3
        n = (2, 3)[batched]
        good = q.ndim in (2, 3) and k.ndim == n and v.ndim == n
        good = good and q.shape[-1] == self.embed_dim and k.shape[-1] == self.kdim
        good = good and v.shape[-1] == self.vdim and k.shape[:-1] == v.shape[:-1]
        if good and batched:
            good = q.shape[1 - self.batch_first] == k.shape[1 - self.batch_first]
        if not good:
            layout = "(N, L, E)" if self.batch_first else "(L, N, E)"
            raise ShapeAssertionError(  # torch asserts these shapes: both classes
                message(
                    self._who(),
                    f"query {layout} or (L, E) with E={self.embed_dim}, key and value of the same "
                    f"layout with kdim={self.kdim} and vdim={self.vdim} and one source length",
                    f"{shape_str(tuple(q.shape))}, {shape_str(tuple(k.shape))} and "
                    f"{shape_str(tuple(v.shape))}",
                )
            )
        return batched

    def _masks(self, attn_mask: Any, key_padding_mask: Any, length: int, batch: int, source: int):
        """(mask, allowed) pairs shaped to broadcast over the (N*H, L, S) scores."""
        masks = []
        if attn_mask is not None:
            shape = tuple(np.shape(getattr(attn_mask, "_data", attn_mask)))
            if shape not in ((length, source), (batch * self.num_heads, length, source)):
                fail_shape(
                    self._who(),
                    f"attn_mask of shape {(length, source)} or "
                    f"{(batch * self.num_heads, length, source)}",
                    shape_str(shape),
                )
            kind = np.asarray(getattr(attn_mask, "_data", attn_mask)).dtype.kind
            if kind not in "bf":  # torch asserts it
                raise MaskDTypeError(
                    message(self._who(), "a bool or float attn_mask", f"dtype {attn_mask.dtype}")
                )
            masks.append((attn_mask, False))
        if key_padding_mask is not None:
            shape = tuple(np.shape(getattr(key_padding_mask, "_data", key_padding_mask)))
            if shape != (batch, source):  # torch asserts it: both classes
                raise ShapeAssertionError(
                    message(
                        self._who(),
                        f"key_padding_mask of shape {(batch, source)}",
                        shape_str(shape),
                    )
                )
            # (N, S) -> (N*H, 1, S): each sample's row of the mask serves all of its heads
            padding = as_tensor(key_padding_mask).reshape(batch, 1, 1, source)
            padding = padding.expand(batch, self.num_heads, 1, source)
            masks.append((padding.reshape(batch * self.num_heads, 1, source), False))
        return tuple(masks)


class NonDynamicallyQuantizableLinear(Linear):
    """A plain Linear under torch's name for MultiheadAttention's out_proj, so that a model
    prints as torch's does."""


def _widen(mask: Any, extra: int) -> Any:
    """The mask with ``extra`` allowed columns on the right, for the appended keys."""
    if not extra:
        return mask
    raw = np.asarray(getattr(mask, "_data", mask))
    if raw.dtype == np.bool_:  # recorded: a mask that is a static input changes per batch
        return record_call(np.pad, raw, [(0, 0)] * (raw.ndim - 1) + [(0, extra)])
    return F.pad(as_tensor(mask), (0, extra))
