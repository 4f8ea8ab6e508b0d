"""AdaptiveLogSoftmaxWithLoss: a softmax over many classes that spends little on rare ones.

Frequent classes (below cutoffs[0]) and one token per cluster of rarer classes share the head;
a class in cluster i has log p = log p_head(cluster i) + log p_cluster_i(class), the cluster's
softmax fed by a projection that shrinks by div_value per cluster (Grave et al., 2017).
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import numpy as np

from .. import functional as F
from .._checks import fail_shape, fail_value, shape_str
from ..autograd.factories import zeros
from ..autograd.tensor import Tensor
from ..cpugraph.capture import refuse_frozen_target
from ..device import check_device
from ..errors import ShapeError
from ..functional.index_extras import index_copy
from .container import ModuleList, Sequential
from .linear import Linear
from .module import Module

_ASMoutput = namedtuple("_ASMoutput", ["output", "loss"])


class AdaptiveLogSoftmaxWithLoss(Module):
    """torch.nn.AdaptiveLogSoftmaxWithLoss: forward(input (N, in_features), target (N,)) gives
    (output, loss), output[n] the log-probability of target[n] and loss the mean of -output.

    >>> import chainrule as cr
    >>> asm = cr.nn.AdaptiveLogSoftmaxWithLoss(8, 10, cutoffs=[4])
    >>> asm(cr.randn(3, 8), cr.tensor([0, 5, 9])).output.shape
    chainrule.Size([3])
    """

    def __init__(
        self,
        in_features: int,
        n_classes: int,
        cutoffs: Any,
        div_value: float = 4.0,
        head_bias: bool = False,
        device: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        who = f"AdaptiveLogSoftmaxWithLoss({in_features}, {n_classes})"
        cutoffs = list(cutoffs)
        if not cutoffs:
            fail_value(who, "cutoffs, a sequence of length larger than 0", "[]")
        if (
            cutoffs != sorted(cutoffs)
            or min(cutoffs) <= 0
            or max(cutoffs) > n_classes - 1
            or len(set(cutoffs)) != len(cutoffs)
            or any(int(c) != c for c in cutoffs)
        ):
            fail_value(
                who,
                "cutoffs, unique increasing integers each between 1 and n_classes - 1",
                repr(cutoffs),
            )
        self.in_features, self.n_classes = in_features, n_classes
        self.cutoffs = [int(c) for c in cutoffs] + [n_classes]
        self.div_value, self.head_bias = div_value, head_bias
        self.shortlist_size = self.cutoffs[0]
        self.n_clusters = len(self.cutoffs) - 1
        self.head_size = self.shortlist_size + self.n_clusters
        check_device(device, "AdaptiveLogSoftmaxWithLoss")
        kw = {"dtype": dtype}
        self.head = Linear(in_features, self.head_size, bias=head_bias, **kw)
        self.tail = ModuleList()
        for i in range(self.n_clusters):
            hidden = int(in_features // (div_value ** (i + 1)))
            size = self.cutoffs[i + 1] - self.cutoffs[i]
            self.tail.append(
                Sequential(
                    Linear(in_features, hidden, bias=False, **kw),
                    Linear(hidden, size, bias=False, **kw),
                )
            )

    def reset_parameters(self) -> None:
        self.head.reset_parameters()
        for projection in self.tail:
            for layer in projection:
                layer.reset_parameters()

    def forward(self, input_: Any, target_: Any) -> _ASMoutput:
        who = type(self).__name__
        refuse_frozen_target(who)  # the rows of each cluster are picked in Python, once
        if target_.ndim == 1:
            if input_.ndim != 2 or input_.shape[0] != target_.shape[0]:
                fail_shape(who, f"input (N, {self.in_features}) and target (N,)",
                           f"{shape_str(input_.shape)} and {shape_str(target_.shape)}")  # fmt: skip
        elif target_.ndim != 0 or input_.ndim != 1:
            fail_shape(who, "a 1-d target with 2-d input, or a 0-d target with 1-d input",
                       f"{shape_str(input_.shape)} and {shape_str(target_.shape)}")  # fmt: skip
        batched = target_.ndim > 0
        x = input_ if batched else input_.unsqueeze(0)
        labels = np.asarray(target_._data if batched else target_._data.reshape(1))
        labels = labels.astype(np.int64)
        if labels.size and (labels.min() < 0 or labels.max() >= self.n_classes):
            raise ShapeError(
                f"{who}: expected target values in [0, {self.n_classes - 1}], got values in "
                f"[{labels.min()}, {labels.max()}]."
            )
        output = zeros(labels.shape[0], dtype=x.dtype)
        head_index = labels.copy()
        bounds = [0, *self.cutoffs]
        for i in range(1, len(bounds) - 1):
            rows = np.flatnonzero((labels >= bounds[i]) & (labels < bounds[i + 1]))
            if rows.size == 0:
                continue
            head_index[rows] = self.shortlist_size + i - 1
            rows_t = Tensor._wrap(rows)
            cluster = F.log_softmax(self.tail[i - 1](x.index_select(0, rows_t)), dim=1)
            relative = Tensor._wrap((labels[rows] - bounds[i])[:, None])
            output = index_copy(output, 0, rows_t, cluster.gather(1, relative).squeeze(1))
        head = F.log_softmax(self.head(x), dim=1)
        output = output + head.gather(1, Tensor._wrap(head_index[:, None])).squeeze(1)
        loss = (-output).mean()
        return _ASMoutput(output if batched else output.squeeze(0), loss)

    def _full_log_prob(self, x: Any, head_output: Any) -> Any:
        head = F.log_softmax(head_output, dim=1)
        parts = [head[:, : self.shortlist_size]]
        for i in range(self.n_clusters):
            cluster = F.log_softmax(self.tail[i](x), dim=1)
            parts.append(cluster + head[:, self.shortlist_size + i].unsqueeze(1))
        return F.cat(parts, dim=1)

    def log_prob(self, input: Any) -> Any:  # noqa: A002
        """log p of every class, (N, n_classes) (or (n_classes,) for one sample)."""
        batched = input.ndim == 2
        x = input if batched else input.unsqueeze(0)
        out = self._full_log_prob(x, self.head(x))
        return out if batched else out.squeeze(0)

    def predict(self, input: Any) -> Any:  # noqa: A002
        """The most likely class per row; the clusters are evaluated only where the head's
        best entry is a cluster token, the shortlist answers the rest."""
        batched = input.ndim == 2
        x = input if batched else input.unsqueeze(0)
        head_output = self.head(x)
        best = head_output.argmax(dim=1)
        outside = best._data >= self.shortlist_size
        if outside.any():
            rows = Tensor._wrap(np.flatnonzero(outside))
            sub = self._full_log_prob(x.index_select(0, rows), head_output.index_select(0, rows))
            best = best.clone()
            best._data[outside] = sub.argmax(dim=1)._data
        return best if batched else best.squeeze(0)
