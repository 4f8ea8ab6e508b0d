"""Explicit randomness: every random thing takes a Generator or a seed, never NumPy's global RNG."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator, Union

import numpy as np
from .errors import ArgumentError

SeedLike = Union[int, np.random.Generator, "Generator", None]

_default = np.random.default_rng(0)
_initial_seed = 0


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the library's default generator, as torch.manual_seed does; returns it."""
    global _default, _initial_seed
    _initial_seed = _seed_value(seed, "manual_seed")
    _default = np.random.default_rng(_initial_seed)
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
    if isinstance(seed, Generator):
        return seed.numpy_generator
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return np.random.default_rng(_seed_value(seed, "as_generator"))
    raise TypeError(
        f"as_generator: expected an int seed, a chainrule.Generator, a numpy.random.Generator "
        f"or None, "
        f"got {type(seed).__name__}."
    )


def get_rng_state() -> Any:
    """The default generator's state as a uint8 Tensor (torch's ByteTensor), so a checkpoint can
    save it and ``set_rng_state`` resume the same random stream."""
    from .autograd.tensor import Tensor

    return Tensor._wrap(_state_bytes(_default.bit_generator.state))


def set_rng_state(new_state: Any) -> None:
    """Restore a state from ``get_rng_state`` (a uint8 Tensor, or the dict of older checkpoints)."""
    _default.bit_generator.state = _state_dict(new_state, "set_rng_state")


_STATE_BYTES = 37  # PCG64: 16 state, 16 increment, 1 has_uint32, 4 uinteger


def _state_bytes(state: dict) -> np.ndarray:
    parts = (
        state["state"]["state"].to_bytes(16, "little"),
        state["state"]["inc"].to_bytes(16, "little"),
        int(state["has_uint32"]).to_bytes(1, "little"),
        int(state["uinteger"]).to_bytes(4, "little"),
    )
    return np.frombuffer(b"".join(parts), dtype=np.uint8).copy()


def _state_dict(state: Any, who: str) -> dict:
    if isinstance(state, dict):
        return state
    array = np.asarray(state)
    if array.dtype != np.uint8 or array.shape != (_STATE_BYTES,):
        raise TypeError(
            f"{who}: expected the uint8 tensor of {_STATE_BYTES} bytes get_rng_state gives, got "
            f"dtype {array.dtype}, shape {array.shape}."
        )
    raw = array.tobytes()
    return {
        "bit_generator": "PCG64",
        "state": {
            "state": int.from_bytes(raw[:16], "little"),
            "inc": int.from_bytes(raw[16:32], "little"),
        },
        "has_uint32": raw[32],
        "uinteger": int.from_bytes(raw[33:], "little"),
    }


@contextlib.contextmanager
def fork_rng(
    devices: Any = None,
    enabled: bool = True,
    _caller: str = "fork_rng",
    _devices_kw: str = "devices",
    device_type: Any = None,
) -> Iterator[None]:
    """Draw freely inside; on leaving, the default generator is back where it was."""
    if not enabled:
        yield
        return
    saved = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(saved)


class Generator:
    """torch.Generator: a seedable stream of random numbers, accepted as ``generator=``.

    It holds a NumPy Generator (``.numpy_generator``); chainrule draws from that, so the
    numbers differ from torch's for the same seed, but runs are reproducible.
    """

    def __init__(self, device: str = "cpu") -> None:
        self._seed = 67280421310721  # torch's documented default seed
        self.numpy_generator = np.random.default_rng(self._seed)

    def manual_seed(self, seed: int) -> "Generator":
        self._seed = _seed_value(seed, "Generator.manual_seed")
        self.numpy_generator = np.random.default_rng(self._seed)
        return self

    def initial_seed(self) -> int:
        return self._seed

    def get_state(self) -> Any:
        """A uint8 Tensor, as torch's Generator.get_state gives."""
        from .autograd.tensor import Tensor

        return Tensor._wrap(_state_bytes(self.numpy_generator.bit_generator.state))

    def set_state(self, new_state: Any) -> "Generator":
        self.numpy_generator.bit_generator.state = _state_dict(new_state, "Generator.set_state")
        return self


def seed() -> int:
    """Reseed the default generator from fresh entropy and return the seed (torch.seed)."""
    fresh = int(np.random.SeedSequence().entropy % (2**63))
    manual_seed(fresh)
    return fresh


def initial_seed() -> int:
    return _initial_seed


def _seed_value(seed: Any, who: str) -> int:
    """torch's seed range, [-2**63, 2**64 - 1]; a negative seed wraps to 2**64 + seed, as in torch."""
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"{who}: expected an int seed, got {type(seed).__name__}.")
    seed = int(seed)
    if not -(2**63) <= seed < 2**64:
        raise ArgumentError(f"{who}: expected a seed in [-2**63, 2**64 - 1], got {seed}.")
    return seed % 2**64
