"""A Sigmoid under the student's own Layer base with __call__ and extra methods."""

import numpy as np


class Layer:
    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def parameters(self):
        return []


class Sigmoid(Layer):
    def forward(self, inputs: np.ndarray) -> np.ndarray:
        self.output = 0.5 * (1 + np.tanh(inputs / 2))
        return self.output

    def backward(self, grad: np.ndarray) -> np.ndarray:
        s = self.output
        return np.multiply(grad, s * (1.0 - s))

    def __repr__(self):
        return "Sigmoid()"


EXPECT = {"subject": "Sigmoid", "like": "Sigmoid", "ok": True}
