"""CrossEntropyLoss named as torch names it: softmax and NLL in one."""

import numpy as np


class CrossEntropyLoss:
    def forward(self, logits, t):
        z = logits - logits.max(axis=1, keepdims=True)
        self.p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        self.t = t
        return -np.mean(np.sum(t * np.log(self.p + 1e-12), axis=1))

    def backward(self):
        return (self.p - self.t) / self.t.shape[0]


EXPECT = {"subject": "CrossEntropyLoss", "like": "CrossEntropyLoss", "ok": True}
