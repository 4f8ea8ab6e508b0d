"""Write tutorial_en.ipynb and tutorial_ja.ipynb (without outputs) from the cells below.

    python notebooks/build.py

The two notebooks share their code cells; only the prose differs.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

CODE = {
    "setup": """import json
import random

import numpy as np

import chainrule as cr
from chainrule import manual, metrics, nn, optim
from chainrule.data import make_fuzzy_boundary, make_line, split_in_order, with_ones_column
from chainrule.linear import least_squares""",
    "one_variable": """a, x, y = 2.0, 2.0, 6.0
b_init = random.Random(123).random()   # the notebook's random.seed(123); random.random()
b = b_init
for step in range(100):
    error = y - (a * x + b)
    b += error * 0.5
print(f"b_init = {b_init:.6f}, b after 100 corrections = {b:.12f}")""",
    "data": """x, y = make_line()            # 10 points, y = 2x + 3 + N(0, 1), random.seed(100)
X = with_ones_column(x)       # [1, x]: theta = [[b, a]]
print(X[:3], y[:3], sep="\\n")""",
    "hand_chained": """theta0 = np.random.default_rng(123).random((1, 2))
linear = manual.Linear(2, bias=False, alpha=0.1, theta=theta0)
mse = manual.MSELoss()
losses = []
for step in range(100):
    prediction = linear.forward(inputs=X)                  # forward
    losses.append(float(mse.forward(inputs=prediction, targets=y)))
    grad = mse.backward()                                  # dL/dprediction = 2 (p - t) / N
    grad = linear.backward(grad=grad)                      # grad_theta = grad.T @ X
    linear.update()                                        # theta -= alpha * grad_theta
gd_b, gd_a = linear.theta[0]
print(f"after 100 steps: a = {gd_a:.6f}, b = {gd_b:.6f}, loss = {losses[-1]:.6f}")""",
    "gradcheck": """class Cube(cr.Function):
    \"\"\"y = x^3; dy/dx = 3 x^2.\"\"\"

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * 3 * ctx.x ** 2

print(cr.gradcheck(Cube.apply, cr.randn(4, generator=0, requires_grad=True)))""",
    "autograd": """model = nn.Linear(2, 1, bias=False)
model.weight.data[...] = theta0
optimizer = optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()
for step in range(100):
    optimizer.zero_grad()
    loss = loss_fn(model(cr.tensor(X)), y)
    loss.backward()
    optimizer.step()
print("largest difference from the hand-chained run:", np.abs(model.weight.data - linear.theta).max())""",
    "exercise1": """fit = least_squares(X, y)
ols_b, ols_a = fit.theta
print(f"least squares: a = {ols_a:.6f} (se {fit.stderr[1]:.3f}), b = {ols_b:.6f} (se {fit.stderr[0]:.3f})")

longer = manual.Linear(2, bias=False, alpha=0.1, theta=theta0)
for step in range(2000):
    mse.forward(inputs=longer.forward(inputs=X), targets=y)
    longer.backward(grad=mse.backward())
    longer.update()
print("after 2000 steps:", longer.theta[0], "vs least squares:", fit.theta)

for n in (10, 100, 1000, 10000):
    xs, ys = make_line(n=n)
    f = least_squares(with_ones_column(xs), ys)
    print(f"n = {n:5d}: a = {f.theta[1]:.4f} +- {f.stderr[1]:.4f}, b = {f.theta[0]:.4f} +- {f.stderr[0]:.4f}")""",
    "classification": """X2, T2 = make_fuzzy_boundary()                 # 1000 points, random.seed(100)
X2_train, X2_test, T2_train, T2_test = split_in_order(X2, T2, train_fraction=0.9)
theta0 = np.random.default_rng(123).random((1, 3))    # [[c, a, b]]
linear3 = manual.Linear(2, bias=True, alpha=1.0, theta=theta0)
sigmoid = manual.Sigmoid()
bce = manual.BCELoss(epsilon=0)
for step in range(1000):
    p = sigmoid.forward(inputs=linear3.forward(inputs=X2_train))
    loss = bce.forward(inputs=p, targets=T2_train)
    grad = sigmoid.backward(grad=bce.backward())
    linear3.backward(grad=grad)
    linear3.update()
pred = (sigmoid.forward(inputs=linear3.forward(inputs=X2_test)) > 0.5).astype(int)
print("theta:", linear3.theta, "loss:", float(loss))
print("accuracy", metrics.accuracy(T2_test, pred), "precision", metrics.precision(T2_test, pred),
      "recall", metrics.recall(T2_test, pred), "F1", metrics.f1(T2_test, pred))
print(metrics.binary_counts(T2_test, pred))""",
    "softmax": """for scale in (1, 100, 1000):
    z = cr.tensor(scale * np.array([[1.0, 0.0, -1.0]]))
    with np.errstate(divide="ignore", invalid="ignore"):
        naive = cr.functional.log(cr.functional.softmax(z, dim=1))
    stable = cr.functional.log_softmax(z, dim=1)
    print(scale, naive.data[0], stable.data[0])""",
    "summary": """summary = {"b_final": b, "gd_a": float(gd_a), "gd_b": float(gd_b), "ols_a": float(ols_a),
           "ols_b": float(ols_b), "autograd_diff": float(np.abs(model.weight.data - linear.theta).max()),
           "accuracy": metrics.accuracy(T2_test, pred), "f1": metrics.f1(T2_test, pred)}
print(json.dumps(summary))""",
}

PROSE = {
    "en": {
        "title": """# Backpropagation from scratch, with chainrule

This notebook follows the classic teaching notebook on backpropagation: first we chain
`forward` and `backward` by hand, layer by layer, then we let autograd do the same work and
check that the numbers agree, and finally we answer the notebook's exercises.""",
        "one_variable": """## 1.1 One unknown

Take y = a x + b with a = 2 known and one observation (x, y) = (2, 6). Starting from a random
b, we measure the error y - (a x + b) and move b by half of it each step. The error halves
every step, so b converges to 2.""",
        "data": """## 1.2 Two unknowns by gradient descent

Ten noisy points from y = 2x + 3 + noise. The design matrix gets a column of ones so that
one weight row theta = [[b, a]] covers both the slope and the intercept.""",
        "hand_chained": """Each layer keeps what it needs from `forward` and turns an incoming gradient into the
gradient for its inputs in `backward`. The MSE layer starts the chain: its `backward()`
takes no argument and returns dL/d(prediction).""",
        "gradcheck": """### Checking your own layer

A `Function` holds a forward and its derivative side by side. `gradcheck` compares the
derivative with finite differences, using a random upstream gradient, and tells you where
they disagree.""",
        "autograd": """### The same model with autograd

`nn.Linear`, `nn.MSELoss` and `optim.SGD` call the very same Functions, so the result is
identical to the last bit.""",
        "exercise1": """### Exercise 1: why are a and b not 2 and 3?

Two reasons. Gradient descent has not finished after 100 steps (the closed-form least-squares
answer is still some way off; with more steps it gets there). And even the exact least-squares
answer differs from (2, 3), because ten noisy points do not pin the line down: the standard
errors shrink like 1/sqrt(n) as the sample grows.""",
        "classification": """## 2. Classification with sigmoid and binary cross-entropy

Points in [0, 3]^2 labelled by the side of y = -x + 3, with a fuzzy band around the line.
A linear layer with its own bias, then a sigmoid, then BCE; the first 900 points train, the
last 100 test.""",
        "softmax": """### Exercise: why LogSoftmax + NLL?

Softmax of large logits underflows to exactly 0 for the unlikely classes, and log(0) = -inf.
LogSoftmax computes z - max(z) - log(sum(exp(z - max(z)))) directly; the sum is at least 1,
so every value stays finite.""",
        "summary": "## Key numbers",
    },
    "ja": {
        "title": """# chainrule で学ぶ誤差逆伝搬法

元の教材ノートブックの流れに沿って進めます。まず各層の `forward` と `backward` を手で順番に
つなぎ、次に同じ計算を autograd に任せて数値が一致することを確かめ、最後に課題に答えます。""",
        "one_variable": """## 1.1 未知数が1つの場合

y = a x + b で a = 2 が既知、観測 (x, y) = (2, 6) が1つだけあるとします。乱数で決めた b から
始め、誤差 y - (a x + b) の半分ずつ b を動かします。誤差は毎回半分になり、b は 2 に近づきます。""",
        "data": """## 1.2 最急降下法で2つの未知数を推定する

y = 2x + 3 にノイズを加えた10点です。入力に1の列を加えると、1行の重み theta = [[b, a]] で
傾きと切片をまとめて扱えます。""",
        "hand_chained": """各層は `forward` で必要な値を覚えておき、`backward` で受け取った勾配を入力側の勾配に
変換します。連鎖の起点は MSE 層で、引数なしの `backward()` が dL/d(予測値) を返します。""",
        "gradcheck": """### 自作の層を確かめる

`Function` には順伝搬とその微分を並べて書きます。`gradcheck` はランダムな上流勾配を使って
微分を有限差分と比べ、食い違う場所を教えてくれます。""",
        "autograd": """### 同じモデルを autograd で

`nn.Linear`、`nn.MSELoss`、`optim.SGD` は手で呼んだのとまったく同じ Function を使うので、
結果は最後のビットまで一致します。""",
        "exercise1": """### 課題1: なぜ a = 2, b = 3 にならないのか

理由は2つあります。100ステップではまだ最急降下法が収束しきっていません (最小二乗法の解析解
との差が残っており、ステップを増やすと追いつきます)。さらに、解析解そのものも (2, 3) とは
異なります。ノイズを含む10点では直線が決まりきらず、標準誤差はサンプル数 n に対して
1/sqrt(n) の割合で小さくなります。""",
        "classification": """## 2. シグモイドと二値交差エントロピーによる分類

[0, 3]^2 の点を直線 y = -x + 3 のどちら側にあるかで分類します (直線の近くはラベルがあいまい)。
バイアス付きの線形層、シグモイド、BCE の順につなぎ、最初の900点で学習、残り100点でテストします。""",
        "softmax": """### 課題: なぜ LogSoftmax + NLL なのか

ロジットが大きいと、起こりにくいクラスの softmax はちょうど 0 にアンダーフローし、log(0) = -inf
になります。LogSoftmax は z - max(z) - log(sum(exp(z - max(z)))) を直接計算します。和は1以上
なので、どの値も有限のままです。""",
        "summary": "## 主な数値",
    },
}

ORDER = ["title", "setup", "one_variable", "data", "hand_chained", "gradcheck", "autograd",
         "exercise1", "classification", "softmax", "summary"]


def build(language: str) -> nbformat.NotebookNode:
    cells = []
    for key in ORDER:
        if key in PROSE[language]:
            cells.append(nbformat.v4.new_markdown_cell(PROSE[language][key]))
        if key in CODE:
            cells.append(nbformat.v4.new_code_cell(CODE[key]))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def main() -> None:
    here = Path(__file__).parent
    for language in ("en", "ja"):
        nbformat.write(build(language), here / f"tutorial_{language}.ipynb")


if __name__ == "__main__":
    main()
