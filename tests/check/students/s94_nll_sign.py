"""NLLLoss whose gradient forgot the minus of -log p."""

import numpy as np


class NLLLoss:
    def forward(self, inputs, targets):
        self.shape, self.t = inputs.shape, targets
        return -inputs[np.arange(len(inputs)), targets].mean()

    def backward(self):
        grad = np.zeros(self.shape)
        grad[np.arange(len(self.t)), self.t] = 1.0 / len(self.t)
        return grad


EXPECT = {
    "subject": "NLLLoss",
    "like": "NLLLoss",
    "ok": False,
    "en": "sign flipped (received = -1 x expect",
    "diagnoses": {"backward": "sign"},
    "ja": "符号が逆になっています（正しい値の -1 倍）",
}
