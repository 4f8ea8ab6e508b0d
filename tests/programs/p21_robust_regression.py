"""Regression on sklearn diabetes with SmoothL1Loss / HuberLoss, RMSprop (momentum, centered) and
Adagrad, LambdaLR warm-up, and the lr edited by hand through param_groups mid-training."""

import numpy as np
from sklearn.datasets import load_diabetes

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-5
WARMUP = 5


def main(torch):
    nn = torch.nn
    X, y = load_diabetes(return_X_y=True)
    X = torch.tensor(X * 10, dtype=torch.float32)
    y = torch.tensor((y - y.mean()) / y.std(), dtype=torch.float32).view(-1, 1)
    X_tr, y_tr, X_te, y_te = X[:350], y[:350], X[350:], y[350:]

    def make():
        model = nn.Sequential(nn.Linear(10, 32), nn.LeakyReLU(0.01), nn.Linear(32, 1))
        init_from_numpy(torch, model, seed=21, scale=0.2)
        return model

    runs = {}
    configs = {
        "rmsprop_smoothl1": (
            lambda p: torch.optim.RMSprop(p, lr=1e-3, alpha=0.9, momentum=0.9, centered=True),
            nn.SmoothL1Loss(beta=0.5),
        ),
        "adagrad_huber": (
            lambda p: torch.optim.Adagrad(p, lr=0.05, lr_decay=1e-3, initial_accumulator_value=0.1),
            nn.HuberLoss(delta=1.0),
        ),
    }
    for name, (make_opt, criterion) in configs.items():
        model = make()
        optimizer = make_opt(model.parameters())
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lr_lambda=lambda step: min(1.0, (step + 1) / WARMUP)
        )
        losses, lrs = [], []
        for step in range(30):
            optimizer.zero_grad()
            loss = criterion(model(X_tr), y_tr)
            loss.backward()
            optimizer.step()
            scheduler.step()
            if step == 20:
                for group in optimizer.param_groups:
                    group["lr"] *= 0.5
            losses.append(loss.item())
            lrs.append(optimizer.param_groups[0]["lr"])
        with torch.no_grad():
            pred = model(X_te)
            mse = nn.functional.mse_loss(pred, y_te).item()
            mae = (pred - y_te).abs().mean().item()
            ss_res = ((y_te - pred) ** 2).sum()
            r2 = (1 - ss_res / ((y_te - y_te.mean()) ** 2).sum()).item()
        runs[name] = {"losses": np.array(losses), "lrs": np.array(lrs), "mse": mse, "mae": mae,
                      "r2": r2}  # fmt: skip
    residual = torch.linspace(-3, 3, 13)
    zeros = torch.zeros(13)
    runs["loss_shapes"] = {
        "smooth_l1": nn.functional.smooth_l1_loss(residual, zeros, beta=0.5, reduction="none"),
        "huber": nn.functional.huber_loss(residual, zeros, reduction="none", delta=2.0),
        "l1_sum": nn.functional.l1_loss(residual, zeros, reduction="sum").item(),
    }
    runs["loss_shapes"] = {k: np.asarray(v) for k, v in runs["loss_shapes"].items()}
    return runs
