"""ReLU zeroing the caller's array in place."""


class ReLU:
    def forward(self, x):
        self.mask = x <= 0
        x[self.mask] = 0
        return x

    def backward(self, grad):
        return grad * ~self.mask


EXPECT = {
    "subject": "ReLU",
    "like": "ReLU",
    "ok": False,
    "en": "forward overwrites its inputs: the c",
    "diagnoses": {"inputs": "overwrites_inputs"},
    "ja": "forward が受け取った inputs を書き換えています（呼び出し",
}
