"""Notebook section 2: a linear layer with bias, sigmoid and binary cross-entropy, trained
full-batch on the fuzzy-boundary data, scored on the last 100 points."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import manual, metrics, nn, optim
from ..autograd.tensor import Tensor
from ..data.synthetic import make_fuzzy_boundary, split_in_order
from . import report_ja
from .common import Options, initial_theta, pick, plot_path, plots_line


def train_by_hand(X: np.ndarray, T: np.ndarray, theta: np.ndarray, lr: float, steps: int):
    """The notebook's loop: linear -> sigmoid -> BCE forward, then backward in reverse, then update."""
    linear = manual.Linear(2, bias=True, alpha=lr, theta=theta, dtype=X.dtype)
    sigmoid = manual.Sigmoid()
    bce = manual.BCELoss(epsilon=0)
    losses = []
    for _ in range(steps):
        y = sigmoid.forward(inputs=linear.forward(inputs=X))
        losses.append(float(bce.forward(inputs=y, targets=T)))
        grad = bce.backward()
        grad = sigmoid.backward(grad=grad)
        linear.backward(grad=grad)
        linear.update()
    return linear, losses


def train_with_autograd(X: np.ndarray, T: np.ndarray, theta: np.ndarray, lr: float, steps: int):
    model = nn.Sequential(nn.Linear(2, 1, dtype=X.dtype), nn.Sigmoid())
    model[0].bias.detach().numpy()[...] = theta[:, 0]
    model[0].weight.detach().numpy()[...] = theta[:, 1:]
    optimizer = optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.BCELoss(epsilon=0)
    inputs = Tensor._of(X)
    for _ in range(steps):
        optimizer.zero_grad()
        loss_fn(model(inputs), T).backward()
        optimizer.step()
    return np.concatenate(
        [model[0].bias.detach().numpy()[:, None], model[0].weight.detach().numpy()], axis=1
    )


def run(options: Options) -> dict[str, Any]:
    steps = options.steps or 1000
    lr = options.lr if options.lr is not None else 1.0
    X, T = make_fuzzy_boundary()
    X_train, X_test, T_train, T_test = split_in_order(X, T, train_fraction=0.9)
    theta0 = initial_theta(options.seed, (1, 3))
    linear, losses = train_by_hand(X_train, T_train, theta0, lr, steps)
    theta = linear.theta
    autograd_theta = train_with_autograd(X_train, T_train, theta0, lr, steps)

    sigmoid = manual.Sigmoid()
    probability = sigmoid.forward(inputs=linear.forward(inputs=X_test))
    predicted = (probability > 0.5).astype(np.int64)
    train_predicted = (sigmoid.forward(inputs=linear.forward(inputs=X_train)) > 0.5).astype(
        np.int64
    )
    c, w_x, w_y = theta[0]
    result = {
        "n_train": len(X_train),
        "n_test": len(X_test),
        "steps": steps,
        "lr": lr,
        "initial_theta": theta0.tolist(),
        "theta": {"bias": c, "w_x": w_x, "w_y": w_y},
        "final_loss": losses[-1],
        "autograd_max_abs_diff": float(np.max(np.abs(autograd_theta - theta))),
        "train_accuracy": metrics.accuracy(T_train, train_predicted),
        "metrics": {
            "accuracy": metrics.accuracy(T_test, predicted),
            "precision": metrics.precision(T_test, predicted),
            "recall": metrics.recall(T_test, predicted),
            "f1": metrics.f1(T_test, predicted),
        },
        "confusion": metrics.binary_counts(T_test, predicted),
        "boundary": {
            "slope": -w_x / w_y,
            "intercept": -c / w_y,
            "true_slope": -1.0,
            "true_intercept": 3.0,
        },
        "losses": losses,
        "plots": {},
    }
    _plots(options, X, T, result)
    return result


def _plots(options: Options, X, T, result) -> None:
    data_path = plot_path(options, "classification_boundary.png")
    if data_path is None:
        return
    from .. import plot

    b, lang = result["boundary"], options.lang
    loss_path = plot_path(options, "classification_loss.png")
    sigmoid_path = plot_path(options, "sigmoid.png")
    confusion_path = plot_path(options, "classification_confusion.png")
    plot.boundary_plot(
        X,
        T,
        [
            (pick(lang, "true boundary", "真の境界"), -1.0, 3.0),
            (pick(lang, "learned boundary", "学習した境界"), b["slope"], b["intercept"]),
        ],
        data_path,
        pick(
            lang,
            "Fuzzy-boundary data: true and learned boundary",
            "境界があいまいなデータ: 真の境界と学習した境界",
        ),
        n_train=result["n_train"],
        lang=lang,
    )
    plot.loss_plot(
        {pick(lang, "BCE (train)", "BCE (学習データ)"): result["losses"]},
        loss_path,
        pick(lang, "Binary cross-entropy, lr = %g", "二値交差エントロピー (学習率 %g)")
        % result["lr"],
        lang=lang,
    )
    plot.sigmoid_plot(sigmoid_path, lang=lang)
    c = result["confusion"]
    plot.confusion_plot(
        np.array([[c["tn"], c["fp"]], [c["fn"], c["tp"]]]), confusion_path, ["0", "1"], lang=lang
    )
    result["plots"] = {
        "boundary": str(data_path),
        "loss": str(loss_path),
        "sigmoid": str(sigmoid_path),
        "confusion": str(confusion_path),
    }


def report(result: dict[str, Any], lang: str = "en") -> list[str]:
    if lang == "ja":
        return report_ja.classification(result)
    m, c, t, b = result["metrics"], result["confusion"], result["theta"], result["boundary"]
    return [
        "== 2. Classification: linear (with bias) -> sigmoid -> BCE ==",
        f"data: 1000 points around y = -x + 3, first {result['n_train']} for training, last {result['n_test']} for testing",
        f"after {result['steps']} full-batch steps at lr {result['lr']}: theta [[c, a, b]] = "
        f"[[{t['bias']:.4f}, {t['w_x']:.4f}, {t['w_y']:.4f}]], BCE = {result['final_loss']:.6f}",
        f"autograd (nn + optim.SGD) vs hand-chained: max |difference| = {result['autograd_max_abs_diff']:.1e}",
        f"learned boundary y = {b['slope']:.4f} x + {b['intercept']:.4f} (true: y = -x + 3)",
        f"train accuracy {result['train_accuracy']:.4f}",
        f"test: accuracy {m['accuracy']:.4f}, precision {m['precision']:.4f}, recall {m['recall']:.4f}, F1 {m['f1']:.4f}",
        f"confusion: TP {c['tp']}  FP {c['fp']}  TN {c['tn']}  FN {c['fn']}",
        plots_line(result, "en"),
    ]
