"""forward adds to what the previous call returned."""

import numpy as np


class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.random.default_rng(0).random((1, 2))
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = inputs
        self.out = getattr(self, "out", 0) + inputs @ self.theta.T
        return self.out

    def backward(self, grad):
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "en": "returns other values when called twi",
    "diagnoses": {"forward": "forward_remembers"},
    "ja": "同じ入力で 2 回呼ぶと違う値を返します。前の呼び出しの結果（self",
}
