"""No epsilon at all: log(0) for a saturated sigmoid."""

import numpy as np


class BCELoss:
    def forward(self, inputs, targets):
        self.grad = (inputs - targets) / (inputs * (1 - inputs)) / len(inputs)
        return -np.mean(targets * np.log(inputs) + (1 - targets) * np.log(1 - inputs))

    def backward(self):
        return self.grad


EXPECT = {
    "subject": "BCELoss",
    "like": "BCELoss",
    "ok": False,
    "en": "gives NaN for a perfect prediction (",
    "diagnoses": {"forward": "bce_log0"},
    "ja": "完全に正しい予測（targets が 1 のところで inputs がち",
}
