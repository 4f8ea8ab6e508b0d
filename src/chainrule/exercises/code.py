"""The exercise's code cells, language-neutral: each blank as (solution, what the student sees).

A blank is written as the seed notebook writes it (``return  # WRITE HERE``), but so that the
cell still runs: the check cell after it then says "not written yet" instead of the notebook
stopping at a SyntaxError.
"""

from __future__ import annotations

SETUP = """\
import numpy as np
from chainrule import check
from chainrule.data import make_fuzzy_boundary, make_line, split_in_order, with_ones_column

rng = np.random.default_rng(123)   # the layers draw their initial weights from rng; each training cell re-seeds it"""

# Each blank is a (solution, blank) pair; text around it is shared by both notebooks.
LINEAR = [
    """\
class Linear:
    def __init__(self, a_init: float, b_init: float):
        self.a = a_init
        self.b = b_init

    def forward(self, x):
""",
    ("return self.a * x + self.b", "return  # WRITE HERE"),
    "\n",
]

LOSS_MSE = [
    """\
def loss_MSE(inputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
    if np.shape(inputs) != np.shape(targets) or np.shape(inputs) != (len(inputs), 1):
        raise ValueError(f"loss_MSE: expected inputs and targets of shape (N, 1), "
                         f"got {np.shape(inputs)} and {np.shape(targets)}")
""",
    ("return np.mean((targets - inputs) ** 2)", "return  # WRITE HERE"),
    "\n",
]

MSE_LOSS = [
    """\
class MSELoss:
    def __init__(self):
        self.grad = None

    def forward(self, inputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
""",
    ("self.grad = -2 * (targets - inputs) / len(inputs)", "self.grad = None  # WRITE HERE"),
    """
        return loss_MSE(inputs=inputs, targets=targets)

    def backward(self) -> np.ndarray:
        return self.grad
""",
]

LINEAR2 = [
    """\
class Linear2:
    def __init__(self, alpha: float = 0.1):
        self.theta = rng.random((1, 2))
        self.inputs = None
        self.grad_theta = None
        self.alpha = alpha

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        # inputs: N x 2 (a column of ones, then x); outputs: N x 1
        self.inputs = inputs
""",
    ("return inputs @ self.theta.T", "return  # WRITE HERE"),
    """

    def backward(self, grad: np.ndarray) -> np.ndarray:
        # grad: N x 1, dL/d(outputs). One matrix product gives the gradients of a and b at once.
""",
    (
        "self.grad_theta = grad.T @ self.inputs\nreturn grad @ self.theta",
        "self.grad_theta = None  # WRITE HERE\nreturn  # WRITE HERE",
    ),
    """

    def update(self):
        self.theta -= self.alpha * self.grad_theta
""",
]

TRAIN_REGRESSION = """\
x, Y = make_line()          # the notebook's section 1.2 data: y = 2x + 3 + noise, 10 points
X = with_ones_column(x)
if check(MSELoss) and check(Linear2):
    rng = np.random.default_rng(123)   # re-seeded here, after check() drew from it: a re-run gives the same numbers
    mse_layer, linear_layer = MSELoss(), Linear2()
    for step in range(100):
        loss = mse_layer.forward(inputs=linear_layer.forward(inputs=X), targets=Y)
        linear_layer.backward(grad=mse_layer.backward())
        linear_layer.update()
    print("loss:", loss, " b, a =", linear_layer.theta[0])
    print("least squares: b, a =", np.linalg.lstsq(X, Y, rcond=None)[0].ravel())
else:
    print("training starts once check(MSELoss) and check(Linear2) pass")"""

SIGMOID_FUNCTION = [
    "def sigmoid(x):\n",
    ("return 1 / (1 + np.exp(-x))", "return  # WRITE HERE"),
    "\n",
]

SIGMOID_GRAD = [
    "def sigmoid_grad(x):\n",
    ("return sigmoid(x) * (1 - sigmoid(x))", "return  # WRITE HERE"),
    "\n",
]

LINEAR3 = [
    """\
class Linear3(Linear2):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
""",
    ("self.theta = rng.random((1, 3))", "self.theta = None  # WRITE HERE"),
    """

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        # inputs: N x 2 (x, y); the layer adds the column of ones itself, so theta is [[c, a, b]]
        n = np.shape(inputs)[0]
        self.inputs = np.concatenate([np.ones((n, 1)), inputs], axis=1)
""",
    ("return self.inputs @ self.theta.T", "return  # WRITE HERE"),
    "\n",
]

SIGMOID_LAYER = [
    """\
class Sigmoid:
    def __init__(self):
        self.output = None

    def forward(self, inputs: np.ndarray) -> np.ndarray:
        self.output = sigmoid(inputs)
        return self.output

    def backward(self, grad: np.ndarray) -> np.ndarray:
""",
    ("return grad * self.output * (1 - self.output)", "return  # WRITE HERE"),
    "\n",
]

BCE_LOSS = [
    """\
class BCELoss:
    def __init__(self, epsilon: float = 1e-10):
        self.grad = None
        self.epsilon = epsilon

    def forward(self, inputs: np.ndarray, targets: np.ndarray) -> np.ndarray:
        # self.epsilon keeps log(0) and division by 0 away
""",
    (
        "eps = self.epsilon\n"
        "self.grad = (-targets / (inputs + eps) + (1 - targets) / (1 - inputs + eps)) / len(inputs)\n"
        "return -np.mean(targets * np.log(inputs + eps) + (1 - targets) * np.log(1 - inputs + eps))",
        "self.grad = None  # WRITE HERE\nreturn  # WRITE HERE",
    ),
    """

    def backward(self) -> np.ndarray:
        return self.grad
""",
]

TRAIN_CLASSIFICATION = """\
points, labels = make_fuzzy_boundary()    # the notebook's section 2 data: 1000 points, boundary y = -x + 3
X2_train, X2_test, T2_train, T2_test = split_in_order(points, labels.astype(np.float64))
if check(BCELoss) and check(Sigmoid) and check(Linear3):
    rng = np.random.default_rng(123)   # re-seeded here, after check() drew from it: a re-run gives the same numbers
    bce_layer, sigmoid_layer, linear_layer3 = BCELoss(epsilon=0), Sigmoid(), Linear3(alpha=1)
    for step in range(1000):
        p = sigmoid_layer.forward(inputs=linear_layer3.forward(inputs=X2_train))
        loss = bce_layer.forward(inputs=p, targets=T2_train)
        linear_layer3.backward(grad=sigmoid_layer.backward(grad=bce_layer.backward()))
        linear_layer3.update()
    pred = sigmoid_layer.forward(inputs=linear_layer3.forward(inputs=X2_test)) > 0.5
    print("loss:", loss, " test accuracy:", np.mean(pred == (T2_test == 1)))
else:
    print("training starts once check(BCELoss), check(Sigmoid) and check(Linear3) pass")"""


# The code is shared by both notebooks; in the Japanese one its comments and printed labels are Japanese.
JAPANESE = {
    "# the layers draw their initial weights from rng; each training cell re-seeds it": "# 層は初期の重みを rng から取り出します。学習のセルごとに rng を設定し直します",
    "# re-seeded here, after check() drew from it: a re-run gives the same numbers": "# check() が rng を使った後なので、ここで設定し直します（何度実行しても同じ数値になります）",
    "# inputs: N x 2 (a column of ones, then x); outputs: N x 1": "# inputs: N x 2（1の列、次に x）。出力: N x 1",
    "# grad: N x 1, dL/d(outputs). One matrix product gives the gradients of a and b at once.": "# grad: N x 1、dL/d(出力)。行列積1回で a と b の勾配がまとめて求まります。",
    "# the notebook's section 1.2 data: y = 2x + 3 + noise, 10 points": "# ノートブック 1.2 節のデータ: y = 2x + 3 + ノイズ、10 点",
    "# inputs: N x 2 (x, y); the layer adds the column of ones itself, so theta is [[c, a, b]]": "# inputs: N x 2（x, y）。1の列は層が自分で足すので、theta は [[c, a, b]]",
    "# self.epsilon keeps log(0) and division by 0 away": "# self.epsilon は log(0) と 0 での割り算を避けるためのものです",
    "# the notebook's section 2 data: 1000 points, boundary y = -x + 3": "# ノートブック 2 節のデータ: 1000 点、境界は y = -x + 3",
    '"loss:"': '"損失:"',
    '"least squares: b, a ="': '"最小二乗法: b, a ="',
    '" test accuracy:"': '" テストデータの正解率:"',
    '"training starts once check(MSELoss) and check(Linear2) pass"': '"check(MSELoss) と check(Linear2) が通ると学習が始まります"',
    '"training starts once check(BCELoss), check(Sigmoid) and check(Linear3) pass"': '"check(BCELoss)、check(Sigmoid)、check(Linear3) が通ると学習が始まります"',
}


def localize(source: str, lang: str) -> str:
    """A code cell in the notebook's language: only comments and printed labels change, never the code."""
    if lang != "ja":
        return source
    for english, japanese in JAPANESE.items():
        source = source.replace(english, japanese)
    return source


def render(parts: list, solution: bool) -> str:
    """Join a cell's parts; a blank becomes nbgrader's solution region or the seed's blank line."""
    out = ""
    for part in parts:
        if isinstance(part, str):
            out += part
            continue
        indent = _indent_of_next_line(out)
        text = part[0] if solution else part[1]
        lines = text.splitlines()
        if solution:
            lines = ["### BEGIN SOLUTION", *lines, "### END SOLUTION"]
        out += "\n".join(indent + line for line in lines)
    return out.rstrip("\n")


def _indent_of_next_line(text: str) -> str:
    """Every blank is the body of the last def above it: one level deeper than that def."""
    defs = [line for line in text.splitlines() if line.lstrip().startswith("def ")]
    return defs[-1][: len(defs[-1]) - len(defs[-1].lstrip())] + "    "
