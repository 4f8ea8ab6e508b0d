"""Early stopping with copy.deepcopy(state_dict()), then torch.save / torch.load of the best."""

import copy
import os
import tempfile

import numpy as np
from sklearn.datasets import load_wine
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-5


def main(torch):
    nn = torch.nn
    X, y = load_wine(return_X_y=True)
    X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
    scaler = StandardScaler().fit(X_tr)
    X_tr = torch.tensor(scaler.transform(X_tr), dtype=torch.float32)
    X_va = torch.tensor(scaler.transform(X_va), dtype=torch.float32)
    y_tr, y_va = torch.tensor(y_tr), torch.tensor(y_va)

    def make_model():
        return nn.Sequential(
            nn.Linear(13, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Dropout(0.0), nn.Linear(32, 3)
        )

    model = make_model()
    init_from_numpy(torch, model, seed=7)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9, nesterov=True)
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    best_loss, best_state, best_epoch = float("inf"), None, -1
    patience, bad_epochs = 5, 0
    val_losses = []
    for epoch in range(100):
        model.train()
        optimizer.zero_grad()
        criterion(model(X_tr), y_tr).backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            val_loss = criterion(model(X_va), y_va).item()
        val_losses.append(val_loss)
        if val_loss < best_loss - 1e-4:
            best_loss, best_epoch, bad_epochs = val_loss, epoch, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            bad_epochs += 1
            if bad_epochs >= patience:
                break

    model.load_state_dict(best_state)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "best_model.pt")
        torch.save(model.state_dict(), path)
        torch.save(
            {"epoch": best_epoch, "optimizer": optimizer.state_dict()},
            os.path.join(tmp, "ckpt.pth"),
        )
        restored = make_model()
        restored.load_state_dict(torch.load(path))
        ckpt = torch.load(os.path.join(tmp, "ckpt.pth"))
    restored.eval()
    with torch.no_grad():
        same = torch.allclose(restored(X_va), model(X_va))
        acc = (restored(X_va).argmax(dim=1) == y_va).float().mean().item()
    return {
        "val_losses": np.array(val_losses),
        "best_epoch": best_epoch,
        "stopped_at": len(val_losses),
        "restored_same": bool(same),
        "accuracy": acc,
        "ckpt_epoch": ckpt["epoch"],
        "state_keys": sorted(best_state.keys()),
        "num_batches_tracked": int(model[1].num_batches_tracked),
    }
