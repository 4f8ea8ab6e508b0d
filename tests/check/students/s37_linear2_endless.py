"""backward loops over the rows with a counter it never increases."""

import numpy as np


class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.random.default_rng(0).random((1, 2))
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.theta.T

    def backward(self, grad):
        rows = []
        i = 0
        while i < len(grad):
            rows.append(grad[i] * self.inputs[i])
        self.grad_theta = np.sum(rows, axis=0, keepdims=True)
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "time_limit": 2,
    "en": "did not finish within 2 s, so check(",
    "diagnoses": {"backward()": "timed_out"},
    "ja": "2 秒たっても終わらなかったので、check() が止めました（無限ルー",
}
