"""Checkpointing as training scripts do it: save model + optimizer + scheduler + epoch in one
dict, resume into fresh objects and continue (must match an uninterrupted run), then load the
backbone into a model with a new head with strict=False and read missing / unexpected keys."""

import os
import tempfile

import numpy as np
from sklearn.datasets import load_wine

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-5, 1e-6


def main(torch):
    nn = torch.nn
    X, y = load_wine(return_X_y=True)
    X = torch.tensor((X - X.mean(0)) / X.std(0), dtype=torch.float32)
    y = torch.tensor(y)

    class Net(nn.Module):
        def __init__(self, n_out=3):
            super().__init__()
            self.backbone = nn.Sequential(nn.Linear(13, 24), nn.BatchNorm1d(24), nn.ReLU())
            self.head = nn.Linear(24, n_out)

        def forward(self, x):
            return self.head(self.backbone(x))

    def make():
        model = Net()
        init_from_numpy(torch, model, seed=26)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=1e-4)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
        return model, optimizer, scheduler

    def train_epoch(model, optimizer, scheduler):
        model.train()
        for xb, yb in zip(X.split(45), y.split(45)):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
        scheduler.step()
        return loss.item()

    model, optimizer, scheduler = make()
    straight = [train_epoch(model, optimizer, scheduler) for _ in range(8)]

    model, optimizer, scheduler = make()
    resumed = [train_epoch(model, optimizer, scheduler) for _ in range(4)]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "checkpoint.pth")
        torch.save(
            {
                "epoch": 4,
                "model_state_dict": model.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(),
                "scheduler_state_dict": scheduler.state_dict(),
                "loss": resumed[-1],
            },
            path,
        )
        checkpoint = torch.load(path, map_location="cpu")
        torch.save(model.backbone.state_dict(), os.path.join(tmp, "backbone.pt"))
        backbone_sd = torch.load(os.path.join(tmp, "backbone.pt"))
    model, optimizer, scheduler = make()
    model.load_state_dict(checkpoint["model_state_dict"])
    optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
    scheduler.load_state_dict(checkpoint["scheduler_state_dict"])
    start = checkpoint["epoch"]
    resumed += [train_epoch(model, optimizer, scheduler) for _ in range(start, 8)]

    transfer = Net(n_out=5)
    full_sd = {"backbone." + k: v for k, v in backbone_sd.items()}
    full_sd["extra.weight"] = torch.zeros(2)
    result = transfer.load_state_dict(full_sd, strict=False)
    try:
        transfer.load_state_dict(full_sd)
        strict_error = None
    except RuntimeError as err:
        strict_error = "Error(s) in loading" in str(err) or "unexpected" in str(err)
    transfer.eval()
    model.eval()
    with torch.no_grad():
        same_features = torch.allclose(transfer.backbone(X), model.backbone(X))
    return {
        "straight": np.array(straight),
        "resumed": np.array(resumed),
        "lr": scheduler.get_last_lr(),
        "checkpoint_keys": sorted(checkpoint.keys()),
        "optimizer_state_keys": sorted(checkpoint["optimizer_state_dict"].keys()),
        "n_state": len(checkpoint["optimizer_state_dict"]["state"]),
        "saved_group": {
            k: checkpoint["optimizer_state_dict"]["param_groups"][0][k]
            for k in ("lr", "initial_lr", "weight_decay", "eps", "params")
        },
        "missing": sorted(result.missing_keys),
        "unexpected": sorted(result.unexpected_keys),
        "strict_error": strict_error,
        "same_features": bool(same_features),
        "backbone_keys": list(backbone_sd.keys()),
    }
