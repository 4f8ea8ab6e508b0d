"""Section 1.1's Linear keeping a and b in a dict."""


class Linear:
    def __init__(self, a_init: float, b_init: float):
        self.params = {"a": a_init, "b": b_init}

    def forward(self, x):
        return self.params["a"] * x + self.params["b"]


EXPECT = {"subject": "Linear", "build": {"a_init": 2, "b_init": 3}, "like": "Linear", "ok": True}
