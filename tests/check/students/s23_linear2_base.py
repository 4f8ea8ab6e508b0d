"""A base class of the student's own holds update(); alpha a class attribute."""

import numpy as np


class Layer:
    alpha = 0.1
    names = ("theta",)

    def update(self):
        for name in self.names:
            setattr(self, name, getattr(self, name) - self.alpha * getattr(self, "grad_" + name))

    def describe(self):
        return f"{type(self).__name__} with {self.names}"


class Linear2(Layer):
    def __init__(self):
        self.theta = np.random.default_rng(1).normal(size=(1, 2))
        self.grad_theta = None

    def forward(self, inputs):
        print("forward", inputs.shape)
        self.inputs = inputs.astype(np.float64)
        return self.inputs @ self.theta.T

    def backward(self, grad):
        self.grad_theta = (self.inputs.T @ grad).T
        return grad @ self.theta


EXPECT = {"subject": "Linear2", "like": "Linear2", "ok": True}
