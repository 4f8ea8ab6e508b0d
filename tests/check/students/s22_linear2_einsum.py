"""einsum for both products."""

import numpy as np


class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = np.random.default_rng(0).random((1, 2))
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs):
        self.inputs = inputs
        return np.einsum("nk,ok->no", inputs, self.theta)

    def backward(self, grad):
        self.grad_theta = np.einsum("no,nk->ok", grad, self.inputs)
        return np.einsum("no,ok->nk", grad, self.theta)

    def update(self):
        self.theta -= self.alpha * self.grad_theta


EXPECT = {"subject": "Linear2", "like": "Linear2", "ok": True}
