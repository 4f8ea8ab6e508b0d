"""Ready-made models for the command line: a multilayer perceptron and a linear model."""

from __future__ import annotations

from typing import Any, Sequence

from . import nn
from .random import SeedLike, as_generator

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "gelu": nn.GELU,
               "elu": nn.ELU, "leaky_relu": nn.LeakyReLU}


def mlp(in_features: int, out_features: int, hidden: Sequence[int] = (128,), activation: str = "relu",
        dropout: float = 0.0, batch_norm: bool = False, dtype: Any = None,
        generator: SeedLike = None) -> nn.Sequential:
    """Linear -> [BatchNorm] -> activation -> [Dropout], once per hidden width, then a Linear head.

    With ``hidden=()`` it is a linear model: linear or logistic regression, by the loss.
    ``generator`` draws the initial weights; dropout masks come from the library generator
    (``manual_seed``), whose state a checkpoint can save and restore.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"mlp: expected activation in {sorted(ACTIVATIONS)}, got {activation!r}.")
    rng = as_generator(generator)
    layers: list[nn.Module] = []
    width = in_features
    for size in hidden:
        layers.append(nn.Linear(width, size, dtype=dtype, generator=rng))
        if batch_norm:
            layers.append(nn.BatchNorm1d(size, dtype=dtype))
        layers.append(ACTIVATIONS[activation]())
        if dropout:
            layers.append(nn.Dropout(dropout))  # masks from the library generator, saved in checkpoints
        width = size
    layers.append(nn.Linear(width, out_features, dtype=dtype, generator=rng))
    return nn.Sequential(*layers)
