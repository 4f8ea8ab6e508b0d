"""nn.TransformerDecoderLayer, nn.TransformerDecoder and nn.Transformer, with torch's names.

A decoder layer adds cross-attention over the encoder's output (``memory``) between the
self-attention and the feed-forward block of an encoder layer, so a state_dict moves to and
from torch. nn.Transformer is an encoder and a decoder, each closed by a LayerNorm.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

import numpy as np

from .._checks import fail_shape
from ..autograd.factories import tensor
from ..dtypes import get_default_dtype
from ..random import SeedLike, as_generator
from . import init
from .attention import MultiheadAttention
from .container import ModuleList
from .module import Module
from .normalization import LayerNorm
from .transformer import (
    TransformerEncoder,
    TransformerEncoderLayer,
    add_feed_forward,
    add_residual_blocks,
    resolve_activation,
)


class TransformerDecoderLayer(Module):
    """x = norm1(x + sa(x)); x = norm2(x + mha(x, memory)); x = norm3(x + ff(x)).

    With norm_first=True each block reads the normed x and adds to the raw one, as torch.
    Shapes as TransformerEncoderLayer's; memory may be longer or shorter than tgt.

    >>> import chainrule as cr
    >>> layer = cr.nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, generator=0)
    >>> layer(cr.ones(4, 3, 8), cr.ones(6, 3, 8)).shape
    chainrule.Size([4, 3, 8])
    """

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable = "relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        super().__init__()
        activation = resolve_activation(f"TransformerDecoderLayer({d_model}, {nhead})", activation)
        # one stream for every part: a seed given to each would repeat the same draws
        generator = None if generator is None else as_generator(generator)
        attention = dict(
            dropout=dropout,
            bias=bias,
            batch_first=batch_first,
            device=device,
            dtype=dtype,
            generator=generator,
        )
        self.self_attn = MultiheadAttention(d_model, nhead, **attention)
        self.multihead_attn = MultiheadAttention(d_model, nhead, **attention)
        add_feed_forward(self, d_model, dim_feedforward, dropout, bias, dtype, generator)
        self.norm_first = norm_first
        add_residual_blocks(self, 3, d_model, layer_norm_eps, dropout, bias, dtype, generator)
        self.activation = activation

    def forward(
        self,
        tgt: Any,
        memory: Any,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        tgt_is_causal: bool = False,
        memory_is_causal: bool = False,
    ) -> Any:
        x = tgt
        self_args = (tgt_mask, tgt_key_padding_mask, tgt_is_causal)
        cross_args = (memory_mask, memory_key_padding_mask, memory_is_causal)
        if self.norm_first:
            x = x + self._attend(self.self_attn, self.dropout1, self.norm1(x), None, *self_args)
            x = x + self._attend(
                self.multihead_attn, self.dropout2, self.norm2(x), memory, *cross_args
            )
            return x + self._ff_block(self.norm3(x))
        x = self.norm1(x + self._attend(self.self_attn, self.dropout1, x, None, *self_args))
        x = self.norm2(x + self._attend(self.multihead_attn, self.dropout2, x, memory, *cross_args))
        return self.norm3(x + self._ff_block(x))

    @staticmethod
    def _attend(
        attn: Module, drop: Module, x: Any, memory: Any, mask: Any, padding: Any, causal: bool
    ) -> Any:
        source = x if memory is None else memory
        out = attn(
            x,
            source,
            source,
            attn_mask=mask,
            key_padding_mask=padding,
            need_weights=False,
            is_causal=bool(causal),
        )[0]
        return drop(out)

    def _ff_block(self, x: Any) -> Any:
        return self.dropout3(self.linear2(self.dropout(self.activation(self.linear1(x)))))


class TransformerDecoder(Module):
    """``num_layers`` deep copies of ``decoder_layer`` in sequence, then the optional ``norm``.

    >>> import chainrule as cr
    >>> layer = cr.nn.TransformerDecoderLayer(8, 2, dim_feedforward=16, generator=0)
    >>> cr.nn.TransformerDecoder(layer, 2)(cr.ones(4, 3, 8), cr.ones(6, 3, 8)).shape
    chainrule.Size([4, 3, 8])
    """

    def __init__(
        self, decoder_layer: TransformerDecoderLayer, num_layers: int, norm: Module | None = None
    ) -> None:
        super().__init__()
        self.layers = ModuleList([copy.deepcopy(decoder_layer) for _ in range(num_layers)])
        self.num_layers = num_layers
        self.norm = norm

    def forward(
        self,
        tgt: Any,
        memory: Any,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Any:
        output = tgt
        for layer in self.layers:
            output = layer(
                output,
                memory,
                tgt_mask=tgt_mask,
                memory_mask=memory_mask,
                tgt_key_padding_mask=tgt_key_padding_mask,
                memory_key_padding_mask=memory_key_padding_mask,
                tgt_is_causal=bool(tgt_is_causal),
                memory_is_causal=memory_is_causal,
            )
        return output if self.norm is None else self.norm(output)


class Transformer(Module):
    """Encoder over ``src``, decoder over ``tgt`` attending to the encoder's output.

    As torch, every parameter with two or more dims is re-drawn with xavier_uniform_.

    >>> import chainrule as cr
    >>> model = cr.nn.Transformer(8, 2, 1, 1, dim_feedforward=16, generator=0)
    >>> model(cr.ones(6, 3, 8), cr.ones(4, 3, 8)).shape
    chainrule.Size([4, 3, 8])
    """

    def __init__(
        self,
        d_model: int = 512,
        nhead: int = 8,
        num_encoder_layers: int = 6,
        num_decoder_layers: int = 6,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable = "relu",
        custom_encoder: Module | None = None,
        custom_decoder: Module | None = None,
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        super().__init__()
        generator = as_generator(generator)
        layer_args = dict(
            dim_feedforward=dim_feedforward,
            dropout=dropout,
            activation=activation,
            layer_norm_eps=layer_norm_eps,
            batch_first=batch_first,
            norm_first=norm_first,
            bias=bias,
            device=device,
            dtype=dtype,
            generator=generator,
        )
        if custom_encoder is not None:
            self.encoder = custom_encoder
        else:
            layer = TransformerEncoderLayer(d_model, nhead, **layer_args)
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
            self.encoder = TransformerEncoder(layer, num_encoder_layers, norm)
        if custom_decoder is not None:
            self.decoder = custom_decoder
        else:
            layer = TransformerDecoderLayer(d_model, nhead, **layer_args)
            norm = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
            self.decoder = TransformerDecoder(layer, num_decoder_layers, norm)
        for param in self.parameters():
            if param.dim() > 1:
                init.xavier_uniform_(param, generator=generator)
        self.d_model = d_model
        self.nhead = nhead
        self.batch_first = batch_first

    def forward(
        self,
        src: Any,
        tgt: Any,
        src_mask: Any = None,
        tgt_mask: Any = None,
        memory_mask: Any = None,
        src_key_padding_mask: Any = None,
        tgt_key_padding_mask: Any = None,
        memory_key_padding_mask: Any = None,
        src_is_causal: bool | None = None,
        tgt_is_causal: bool | None = None,
        memory_is_causal: bool = False,
    ) -> Any:
        who = f"Transformer({self.d_model}, {self.nhead})"
        batch_dim = 0 if self.batch_first else 1
        if src.dim() == 3 and src.shape[batch_dim] != tgt.shape[batch_dim]:
            fail_shape(
                who,
                f"src and tgt with the same batch size (dim {batch_dim})",
                f"{src.shape[batch_dim]} and {tgt.shape[batch_dim]}",
            )
        if src.shape[-1] != self.d_model or tgt.shape[-1] != self.d_model:
            fail_shape(
                who,
                f"src and tgt with {self.d_model} features",
                f"{src.shape[-1]} and {tgt.shape[-1]}",
            )
        memory = self.encoder(
            src, mask=src_mask, src_key_padding_mask=src_key_padding_mask, is_causal=src_is_causal
        )
        return self.decoder(
            tgt,
            memory,
            tgt_mask=tgt_mask,
            memory_mask=memory_mask,
            tgt_key_padding_mask=tgt_key_padding_mask,
            memory_key_padding_mask=memory_key_padding_mask,
            tgt_is_causal=tgt_is_causal,
            memory_is_causal=memory_is_causal,
        )

    @staticmethod
    def generate_square_subsequent_mask(sz: int, device: Any = None, dtype: Any = None) -> Any:
        """A float mask adding -inf where a position would see a later one, as torch's."""
        dtype = get_default_dtype() if dtype is None else dtype
        return tensor(np.triu(np.full((sz, sz), -np.inf), 1), dtype=dtype)
