"""forward queues its inputs and backward takes the oldest: right only if each forward is followed by its backward."""

import numpy as np


class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.random.default_rng(0).random((1, 2))
        self.queue = []
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.queue.append(inputs)
        return inputs @ self.theta.T

    def backward(self, grad):
        inputs = self.queue.pop(0)
        self.grad_theta = grad.T @ inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "en": "returns what an earlier call compute",
    "diagnoses": {"grad_theta": "stale_value"},
    "ja": "今回の入力からではなく、前の呼び出しで計算した値を返していま",
}
