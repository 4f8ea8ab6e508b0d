"""The notebook's LogSoftmax + NLL exercise made concrete, then a three-class classifier
trained with CrossEntropyLoss (which is LogSoftmax + NLL in one fused Function)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import functional as F
from .. import metrics, nn, optim
from ..autograd.grad_mode import no_grad
from ..autograd.tensor import Tensor
from ..data.synthetic import make_three_bands, split_in_order
from ..random import as_generator
from . import report_ja
from .common import Options, pick, plot_path, plots_line, precision_rows

SCALES = (1, 10, 100, 400, 1000)
ZIGZAG_EN = (
    "The early zig-zag: x and y average 1.5, not 0, so the weights and the bias pull the logits "
    "along one shared direction, and a step of lr 1 overshoots along it and swings back. "
    "Centring the inputs or a smaller lr removes it."
)
ZIGZAG_JA = (
    "序盤のジグザグ: x と y の平均は 0 ではなく 1.5 なので、重みとバイアスがロジットを同じ向きに動かし、"
    "学習率 1 の一歩がその向きに行き過ぎては戻ります。入力を中心化するか学習率を下げると消えます。"
)


def _naive_log_softmax(z: np.ndarray) -> np.ndarray:
    """exp, normalise, log, with no shift: what a first attempt looks like."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        e = np.exp(z)
        return np.log(e / e.sum(axis=1, keepdims=True))


def precision_table() -> list[dict[str, Any]]:
    """log p for logits s * [1, 0, -1], three ways, and whether the gradient survives."""
    rows = []
    for scale in SCALES:
        z = scale * np.array([[1.0, 0.0, -1.0]])
        naive = _naive_log_softmax(z)
        logits = Tensor._of(z, requires_grad=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            softmax_then_log = F.log(F.softmax(logits, dim=1))
            F.nll_loss(softmax_then_log, np.array([2])).backward()
        grad_softmax_then_log = np.asarray(logits.grad)
        logits = Tensor._of(z, requires_grad=True)
        stable = F.log_softmax(logits, dim=1)
        F.nll_loss(stable, np.array([2])).backward()
        rows.append(
            {
                "scale": scale,
                "naive": naive[0].tolist(),
                "softmax_then_log": softmax_then_log.detach().numpy()[0].tolist(),
                "log_softmax": stable.detach().numpy()[0].tolist(),
                "softmax_then_log_grad_finite": bool(np.isfinite(grad_softmax_then_log).all()),
                "log_softmax_grad_finite": bool(np.isfinite(np.asarray(logits.grad)).all()),
            }
        )
    return rows


def run(options: Options) -> dict[str, Any]:
    steps = options.steps or 1000
    lr = options.lr if options.lr is not None else 1.0
    X, labels = make_three_bands()
    X_train, X_test, y_train, y_test = split_in_order(X, labels, train_fraction=0.9)
    model = nn.Linear(2, 3, generator=as_generator(options.seed), dtype=X.dtype)
    optimizer = optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    inputs = Tensor._of(X_train)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), y_train)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with no_grad():
        logits = model(Tensor._of(X_test))
        split_loss = nn.NLLLoss()(nn.LogSoftmax(dim=1)(logits), y_test).item()
        fused_loss = loss_fn(logits, y_test).item()
    predicted = logits.detach().numpy().argmax(axis=1)
    result = {
        "precision_table": precision_table(),
        "three_class": {
            "n_train": len(X_train),
            "n_test": len(X_test),
            "steps": steps,
            "lr": lr,
            "final_loss": losses[-1],
            "test_loss_cross_entropy": fused_loss,
            "test_loss_log_softmax_nll": split_loss,
            "accuracy": metrics.accuracy(y_test, predicted),
            "macro_f1": metrics.f1(y_test, predicted, average="macro"),
            "confusion": metrics.confusion_matrix(y_test, predicted, num_classes=3).tolist(),
        },
        "losses": losses,
        "plots": {},
    }
    path = plot_path(options, "softmax_regions.png")
    if path is not None:
        from .. import plot

        def predict(points):
            with no_grad():
                return model(Tensor._of(points)).detach().numpy().argmax(axis=1)

        lang = options.lang
        plot.regions_plot(
            X,
            labels,
            predict,
            path,
            pick(
                lang,
                "Three classes: softmax regression regions",
                "3クラス: ソフトマックス回帰の決定領域",
            ),
            lang=lang,
        )
        loss_path = plot_path(options, "softmax_loss.png")
        confusion_path = plot_path(options, "softmax_confusion.png")
        plot.loss_plot(
            {pick(lang, "cross-entropy (train)", "交差エントロピー (学習データ)"): losses},
            loss_path,
            pick(
                lang, "Three-class cross-entropy, lr = %g", "3クラスの交差エントロピー (学習率 %g)"
            )
            % lr,
            caption=pick(lang, ZIGZAG_EN, ZIGZAG_JA),
            lang=lang,
        )
        plot.confusion_plot(np.array(result["three_class"]["confusion"]), confusion_path, lang=lang)
        result["plots"] = {
            "regions": str(path),
            "loss": str(loss_path),
            "confusion": str(confusion_path),
        }
    return result


def report(result: dict[str, Any], lang: str = "en") -> list[str]:
    if lang == "ja":
        return report_ja.softmax(result)
    lines = [
        "== Exercise: why LogSoftmax + NLL rather than softmax then log? ==",
        "log p of the largest and smallest class for logits s * [1, 0, -1] (float64):",
        "     s   exp/sum/log (no shift)   softmax then log        log_softmax       finite gradient",
        "                                                                           (softmax+log / log_softmax)",
    ]
    lines += precision_rows(result)
    three = result["three_class"]
    lines += [
        "exp(1000) overflows to inf (inf/inf = NaN); shifting by the max fixes that, but exp(-2000)",
        "still underflows to 0 and log(0) = -inf, whose gradient is NaN. log_softmax computes",
        "z - max - log(sum(exp(z - max))): the sum is at least 1, so the log never sees 0.",
        "",
        "== Three classes with CrossEntropyLoss (= LogSoftmax + NLLLoss, fused) ==",
        f"{three['steps']} full-batch SGD steps at lr {three['lr']}: train loss {three['final_loss']:.6f}",
        f"test loss: CrossEntropyLoss {three['test_loss_cross_entropy']:.12f}, LogSoftmax + NLLLoss {three['test_loss_log_softmax_nll']:.12f}",
        f"test accuracy {three['accuracy']:.4f}, macro F1 {three['macro_f1']:.4f}",
        f"confusion (rows true, columns predicted): {three['confusion']}",
        plots_line(result, "en"),
    ]
    return lines
