"""Explicit randomness: every random thing takes a Generator or a seed, never NumPy's global RNG."""

from __future__ import annotations

from typing import Union

import numpy as np

SeedLike = Union[int, np.random.Generator, None]

_default = np.random.default_rng(0)


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the library's default generator, as torch.manual_seed does; returns it."""
    global _default
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"manual_seed: expected an int seed, got {type(seed).__name__}.")
    _default = np.random.default_rng(int(seed))
    return _default


def default_generator() -> np.random.Generator:
    """The generator used when none is passed; reseed it with manual_seed."""
    return _default


def as_generator(seed: SeedLike = None) -> np.random.Generator:
    """Turn a seed, a Generator or None (the library default) into a Generator."""
    if seed is None:
        return _default
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return np.random.default_rng(int(seed))
    raise TypeError(
        f"as_generator: expected an int seed, a numpy.random.Generator or None, "
        f"got {type(seed).__name__}."
    )


def get_rng_state() -> dict:
    """The default generator's state, so a checkpoint can resume the same random stream."""
    return _default.bit_generator.state


def set_rng_state(state: dict) -> None:
    _default.bit_generator.state = state
