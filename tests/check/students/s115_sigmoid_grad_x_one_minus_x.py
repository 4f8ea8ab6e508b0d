"""sigmoid_grad written as x (1 - x): the derivative's formula on the pre-activation."""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_grad(x):
    return x * (1 - x)


EXPECT = {
    "subject": "sigmoid_grad",
    "derivative_of": "sigmoid",
    "like": None,
    "ok": False,
    "en": "returns x (1 - x) of its argument x;",
    "diagnoses": {"sigmoid_grad": "sigmoid_grad_of_x"},
    "ja": "引数 x で x(1 - x) を返しています。微分は f ",
}
