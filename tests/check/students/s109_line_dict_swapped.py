"""The dict-keeping Linear with a and b swapped: it used to pass unchecked."""


class Linear:
    def __init__(self, a_init: float, b_init: float):
        self.params = {"a": a_init, "b": b_init}

    def forward(self, x):
        return self.params["b"] * x + self.params["a"]


EXPECT = {
    "subject": "Linear",
    "build": {"a_init": 2, "b_init": 3},
    "like": "Linear",
    "ok": False,
    "en": "wrong values",
    "diagnoses": {"forward": "mismatch"},
    "ja": "値が違います",
}
