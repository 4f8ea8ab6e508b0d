"""Softmax with loss written for labels or one-hot, via the log-sum-exp."""

import numpy as np


class SoftmaxWithLoss:
    def forward(self, x, t):
        t = np.asarray(t)
        labels = t.argmax(axis=1) if t.ndim == 2 else t
        m = x.max(axis=1, keepdims=True)
        log_y = x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))
        self.y = np.exp(log_y)
        self.onehot = np.eye(x.shape[1])[labels]
        return -log_y[np.arange(len(x)), labels].mean()

    def backward(self, dout=1):
        return dout * (self.y - self.onehot) / len(self.y)


EXPECT = {"subject": "SoftmaxWithLoss", "like": "SoftmaxWithLoss", "ok": True}
