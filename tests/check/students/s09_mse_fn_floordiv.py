"""// where / is meant: the mean is floored."""

import numpy as np


def loss_MSE(inputs, targets):
    return np.sum((targets - inputs) ** 2) // len(inputs)


EXPECT = {
    "subject": "loss_MSE",
    "like": "loss_MSE",
    "ok": False,
    "en": "returns whole numbers where fraction",
    "diagnoses": {"loss_MSE": "integer_result"},
    "ja": "小数になるべき値が整数に切り捨てられています",
}
