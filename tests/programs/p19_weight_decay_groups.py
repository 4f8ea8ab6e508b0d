"""Weight decay only on weights: named_parameters() split into decay / no_decay groups (biases and
norm layers excluded), AdamW, OneCycleLR stepped per batch, lr read from param_groups."""

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-5


def main(torch):
    nn = torch.nn
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    X_t = torch.tensor(X, dtype=torch.float32)
    y_t = torch.tensor(y, dtype=torch.float32).unsqueeze(1)
    train = torch.utils.data.TensorDataset(X_t[:448], y_t[:448])
    loader = torch.utils.data.DataLoader(train, batch_size=64)

    class Net(nn.Module):
        def __init__(self, d_in, hidden=32):
            super().__init__()
            self.fc1 = nn.Linear(d_in, hidden)
            self.norm = nn.LayerNorm(hidden)
            self.act = nn.GELU()
            self.out = nn.Linear(hidden, 1)

        def forward(self, x):
            return self.out(self.act(self.norm(self.fc1(x))))

    model = Net(X.shape[1])
    init_from_numpy(torch, model, seed=19, scale=0.1)
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        if name.endswith(".bias") or "norm" in name:
            no_decay.append(param)
        else:
            decay.append(param)
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
        lr=1e-3,
        betas=(0.9, 0.98),
        eps=1e-6,
    )
    epochs = 4
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=1e-2, epochs=epochs, steps_per_epoch=len(loader), pct_start=0.25
    )
    criterion = nn.BCEWithLogitsLoss()
    lrs, losses = [], []
    for epoch in range(epochs):
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            scheduler.step()
            lrs.append(optimizer.param_groups[0]["lr"])
        losses.append(loss.item())

    model.eval()
    with torch.no_grad():
        logits = model(X_t[448:])
        preds = (torch.sigmoid(logits) > 0.5).long()
        acc = (preds == y_t[448:].long()).float().mean().item()
    return {
        "n_decay": len(decay),
        "n_no_decay": len(no_decay),
        "group_sizes": [len(g["params"]) for g in optimizer.param_groups],
        "group_wd": [g["weight_decay"] for g in optimizer.param_groups],
        "lrs": np.array(lrs),
        "betas": list(optimizer.param_groups[1]["betas"]),
        "initial_lr": optimizer.param_groups[0]["initial_lr"],
        "losses": np.array(losses),
        "acc": acc,
        "fc1_norm": model.fc1.weight.norm().item(),
        "state_steps": [float(s["step"]) for s in optimizer.state.values()],
    }
