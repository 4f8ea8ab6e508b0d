"""backward indexes a column that the (N, 1) gradient does not have."""

import numpy as np


class Linear2:
    def __init__(self, alpha=0.1):
        self.theta = np.array([[0.4, -0.7]])
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = inputs
        return inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = np.array(
            [[grad[:, 0] @ self.inputs[:, 0], grad[:, 1] @ self.inputs[:, 1]]]
        )
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {
    "subject": "Linear2",
    "like": "Linear2",
    "ok": False,
    "en": "raised IndexError: index 1 is out of",
    "diagnoses": {"backward": "raised"},
    "ja": "実行中にエラーが発生しました: IndexError: index 1",
}
