"""backward returns the mask as floats: the slope, without grad."""

import numpy as np


class ReLU:
    def forward(self, x):
        self.mask = x > 0
        return np.maximum(0, x)

    def backward(self, grad):
        return self.mask.astype(float)


EXPECT = {
    "subject": "ReLU",
    "like": "ReLU",
    "ok": False,
    "en": "ignores the upstream gradient: right",
    "diagnoses": {"backward": "upstream_ignored"},
    "ja": "上流から来た勾配 grad を掛けていません（grad がすべて 1 の",
}
