"""backward forgets the softmax term's row sum: grad - softmax."""

import numpy as np


class LogSoftmax:
    def forward(self, x):
        m = x.max(axis=1, keepdims=True)
        self.out = x - m - np.log(np.exp(x - m).sum(axis=1, keepdims=True))
        return self.out

    def backward(self, grad):
        return grad - np.exp(self.out)


EXPECT = {
    "subject": "LogSoftmax",
    "like": "LogSoftmax",
    "ok": False,
    "en": "wrong values",
    "diagnoses": {"backward": "mismatch"},
    "ja": "値が違います",
}
