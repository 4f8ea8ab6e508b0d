"""LogSoftmax with the log-sum-exp, and its backward."""

import numpy as np


class LogSoftmax:
    def forward(self, x):
        m = x.max(axis=1, keepdims=True)
        self.out = x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))
        return self.out

    def backward(self, grad):
        return grad - np.exp(self.out) * grad.sum(axis=1, keepdims=True)


EXPECT = {"subject": "LogSoftmax", "like": "LogSoftmax", "ok": True}
