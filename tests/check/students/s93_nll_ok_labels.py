"""NLLLoss over class labels, mean over the batch."""

import numpy as np


class NLLLoss:
    def forward(self, inputs, targets):
        self.shape, self.t = inputs.shape, targets
        return -inputs[np.arange(len(inputs)), targets].mean()

    def backward(self):
        grad = np.zeros(self.shape)
        grad[np.arange(len(self.t)), self.t] = -1.0 / len(self.t)
        return grad


EXPECT = {"subject": "NLLLoss", "like": "NLLLoss", "ok": True}
