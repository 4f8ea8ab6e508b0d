"""A small training loop that does not hide the loop: epochs, validation, metrics, a progress bar,
early stopping, and a callback for checkpoints. It is the README's plain loop, plus bookkeeping.

    for epoch in range(epochs):
        model.train()
        for inputs, targets in train_loader:
            optimizer.zero_grad()
            loss = loss_fn(model(inputs), targets.numpy())
            loss.backward()
            optimizer.step()
"""

from __future__ import annotations

import sys
from typing import Any, Callable

import numpy as np

from . import metrics
from ._checks import fail_value, message
from .autograd.grad_mode import no_grad
from .autograd.tensor import Tensor


def evaluate(model: Any, loader: Any, loss_fn: Any, task: str = "classification") -> dict[str, Any]:
    """Loss (averaged over samples) and task metrics of ``model`` on every batch of ``loader``."""
    was_training = model.training
    model.eval()
    total, count, outputs, targets = 0.0, 0, [], []
    with no_grad():
        for inputs, target in loader:
            out = model(inputs)
            target = target.numpy()
            total += float(loss_fn(out, target).item()) * len(target)
            count += len(target)
            outputs.append(out.detach().numpy())
            targets.append(target)
    model.train(was_training)
    out, target = np.concatenate(outputs), np.concatenate(targets)
    report: dict[str, Any] = {"loss": total / count, "n": count}
    if task == "classification":
        predicted = (
            out.argmax(axis=1)
            if out.ndim == 2 and out.shape[1] > 1
            else (out.reshape(-1) > 0).astype(np.int64)
        )
        report.update(
            accuracy=metrics.accuracy(target, predicted),
            precision=metrics.precision(target, predicted, average="macro"),
            recall=metrics.recall(target, predicted, average="macro"),
            f1=metrics.f1(target, predicted, average="macro"),
            confusion=metrics.confusion_matrix(
                target, predicted, num_classes=max(out.shape[1] if out.ndim == 2 else 2, 2)
            ).tolist(),
        )
    else:
        report.update(
            mse=metrics.mse(target, out),
            mae=float(np.abs(target.reshape(-1) - out.reshape(-1)).mean()),
            r2=metrics.r2_score(target, out),
        )
    return report


def _progress(total: int, description: str, enabled: bool | None):
    """A tqdm bar when asked for, or when stderr is a terminal and tqdm is installed."""
    if enabled is False or (enabled is None and not sys.stderr.isatty()):
        return None
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm(total=total, desc=description, leave=False, file=sys.stderr)


def fit(
    model: Any,
    loss_fn: Any,
    optimizer: Any,
    train_loader: Any,
    epochs: int,
    *,
    val_loader: Any = None,
    task: str = "classification",
    scheduler: Any = None,
    patience: int | None = None,
    restore_best: bool = True,
    progress: bool | None = None,
    start_epoch: int = 0,
    history: dict[str, list] | None = None,
    best_state: dict | None = None,
    on_epoch_end: Callable[[int, dict], None] | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Train for ``epochs`` epochs and return the history (per-epoch lists and the best epoch).

    With ``val_loader`` each epoch is evaluated; with ``patience`` training stops after that many
    epochs without a lower validation loss, and ``restore_best`` puts the best weights back.
    ``start_epoch``, ``history`` and ``best_state`` (the best epoch's weights) resume an
    interrupted run exactly; ``on_epoch_end(epoch, history)`` is where a checkpoint is saved,
    and sees the last epoch's weights (the best are restored only after the last epoch).
    A non-finite loss stops training at once with FloatingPointError, before the step that
    would spread it into the weights, so the last checkpoint saved stays good.
    """
    if patience is not None:
        if (
            isinstance(patience, bool)
            or not isinstance(patience, (int, np.integer))
            or patience < 1
        ):
            fail_value(
                "fit", "patience >= 1 (epochs without a lower validation loss)", repr(patience)
            )
        if val_loader is None:
            fail_value(
                "fit",
                "a val_loader for early stopping with patience",
                "none",
                "pass val_loader=..., or patience=None to train every epoch.",
            )
    history = (
        history if history is not None else {"train_loss": [], "val_loss": [], "val_metric": []}
    )
    best = {
        "loss": min(history["val_loss"]) if history["val_loss"] else np.inf,
        "state": best_state,
        "epoch": history.get("best_epoch"),
    }
    # Epochs since the best one: a resumed run continues the count where it stopped.
    stale = len(history["val_loss"]) - best["epoch"] if best["epoch"] else len(history["val_loss"])
    first = epochs if history.get("stopped_early") else start_epoch
    for epoch in range(first, epochs):
        model.train()
        bar = _progress(len(train_loader), f"epoch {epoch + 1}/{epochs}", progress)
        total, count = 0.0, 0
        for step, (inputs, targets) in enumerate(train_loader, start=1):
            optimizer.zero_grad()
            targets = targets.numpy()
            loss = loss_fn(model(inputs), targets)
            value = loss.item()
            if not np.isfinite(value):
                if bar is not None:
                    bar.close()
                raise FloatingPointError(
                    message(
                        "fit",
                        "a finite training loss",
                        f"{value} at epoch {epoch + 1}, step {step} of {len(train_loader)}",
                        "lower the learning rate, or clip gradients (nn.utils.clip_grad_norm_); "
                        "the weights are those before this step.",
                    )
                )
            loss.backward()
            optimizer.step()
            total += value * len(targets)
            count += len(targets)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{value:.4f}")
        if bar is not None:
            bar.close()
        _check_finite_weights(model, epoch + 1)
        history["train_loss"].append(total / count)
        line = f"epoch {epoch + 1:3d}/{epochs}  train loss {total / count:.4f}"
        if val_loader is not None:
            report = evaluate(model, val_loader, loss_fn, task)
            history["val_loss"].append(report["loss"])
            metric = report["accuracy"] if task == "classification" else report["r2"]
            history["val_metric"].append(metric)
            metric_name = "accuracy" if task == "classification" else "R^2"
            line += f"  val loss {report['loss']:.4f}  val {metric_name} {metric:.4f}"
            if report["loss"] < best["loss"]:
                best.update(loss=report["loss"], state=snapshot(model), epoch=epoch + 1)
                stale = 0
            else:
                stale += 1
        if scheduler is not None:
            if hasattr(scheduler, "num_bad_epochs"):
                scheduler.step(
                    history["val_loss"][-1] if history["val_loss"] else history["train_loss"][-1]
                )
            else:
                scheduler.step()
        history["best_epoch"] = best["epoch"]
        if patience is not None and stale >= patience:
            history["stopped_early"] = epoch + 1
        if log is not None:
            log(line)
        if on_epoch_end is not None:
            on_epoch_end(epoch + 1, history)
        if history.get("stopped_early"):
            break
    if restore_best and patience is not None and best["state"] is not None:
        model.load_state_dict(best["state"])
    return history


def snapshot(model: Any) -> dict[str, np.ndarray]:
    """A copy of the model's state that later steps cannot change (torch's state_dict shares memory)."""
    return {
        k: np.array(v.detach().numpy() if hasattr(v, "detach") else v, copy=True)
        for k, v in model.state_dict().items()
    }


def _check_finite_weights(model: Any, epoch: int) -> None:
    """A step can overflow the weights (or BatchNorm's running statistics) while its loss was
    still finite: catch it before a save."""
    for name, value in model.state_dict().items():
        array = np.asarray(value)
        if array.dtype.kind == "f" and not np.isfinite(array).all():
            raise FloatingPointError(
                message(
                    "fit",
                    "finite weights",
                    f"non-finite values in {name} after epoch {epoch}",
                    "lower the learning rate, or clip gradients (nn.utils.clip_grad_norm_).",
                )
            )


def predict(model: Any, X: np.ndarray, batch_size: int = 1024) -> np.ndarray:
    """The model's outputs on ``X`` in eval mode, without recording a graph."""
    was_training = model.training
    model.eval()
    with no_grad():
        out = np.concatenate(
            [
                model(Tensor._of(X[i : i + batch_size])).detach().numpy()
                for i in range(0, len(X), batch_size)
            ]
        )
    model.train(was_training)
    return out
