"""MSELoss with keyword-only inputs and targets."""

import numpy as np


class MSELoss:
    def forward(self, *, inputs, targets):
        self.grad = 2 * (inputs - targets) / len(inputs)
        return np.mean((inputs - targets) ** 2)

    def backward(self):
        return self.grad


EXPECT = {"subject": "MSELoss", "like": "MSELoss", "ok": True}
