"""Write tutorial_en.ipynb and tutorial_ja.ipynb (without outputs) from the cells below.

    python notebooks/build.py

The two notebooks share their code cells, apart from the language the first cell asks for;
the prose (prose_en.py, prose_ja.py beside this file) differs. Figures are written to
figures/ next to the running notebook and shown inline.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat

HERE = Path(__file__).parent

CODE = {
    "setup": """import json
import random
from pathlib import Path

import numpy as np
from IPython.display import Image, display

import chainrule as cr
from chainrule import manual, metrics, nn, optim, plot, viz
from chainrule.data import make_fuzzy_boundary, make_line, make_three_bands, split_in_order, with_ones_column
from chainrule.least_squares import least_squares
from chainrule.plot_text import language

cr.set_default_dtype(np.float64)   # the notebook computes in NumPy's float64; chainrule's default is float32
LANG = language("@LANG@")          # "ja" needs a Japanese font (pip install 'chainrule[ja]'), else "en"
FIGURES = Path("figures")


def say(en, ja):
    \"\"\"The text in the notebook's language.\"\"\"
    return ja if LANG == "ja" else en


def show(path):
    display(Image(filename=str(path)))""",
    "one_variable": """a, x, y = 2.0, 2.0, 6.0
b_init = random.Random(123).random()   # the notebook's random.seed(123); random.random()
b = b_init
errors = []
for step in range(100):
    error = y - (a * x + b)
    errors.append(error)
    b += error * 0.5
print(say("b_init =", "b の初期値 ="), f"{b_init:.6f}", say("; b after 100 corrections =", "; 100 回修正した後の b ="), f"{b:.12f}")
print(say("the first errors:", "最初の誤差:"), np.round(errors[:6], 6))""",
    "data": """x, y = make_line()            # 10 points, y = 2x + 3 + N(0, 1), random.seed(100)
X = with_ones_column(x)       # [1, x]: theta = [[b, a]]
print(X[:3], y[:3], sep="\\n")""",
    "hand_chained": """theta0 = np.random.default_rng(123).random((1, 2))
linear = manual.Linear(2, bias=False, alpha=0.1, theta=theta0, dtype=np.float64)
mse = manual.MSELoss()
losses = []
for step in range(100):
    prediction = linear.forward(inputs=X)                  # p = X theta^T
    losses.append(float(mse.forward(inputs=prediction, targets=y)))
    grad = mse.backward()                                  # dL/dp = 2 (p - t) / N
    grad = linear.backward(grad=grad)                      # grad_theta = (dL/dp)^T X
    linear.update()                                        # theta -= alpha * grad_theta
gd_b, gd_a = linear.theta[0]
print(say("after 100 steps:", "100 ステップ後:"), f"a = {gd_a:.6f}, b = {gd_b:.6f}, loss = {losses[-1]:.6f}")""",
    "regression_figures": """fit = least_squares(X, y)
ols_b, ols_a = fit.theta
show(plot.fit_plot(x, y, [(say("gradient descent, 100 steps", "最急降下法 100 ステップ"), gd_a, gd_b),
                          (say("least squares", "最小二乗法"), ols_a, ols_b), (say("truth", "真の直線"), 2.0, 3.0)],
                   FIGURES / "fit.png", say("The fitted line", "当てはめた直線"), lang=LANG))
show(plot.loss_plot({"MSE": losses}, FIGURES / "regression_loss.png",
                    say("MSE during gradient descent", "最急降下法での MSE の推移"), lang=LANG))""",
    "graph_regression": """# One step of the same model, recorded by autograd, drawn before backward frees the graph.
theta = cr.tensor(theta0, requires_grad=True)
inputs = cr.tensor(X)
loss = nn.functional.mse_loss(inputs @ theta.T, cr.tensor(y))
graph = viz.graph(loss, names={"theta": theta, "X": inputs})
print(graph.source)
display(graph)   # SVG when Graphviz's dot is installed, otherwise this text and how to get it""",
    "gradcheck": """class Cube(cr.Function):
    \"\"\"y = x^3; dy/dx = 3 x^2.\"\"\"

    @staticmethod
    def forward(ctx, x):
        ctx.save(x=x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_y):
        return grad_y * 3 * ctx.x ** 2

print(cr.gradcheck(Cube.apply, cr.randn(4, generator=0, requires_grad=True, dtype=np.float64)))""",
    "autograd": """model = nn.Linear(2, 1, bias=False, dtype=np.float64)
model.load_state_dict({"weight": theta0})
optimizer = optim.SGD(model.parameters(), lr=0.1)
loss_fn = nn.MSELoss()
for step in range(100):
    optimizer.zero_grad()
    loss = loss_fn(model(cr.tensor(X)), y)
    loss.backward()
    optimizer.step()
autograd_diff = float(np.abs(model.weight.detach().numpy() - linear.theta).max())
print(say("largest difference from the hand-chained run:", "手作業の連鎖との差の最大値:"), autograd_diff)""",
    "exercise1": """print(say("least squares:", "最小二乗法:"), f"a = {ols_a:.6f} (se {fit.stderr[1]:.3f}), b = {ols_b:.6f} (se {fit.stderr[0]:.3f})")

longer = manual.Linear(2, bias=False, alpha=0.1, theta=theta0, dtype=np.float64)
for step in range(2000):
    mse.forward(inputs=longer.forward(inputs=X), targets=y)
    longer.backward(grad=mse.backward())
    longer.update()
print(say("after 2000 steps:", "2000 ステップ後:"), longer.theta[0], say("least squares:", "最小二乗法:"), fit.theta)

for n in (10, 100, 1000, 10000):
    xs, ys = make_line(n=n)
    f = least_squares(with_ones_column(xs), ys)
    print(f"n = {n:5d}: a = {f.theta[1]:.4f} +- {f.stderr[1]:.4f}, b = {f.theta[0]:.4f} +- {f.stderr[0]:.4f}")""",
    "sigmoid": """show(plot.sigmoid_plot(FIGURES / "sigmoid.png", lang=LANG))""",
    "classification": """X2, T2 = make_fuzzy_boundary()                 # 1000 points, random.seed(100)
X2_train, X2_test, T2_train, T2_test = split_in_order(X2, T2, train_fraction=0.9)
theta0 = np.random.default_rng(123).random((1, 3))    # [[c, a, b]]
linear3 = manual.Linear(2, bias=True, alpha=1.0, theta=theta0, dtype=np.float64)
sigmoid = manual.Sigmoid()
bce = manual.BCELoss(epsilon=0)
bce_losses = []
for step in range(1000):
    p = sigmoid.forward(inputs=linear3.forward(inputs=X2_train))
    bce_losses.append(float(bce.forward(inputs=p, targets=T2_train)))
    grad = sigmoid.backward(grad=bce.backward())          # dL/dz = (p - t) / N
    linear3.backward(grad=grad)
    linear3.update()
pred = (sigmoid.forward(inputs=linear3.forward(inputs=X2_test)) > 0.5).astype(int)
print("theta:", linear3.theta, "BCE:", bce_losses[-1])
print(say("accuracy", "正解率"), metrics.accuracy(T2_test, pred), say("precision", "適合率"), metrics.precision(T2_test, pred),
      say("recall", "再現率"), metrics.recall(T2_test, pred), "F1", metrics.f1(T2_test, pred))""",
    "classification_figures": """c, w_x, w_y = linear3.theta[0]
show(plot.boundary_plot(X2, T2, [(say("true boundary", "真の境界"), -1.0, 3.0),
                                 (say("learned boundary", "学習した境界"), -w_x / w_y, -c / w_y)],
                        FIGURES / "boundary.png", say("Learned boundary", "学習した境界"), n_train=len(X2_train), lang=LANG))
show(plot.loss_plot({"BCE": bce_losses}, FIGURES / "bce_loss.png", say("BCE during training", "BCE の推移"), lang=LANG))
counts = metrics.binary_counts(T2_test, pred)
show(plot.confusion_plot(np.array([[counts["tn"], counts["fp"]], [counts["fn"], counts["tp"]]]),
                         FIGURES / "confusion.png", ["0", "1"], lang=LANG))""",
    "graph_classification": """model2 = nn.Sequential(nn.Linear(2, 1, dtype=np.float64), nn.Sigmoid())
model2.load_state_dict({"0.weight": theta0[:, 1:], "0.bias": theta0[:, 0]})
loss = nn.BCELoss()(model2(cr.tensor(X2_train[:4])), cr.tensor(T2_train[:4].astype(np.float64)))
display(viz.graph(loss, names={"weight": model2[0].weight, "bias": model2[0].bias}))""",
    "softmax": """for scale in (1, 100, 1000):
    z = cr.tensor(scale * np.array([[1.0, 0.0, -1.0]]))
    with np.errstate(divide="ignore", invalid="ignore"):
        naive = cr.functional.log(cr.functional.softmax(z, dim=1))
    stable = cr.functional.log_softmax(z, dim=1)
    print(scale, naive.numpy()[0], stable.numpy()[0])""",
    "three_class": """X3, labels3 = make_three_bands()
X3_train, X3_test, y3_train, y3_test = split_in_order(X3, labels3, train_fraction=0.9)
model3 = nn.Linear(2, 3, generator=123, dtype=np.float64)
optimizer3 = optim.SGD(model3.parameters(), lr=1.0)
ce_losses = []
for step in range(1000):
    optimizer3.zero_grad()
    loss = nn.CrossEntropyLoss()(model3(cr.tensor(X3_train)), y3_train)
    loss.backward()
    optimizer3.step()
    ce_losses.append(loss.item())
with cr.no_grad():
    predicted3 = model3(cr.tensor(X3_test)).numpy().argmax(axis=1)
print(say("test accuracy", "テストデータの正解率"), metrics.accuracy(y3_test, predicted3))

def regions(points):
    with cr.no_grad():
        return model3(cr.tensor(points)).numpy().argmax(axis=1)

show(plot.regions_plot(X3, labels3, regions, FIGURES / "regions.png", say("Softmax regions", "ソフトマックスの決定領域"), lang=LANG))
show(plot.loss_plot({say("cross-entropy", "交差エントロピー"): ce_losses}, FIGURES / "ce_loss.png",
                    say("Cross-entropy, lr 1", "交差エントロピー (学習率 1)"), lang=LANG,
                    caption=say("The early zig-zag: the inputs average 1.5, not 0, so a step of lr 1 overshoots and swings back.",
                                "序盤のジグザグ: 入力の平均が 0 ではなく 1.5 のため、学習率 1 の一歩が行き過ぎては戻ります。")))
show(plot.confusion_plot(metrics.confusion_matrix(y3_test, predicted3, num_classes=3), FIGURES / "confusion3.png", lang=LANG))""",
    "pytorch": """from chainrule.tutorial import Options
from chainrule.tutorial import pytorch as look_at_pytorch

comparison = look_at_pytorch.run(Options(plots=None))
print("\\n".join(look_at_pytorch.report(comparison, LANG)))""",
    "summary": """summary = {"b_final": b, "gd_a": float(gd_a), "gd_b": float(gd_b), "ols_a": float(ols_a),
           "ols_b": float(ols_b), "autograd_diff": autograd_diff,
           "accuracy": metrics.accuracy(T2_test, pred), "f1": metrics.f1(T2_test, pred)}
print(json.dumps(summary))""",
}

ORDER = [
    "title",
    "setup",
    "one_variable",
    "data",
    "mse",
    "hand_chained",
    "regression_figures",
    "graph_regression",
    "gradcheck",
    "autograd",
    "exercise1_question",
    "exercise1",
    "exercise1_answer",
    "sigmoid_question",
    "sigmoid_answer",
    "sigmoid",
    "bce_question",
    "bce_answer",
    "classification",
    "classification_figures",
    "graph_classification",
    "softmax_question",
    "softmax",
    "softmax_answer",
    "three_class",
    "pytorch_question",
    "pytorch",
    "pytorch_answer",
    "summary",
]


def prose(language: str) -> dict[str, str]:
    spec = importlib.util.spec_from_file_location(
        f"prose_{language}", HERE / f"prose_{language}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PROSE


ANSWER = {"en": ("*Answer.*", "Answer"), "ja": ("*答え.*", "答え")}


def folded(text: str, language: str) -> str:
    """An answer stays folded until the student opens it, so the question comes first."""
    mark, summary = ANSWER[language]
    if mark not in text:
        return text
    question, answer = text.split(mark, 1)
    return f"{question}<details><summary>{summary}</summary>\n\n{answer.strip()}\n\n</details>"


def build(language: str) -> nbformat.NotebookNode:
    text = prose(language)
    cells = []
    for key in ORDER:
        if key in text:
            cells.append(nbformat.v4.new_markdown_cell(folded(text[key], language)))
        if key in CODE:
            cells.append(nbformat.v4.new_code_cell(CODE[key].replace("@LANG@", language)))
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def main() -> None:
    for language in ("en", "ja"):
        nbformat.write(build(language), HERE / f"tutorial_{language}.ipynb")


if __name__ == "__main__":
    main()
