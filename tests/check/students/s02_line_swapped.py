"""a and b swapped: b x + a."""


class Linear:
    def __init__(self, a_init: float, b_init: float):
        self.a = a_init
        self.b = b_init

    def forward(self, x):
        return self.b * x + self.a


EXPECT = {
    "subject": "Linear",
    "build": {"a_init": 2, "b_init": 3},
    "like": "Linear",
    "ok": False,
    "en": "wrong values",
    "diagnoses": {"forward": "mismatch"},
    "ja": "値が違います",
}
