"""MSELoss taking **kwargs, as the notebook always calls it by keyword, with a keepdims mean."""

import numpy as np


class MSELoss:
    def __init__(self):
        self.grad = None

    def forward(self, **kwargs):
        y, t = kwargs["inputs"], kwargs["targets"]
        self.grad = 2.0 * (y - t) / y.size
        return np.square(y - t).mean(keepdims=True)

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "MSELoss",
    "like": "MSELoss",
    "ok": True,
}
