"""Ready-made models for the command line: a multilayer perceptron, a linear model and a small CNN."""

from __future__ import annotations

from typing import Any, Sequence

from . import nn
from .random import SeedLike, as_generator

ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "gelu": nn.GELU,
    "elu": nn.ELU,
    "leaky_relu": nn.LeakyReLU,
}


def mlp(
    in_features: int,
    out_features: int,
    hidden: Sequence[int] = (128,),
    activation: str = "relu",
    dropout: float = 0.0,
    batch_norm: bool = False,
    dtype: Any = None,
    generator: SeedLike = None,
) -> nn.Sequential:
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
            layers.append(
                nn.Dropout(dropout)
            )  # masks from the library generator, saved in checkpoints
        width = size
    layers.append(nn.Linear(width, out_features, dtype=dtype, generator=rng))
    return nn.Sequential(*layers)


def cnn(
    image_shape: Sequence[int],
    num_classes: int,
    channels: Sequence[int] = (32, 64),
    hidden: int = 128,
    dropout: float = 0.0,
    batch_norm: bool = False,
    dtype: Any = None,
    generator: SeedLike = None,
) -> nn.Sequential:
    """A small LeNet-like CNN that takes flat rows: per width in ``channels``, a 3x3 convolution
    (padding 1) -> [BatchNorm2d] -> ReLU -> 2x2 max-pool; then Linear(hidden) -> ReLU ->
    [Dropout] -> Linear(num_classes).

    ``image_shape`` is (C, H, W); the rows are unflattened to it first, so the same data
    loaders feed an MLP and a CNN. 8x8 digits become 2x2 maps of 64 channels, 28x28 MNIST 7x7.

    >>> import numpy as np, chainrule as cr
    >>> from chainrule.models import cnn
    >>> model = cnn((1, 8, 8), 10, dtype=np.float32, generator=0)
    >>> model(cr.zeros(5, 64, dtype=np.float32)).shape
    chainrule.Size([5, 10])
    """
    c, h, w = (int(n) for n in image_shape)
    rng = as_generator(generator)
    layers: list[nn.Module] = [nn.Unflatten(1, (c, h, w))]
    for width in channels:
        if min(h, w) < 2:
            raise ValueError(
                f"cnn(image_shape={tuple(image_shape)}, channels={tuple(channels)}): expected an "
                f"image large enough for {len(channels)} 2x2 poolings, got {h}x{w} before this one."
            )
        layers.append(nn.Conv2d(c, width, 3, padding=1, dtype=dtype, generator=rng))
        if batch_norm:
            layers.append(nn.BatchNorm2d(width, dtype=dtype))
        layers += [nn.ReLU(), nn.MaxPool2d(2)]
        c, h, w = width, h // 2, w // 2
    layers += [nn.Flatten(), nn.Linear(c * h * w, hidden, dtype=dtype, generator=rng), nn.ReLU()]
    if dropout:
        layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(hidden, num_classes, dtype=dtype, generator=rng))
    return nn.Sequential(*layers)


def image_shape(num_features: int, dataset: str) -> tuple[int, int, int]:
    """(C, H, W) for flat rows: digits is 8x8, MNIST 28x28, any square count of pixels one channel."""
    side = int(round(num_features**0.5))
    if side * side != num_features:
        raise ValueError(
            f"cnn: expected images with a square number of pixels, got {num_features} features "
            f"in {dataset!r}.\nHint: the CNN is for image data such as digits or MNIST; use --model mlp."
        )
    return 1, side, side
