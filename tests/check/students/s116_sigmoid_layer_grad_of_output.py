"""Sigmoid backward passes its output to sigmoid_grad, which applies the sigmoid again."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    return sigmoid(x) * (1 - sigmoid(x))


class Sigmoid:
    def __init__(self):
        self.output = None

    def forward(self, inputs):
        self.output = sigmoid(inputs)
        return self.output

    def backward(self, grad):
        return grad * sigmoid_grad(self.output)


EXPECT = {
    "subject": "Sigmoid",
    "like": "Sigmoid",
    "ok": False,
    "en": "is grad * f(y) (1 - f(y)) with y = f",
    "diagnoses": {"backward": "sigmoid_of_output"},
    "ja": "出力 y = f(x) にもう一度シグモイドをかけて gra",
}
