"""nn.TransformerEncoderLayer and nn.TransformerEncoder, with torch's submodule names.

A layer is self-attention then a two-layer feed-forward block, each wrapped in a residual
connection and a LayerNorm (after the sum by default, before the block with norm_first=True).
Composed of modules chainrule already has, so a state_dict moves to and from torch.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

from .. import functional as F
from .._checks import check_tensor, fail_value
from ..random import SeedLike, as_generator
from .attention import MultiheadAttention
from .container import ModuleList
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .normalization import LayerNorm

_ACTIVATIONS = {"relu": F.relu, "gelu": F.gelu}


def resolve_activation(who: str, activation: str | Callable) -> Callable:
    """torch's ``activation=``: 'relu', 'gelu' or any callable (encoder and decoder layers)."""
    if not isinstance(activation, str):
        return activation
    if activation not in _ACTIVATIONS:
        fail_value(who, "activation 'relu', 'gelu' or a callable", repr(activation))
    return _ACTIVATIONS[activation]


def add_feed_forward(
    layer: Module, d_model: int, width: int, dropout: float, bias: bool, dtype: Any, generator: Any
) -> None:
    """linear1, dropout, linear2 on ``layer``, under torch's names and in torch's order (which
    the state_dict and the shared generator's draws follow)."""
    layer.linear1 = Linear(d_model, width, bias=bias, dtype=dtype, generator=generator)
    layer.dropout = Dropout(dropout, generator=generator)
    layer.linear2 = Linear(width, d_model, bias=bias, dtype=dtype, generator=generator)


def add_residual_blocks(
    layer: Module, blocks: int, d_model: int, eps: float, dropout: float, bias: bool, dtype: Any,
    generator: Any,
) -> None:  # fmt: skip
    """norm1..normN, then dropout1..dropoutN, one pair for each residual block, under torch's
    names and in torch's order (encoder layers have two blocks, decoder layers three)."""
    for i in range(1, blocks + 1):
        setattr(layer, f"norm{i}", LayerNorm(d_model, eps=eps, bias=bias, dtype=dtype))
    for i in range(1, blocks + 1):
        setattr(layer, f"dropout{i}", Dropout(dropout, generator=generator))


class TransformerEncoderLayer(Module):
    """x = norm1(x + sa(x)); x = norm2(x + ff(x)), ff(x) = linear2(dropout(act(linear1(x)))).

    With norm_first=True: x = x + sa(norm1(x)); x = x + ff(norm2(x)). Shapes: (S, N, d_model),
    (N, S, d_model) with batch_first=True, or unbatched (S, d_model); the output has the input's.

    >>> import chainrule as cr
    >>> layer = cr.nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, generator=0)
    >>> layer(cr.ones(5, 3, 8)).shape
    chainrule.Size([5, 3, 8])
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
        activation = resolve_activation(f"TransformerEncoderLayer({d_model}, {nhead})", activation)
        # one stream for every part: a seed given to each would repeat the same draws
        generator = None if generator is None else as_generator(generator)
        self.self_attn = MultiheadAttention(
            d_model,
            nhead,
            dropout=dropout,
            bias=bias,
            batch_first=batch_first,
            device=device,
            dtype=dtype,
            generator=generator,
        )
        add_feed_forward(self, d_model, dim_feedforward, dropout, bias, dtype, generator)
        self.norm_first = norm_first
        add_residual_blocks(self, 2, d_model, layer_norm_eps, dropout, bias, dtype, generator)
        self.activation = activation

    def forward(
        self,
        src: Any,
        src_mask: Any = None,
        src_key_padding_mask: Any = None,
        is_causal: bool = False,
    ) -> Any:
        check_tensor(type(self).__name__, src, "src")
        x = src
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            return x + self._ff_block(self.norm2(x))
        x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
        return self.norm2(x + self._ff_block(x))

    def _sa_block(self, x: Any, mask: Any, padding: Any, is_causal: bool) -> Any:
        out = self.self_attn(
            x,
            x,
            x,
            attn_mask=mask,
            key_padding_mask=padding,
            need_weights=False,
            is_causal=is_causal,
        )[0]
        return self.dropout1(out)

    def _ff_block(self, x: Any) -> Any:
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))


class TransformerEncoder(Module):
    """``num_layers`` copies of ``encoder_layer`` in sequence, then the optional ``norm``.

    The copies are deep copies, as torch's, so they start equal and train apart.

    >>> import chainrule as cr
    >>> layer = cr.nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, generator=0)
    >>> cr.nn.TransformerEncoder(layer, num_layers=2)(cr.ones(5, 3, 8)).shape
    chainrule.Size([5, 3, 8])
    """

    def __init__(
        self,
        encoder_layer: TransformerEncoderLayer,
        num_layers: int,
        norm: Module | None = None,
        enable_nested_tensor: bool = True,
        mask_check: bool = True,
    ) -> None:
        super().__init__()
        self.layers = ModuleList([copy.deepcopy(encoder_layer) for _ in range(num_layers)])
        self.num_layers = num_layers
        self.norm = norm

    def forward(
        self,
        src: Any,
        mask: Any = None,
        src_key_padding_mask: Any = None,
        is_causal: bool | None = None,
    ) -> Any:
        output = src
        for layer in self.layers:
            output = layer(
                output,
                src_mask=mask,
                src_key_padding_mask=src_key_padding_mask,
                is_causal=bool(is_causal),
            )
        return output if self.norm is None else self.norm(output)
