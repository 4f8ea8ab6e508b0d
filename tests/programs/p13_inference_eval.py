"""Evaluation helpers: @torch.no_grad() as a decorator, inference_mode, a confusion matrix."""

import numpy as np
from sklearn.datasets import load_iris

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-5, 1e-6


def main(torch):
    nn = torch.nn
    F = torch.nn.functional
    data = torch.utils.data
    X, y = load_iris(return_X_y=True)
    ds = data.TensorDataset(torch.tensor(X, dtype=torch.float32), torch.tensor(y))
    loader = data.DataLoader(ds, batch_size=50)
    model = nn.Sequential(nn.Linear(4, 8), nn.Softplus(), nn.Linear(8, 3))
    init_from_numpy(torch, model, seed=13)

    @torch.no_grad()
    def evaluate(model, loader):
        model.eval()
        total_loss, preds, targets = 0.0, [], []
        for xb, yb in loader:
            logits = model(xb)
            total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
            preds.append(logits.argmax(dim=1))
            targets.append(yb)
        return total_loss / len(loader.dataset), torch.cat(preds), torch.cat(targets)

    loss, preds, targets = evaluate(model, loader)
    confusion = torch.zeros(3, 3, dtype=torch.long)
    for t, p in zip(targets, preds):
        confusion[t, p] += 1
    per_class = confusion.diag().float() / confusion.sum(1).float()

    with torch.inference_mode():
        probs = F.softmax(model(ds.tensors[0][:5]), dim=-1)
    top_p, top_class = probs.topk(1, dim=1)
    with torch.set_grad_enabled(False):
        no_grad_out = model(ds.tensors[0][:2])
    grad_flag = torch.is_grad_enabled()
    x = torch.tensor([[5.1, 3.5, 1.4, 0.2]])
    with torch.no_grad():
        single = model(x).squeeze(0)
    return {
        "loss": loss,
        "confusion": confusion.numpy(),
        "per_class": per_class.numpy(),
        "probs": probs.numpy(),
        "top_class": top_class.squeeze(1).tolist(),
        "top_p": top_p.numpy(),
        "no_grad_requires": no_grad_out.requires_grad,
        "grad_flag": grad_flag,
        "single": single.numpy(),
        "n_batches": len(loader),
        "first_batch_shapes": [list(t.shape) for t in next(iter(loader))],
        "dataset_len": len(ds),
        "item": [list(t.shape) for t in ds[0]],
        "label_hist": np.bincount(targets.numpy()),
    }
