"""CTCLoss: the layer over ``functional.ctc_loss``."""

from __future__ import annotations

from typing import Any

from ..functional.ctc import ctc_loss
from .loss import _Loss


class CTCLoss(_Loss):
    """torch.nn.CTCLoss(blank=0, reduction='mean', zero_infinity=False); forward(log_probs,
    targets, input_lengths, target_lengths), log_probs (T, N, C) from log_softmax.

    >>> import numpy as np, chainrule as cr
    >>> lp = cr.tensor(np.log(np.full((3, 1, 2), 0.5)))
    >>> float(cr.nn.CTCLoss()(lp, cr.tensor([[1]]), [3], [1]))
    0.2876820724517809
    """

    def __init__(self, blank: int = 0, reduction: str = "mean", zero_infinity: bool = False):
        super().__init__(reduction=reduction)
        self.blank, self.zero_infinity = blank, zero_infinity

    def forward(self, log_probs: Any, targets: Any, input_lengths: Any, target_lengths: Any) -> Any:
        return ctc_loss(
            log_probs, targets, input_lengths, target_lengths, self.blank, self.reduction,
            self.zero_infinity,
        )  # fmt: skip
