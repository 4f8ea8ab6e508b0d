"""The CNN of W5 and W6, built once for chainrule and PyTorch from the same weights.

conv 3x3 (1 -> 16, padding 1) -> ReLU -> conv 3x3 (16 -> 32, padding 1) -> ReLU -> max-pool 2
-> flatten -> linear (32 (side / 2)^2 -> 10), in float32.
"""

import numpy as np

SHAPES = [
    ("0.weight", (16, 1, 3, 3)),
    ("0.bias", (16,)),
    ("2.weight", (32, 16, 3, 3)),
    ("2.bias", (32,)),
]


def weights(side: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """torch's default init bounds, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), drawn once for both."""
    shapes = SHAPES + [("6.weight", (10, 32 * (side // 2) ** 2)), ("6.bias", (10,))]
    state, fan_in = {}, 1
    for name, shape in shapes:
        if name.endswith("weight"):
            fan_in = int(np.prod(shape[1:]))
        bound = 1 / np.sqrt(fan_in)
        state[name] = rng.uniform(-bound, bound, shape).astype(np.float32)
    return state


def small_cnn(lib, state: dict[str, np.ndarray], side: int):
    """``lib`` is torch or chainrule: the same five lines build the same network."""
    nn = lib.nn
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * (side // 2) ** 2, 10),
    ).float()
    model.load_state_dict({k: lib.tensor(v) for k, v in state.items()})
    return model
