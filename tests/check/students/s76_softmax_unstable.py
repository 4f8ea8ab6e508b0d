"""No max subtracted: exp overflows for large logits."""

import numpy as np


class SoftmaxWithLoss:
    def forward(self, x, t):
        self.t = t
        self.y = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
        return -np.sum(t * np.log(self.y + 1e-12)) / len(x)

    def backward(self, dout=1):
        return (self.y - self.t) / len(self.t)


EXPECT = {
    "subject": "SoftmaxWithLoss",
    "like": "SoftmaxWithLoss",
    "ok": False,
    "en": "returns NaN for large inputs (such a",
    "diagnoses": {"forward": "nan_for_large"},
    "ja": "大きな入力（1000.85 など）に対して NaN を返しています（入力",
}
