"""MSELoss keeping its gradient in a dict."""

import numpy as np


class MSELoss:
    def __init__(self):
        self.cache = {}

    def forward(self, inputs, targets):
        self.cache["grad"] = 2.0 * (inputs - targets) / inputs.shape[0]
        return np.mean((inputs - targets) ** 2)

    def backward(self):
        return self.cache["grad"]


EXPECT = {"subject": "MSELoss", "like": "MSELoss", "ok": True}
