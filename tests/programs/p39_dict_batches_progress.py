"""A training loop as course homework writes it: a Dataset returning dicts, default_collate
of those dicts (and of tuples and nested lists), running averages printed every few batches
without tqdm, gradient clipping by value with nn.utils.clip_grad_value_, and an evaluation
pass that accumulates a confusion matrix with index_put_."""

import io
from contextlib import redirect_stdout

import numpy as np
from sklearn.datasets import load_breast_cancer

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-5


class AverageMeter:
    """The meter from the PyTorch ImageNet example."""

    def __init__(self):
        self.sum, self.count, self.avg = 0.0, 0, 0.0

    def update(self, value, n=1):
        self.sum += value * n
        self.count += n
        self.avg = self.sum / self.count


def main(torch):
    nn, data = torch.nn, torch.utils.data
    X, y = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)

    class Records(data.Dataset):
        def __len__(self):
            return len(y)

        def __getitem__(self, i):
            return {
                "features": torch.tensor(X[i], dtype=torch.float32),
                "label": int(y[i]),
                "meta": {"id": i, "weight": 1.0 + (i % 3)},
            }

    records = Records()
    batch = data.default_collate([records[0], records[1], records[2]])
    tuples = data.default_collate([(np.float32(1.5), 2), (np.float32(2.5), 3)])
    loader = data.DataLoader(records, batch_size=64, shuffle=False)

    model = nn.Sequential(nn.Linear(30, 16), nn.ReLU(), nn.Linear(16, 2))
    init_from_numpy(torch, model, seed=39)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    criterion = nn.CrossEntropyLoss(reduction="none")
    printed = io.StringIO()
    epoch_losses, max_grads = [], []
    with redirect_stdout(printed):
        for epoch in range(3):
            meter = AverageMeter()
            for step, b in enumerate(loader):
                optimizer.zero_grad()
                per_sample = criterion(model(b["features"]), b["label"])
                loss = (per_sample * b["meta"]["weight"].float()).mean()
                loss.backward()
                nn.utils.clip_grad_value_(model.parameters(), clip_value=0.1)
                max_grads.append(max(p.grad.abs().max().item() for p in model.parameters()))
                optimizer.step()
                meter.update(loss.item(), n=len(b["label"]))
                if step % 4 == 0:
                    print(f"epoch {epoch} [{step * 64:4d}/{len(records)}] loss {meter.avg:.3f}")
            epoch_losses.append(meter.avg)
    confusion = torch.zeros(2, 2, dtype=torch.long)
    model.eval()
    with torch.no_grad():
        for b in loader:
            pred = model(b["features"]).argmax(1)
            confusion.index_put_((b["label"], pred), torch.ones_like(pred), accumulate=True)
    return {
        "batch_keys": sorted(batch),
        "batch_shapes": [list(batch["features"].shape), list(batch["label"].shape)],
        "label_dtype": str(batch["label"].dtype).split(".")[-1],
        "meta_ids": batch["meta"]["id"].tolist(),
        "meta_weight_dtype": str(batch["meta"]["weight"].dtype).split(".")[-1],
        "tuples": [tuples[0].tolist(), tuples[1].tolist(), str(tuples[1].dtype).split(".")[-1]],
        "epoch_losses": np.array(epoch_losses),
        "clipped": max(max_grads) <= 0.1 + 1e-7,
        "n_lines": len(printed.getvalue().splitlines()),
        "confusion": confusion.numpy(),
    }
