"""Embedding: a learnable table of vectors looked up by integer index."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from .._checks import fail_value
from ..dtypes import resolve_float
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
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        super().__init__()
        who = f"Embedding({num_embeddings!r}, {embedding_dim!r})"
        for name, size in (("num_embeddings", num_embeddings), ("embedding_dim", embedding_dim)):
            if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 0:
                fail_value(who, f"{name} a whole number >= 0", repr(size))
        # torch's own range for padding_idx; outside it the row written below would be another one, or none
        if padding_idx is not None and not -num_embeddings <= padding_idx < num_embeddings:
            fail_value(
                who, f"padding_idx in [{-num_embeddings}, {num_embeddings - 1}]", repr(padding_idx)
            )
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        if padding_idx is not None and padding_idx < 0:
            padding_idx += num_embeddings
        self.padding_idx = padding_idx
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse  # (dense gradients)
        dtype = resolve_float(dtype, "Embedding")
        self.weight = Parameter(np.empty((num_embeddings, embedding_dim), dtype=dtype))
        init.normal_(self.weight, generator=generator)
        if padding_idx is not None:
            self.weight._data[padding_idx] = 0

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
        return f"{self.num_embeddings}, {self.embedding_dim}"
