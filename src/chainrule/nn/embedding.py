"""Embedding: a learnable table of vectors looked up by integer index."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from .._checks import fail_count, fail_shape, fail_value, message
from ..errors import ArgumentAssertionError, ShapeAssertionError
from ..device import check_device
from ..dtypes import resolve_float
from ..functional.embedding_bag import MODES
from ..random import SeedLike
from . import init
from .module import Module
from .parameter import Parameter


class Embedding(Module):
    """Rows of weight (num_embeddings, embedding_dim) ~ N(0, 1), as torch initialises them."""

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
        _weight: Any = None,
        _freeze: bool = False,
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        super().__init__()
        who = f"Embedding({num_embeddings!r}, {embedding_dim!r})"
        for name, size in (("num_embeddings", num_embeddings), ("embedding_dim", embedding_dim)):
            if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 0:
                fail_count(who, f"{name} a whole number >= 0", size)
        # torch's own range for padding_idx; outside it the row written below would be another one, or none
        if padding_idx is not None and not -num_embeddings <= padding_idx < num_embeddings:
            raise ArgumentAssertionError(  # torch asserts it
                message(
                    who,
                    f"padding_idx in [{-num_embeddings}, {num_embeddings - 1}]",
                    repr(padding_idx),
                )
            )
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        if padding_idx is not None and padding_idx < 0:
            padding_idx += num_embeddings
        self.padding_idx = padding_idx
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse  # (dense gradients)
        check_device(device, who)
        self.weight = _table(
            who, num_embeddings, embedding_dim, padding_idx, _weight, _freeze, dtype, generator
        )

    def forward(self, indices: Any) -> Any:
        return F.embedding(
            indices,
            self.weight,
            self.padding_idx,
            self.max_norm,
            self.norm_type,
            self.scale_grad_by_freq,
            self.sparse,
        )

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            text += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq:
            text += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        return text + (", sparse=True" if self.sparse else "")

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Any,
        freeze: bool = True,
        padding_idx: int | None = None,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        sparse: bool = False,
    ) -> Embedding:
        """An Embedding whose weight is ``embeddings`` itself (memory shared, as torch), frozen
        unless ``freeze=False``; no row is zeroed for ``padding_idx``, and no random draw made."""
        rows, cols = _pretrained_shape("Embedding.from_pretrained", embeddings)
        return cls(
            rows,
            cols,
            padding_idx,
            max_norm,
            norm_type,
            scale_grad_by_freq,
            sparse,
            _weight=embeddings,
            _freeze=freeze,
        )


def _pretrained_shape(who: str, embeddings: Any) -> tuple:
    if getattr(embeddings, "ndim", None) != 2:
        fail_shape(
            who, "a 2-D embeddings tensor", f"shape {tuple(getattr(embeddings, 'shape', ()))}"
        )
    return tuple(embeddings.shape)


def _table(
    who: str,
    rows: int,
    cols: int,
    padding_idx: Any,
    weight: Any,
    freeze: bool,
    dtype: Any,
    generator: SeedLike,
) -> Parameter:
    """The weight: a given tensor, shared; else N(0, 1) draws with the padding row zeroed."""
    if weight is not None:
        if tuple(weight.shape) != (rows, cols):
            # torch asserts it: both errors' classes
            raise ShapeAssertionError(
                message(who, f"_weight of shape ({rows}, {cols})", f"{tuple(weight.shape)}")
            )
        return Parameter(weight, requires_grad=not freeze)
    table = Parameter(np.empty((rows, cols), dtype=resolve_float(dtype, who)))
    init.normal_(table, generator=generator)
    if padding_idx is not None:
        table._data[padding_idx] = 0
    return table


class EmbeddingBag(Module):
    """Bags of rows of a weight (num_embeddings, embedding_dim), each reduced by ``mode``
    ('sum', 'mean' or 'max') to one vector; forward(input, offsets=None, per_sample_weights=None)
    as torch's, the text-classification tutorial's model.

    >>> import chainrule as cr
    >>> bag = EmbeddingBag(10, 3, mode="sum")
    >>> tuple(bag(cr.tensor([1, 2, 4, 5, 4]), cr.tensor([0, 2])).shape)
    (2, 3)
    """

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        mode: str = "mean",
        sparse: bool = False,
        _weight: Any = None,
        include_last_offset: bool = False,
        padding_idx: int | None = None,
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
        _freeze: bool = False,
    ) -> None:
        super().__init__()
        who = f"EmbeddingBag({num_embeddings!r}, {embedding_dim!r})"
        if mode not in MODES:
            fail_value(who, "mode 'sum', 'mean' or 'max'", repr(mode))
        if padding_idx is not None and not -num_embeddings <= padding_idx < num_embeddings:
            raise ArgumentAssertionError(  # torch asserts it
                message(
                    who,
                    f"padding_idx in [{-num_embeddings}, {num_embeddings - 1}]",
                    repr(padding_idx),
                )
            )
        if padding_idx is not None and padding_idx < 0:
            padding_idx += num_embeddings
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.mode, self.sparse = scale_grad_by_freq, mode, sparse
        self.include_last_offset, self.padding_idx = include_last_offset, padding_idx
        check_device(device, who)
        self.weight = _table(
            who, num_embeddings, embedding_dim, padding_idx, _weight, _freeze, dtype, generator
        )

    def forward(self, input: Any, offsets: Any = None, per_sample_weights: Any = None) -> Any:  # noqa: A002
        return F.embedding_bag(
            input,
            self.weight,
            offsets,
            self.max_norm,
            self.norm_type,
            self.scale_grad_by_freq,
            self.mode,
            self.sparse,
            per_sample_weights,
            self.include_last_offset,
            self.padding_idx,
        )

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            text += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            text += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq:
            text += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        text += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            text += f", padding_idx={self.padding_idx}"
        return text

    @classmethod
    def from_pretrained(
        cls,
        embeddings: Any,
        freeze: bool = True,
        max_norm: float | None = None,
        norm_type: float = 2.0,
        scale_grad_by_freq: bool = False,
        mode: str = "mean",
        sparse: bool = False,
        include_last_offset: bool = False,
        padding_idx: int | None = None,
    ) -> EmbeddingBag:
        """An EmbeddingBag over ``embeddings`` itself (shared), frozen unless ``freeze=False``."""
        rows, cols = _pretrained_shape("EmbeddingBag.from_pretrained", embeddings)
        return cls(
            rows,
            cols,
            max_norm,
            norm_type,
            scale_grad_by_freq,
            mode,
            sparse,
            _weight=embeddings,
            include_last_offset=include_last_offset,
            padding_idx=padding_idx,
            _freeze=freeze,
        )
