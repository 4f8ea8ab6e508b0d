"""Deterministic starting weights: the two libraries' RNGs differ, so programs copy them in."""

import numpy as np


def init_from_numpy(torch, model, seed: int = 0, scale: float = 0.3) -> None:
    """Overwrite every parameter of ``model`` from one numpy Generator, in named order."""
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for _, param in model.named_parameters():
            values = rng.standard_normal(tuple(param.shape)) * scale
            param.copy_(torch.from_numpy(values.astype(np.float32)))
