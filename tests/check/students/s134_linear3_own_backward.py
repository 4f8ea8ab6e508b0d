"""Linear3 overriding backward to return only the gradient of its own inputs (N, 2)."""

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
        self.grad_theta = grad.T @ self.inputs
        return grad @ self.theta

    def update(self):
        self.theta -= self.alpha * self.grad_theta


class Linear3(Linear2):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.theta = np.append(self.theta, [[0.5]], axis=1)

    def forward(self, inputs):
        n = np.shape(inputs)[0]
        self.inputs = np.concatenate([np.ones((n, 1)), inputs], axis=1)
        return super().forward(self.inputs)

    def backward(self, grad):
        return super().backward(grad)[:, 1:]


EXPECT = {
    "subject": "Linear3",
    "like": "Linear3",
    "ok": True,
}
