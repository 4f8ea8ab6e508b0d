"""Section 1.1's line with a and b unpacked from a tuple and np.polyval."""

import numpy as np


class Linear:
    def __init__(self, a_init: float, b_init: float):
        self.a, self.b = float(a_init), float(b_init)

    def forward(self, x):
        return np.polyval([self.a, self.b], x)


EXPECT = {
    "subject": "Linear",
    "build": {"a_init": 2, "b_init": 3},
    "like": "Linear",
    "ok": True,
}
