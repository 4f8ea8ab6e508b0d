"""nn.NLLLoss2d: torch's old name for NLLLoss on (N, C, H, W) log-probabilities; it warns
(FutureWarning, torch's text) and is NLLLoss otherwise."""

from __future__ import annotations

import warnings
from typing import Any

from .loss import NLLLoss


class NLLLoss2d(NLLLoss):
    """NLLLoss under its deprecated name; NLLLoss already takes (N, C, d1, ...) inputs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        warnings.warn(
            "`NLLLoss2d` has been deprecated. Please use `NLLLoss` instead as a drop-in "
            "replacement and see https://pytorch.org/docs/main/nn.html#torch.nn.NLLLoss for "
            "more details.",
            FutureWarning,
            stacklevel=2,
        )
        super().__init__(*args, **kwargs)
