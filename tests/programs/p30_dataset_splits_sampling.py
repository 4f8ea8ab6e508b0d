"""Dataset plumbing from Kaggle notebooks: random_split by fractions with a seeded generator,
Subset for a fixed hold-out, ConcatDataset of two sources, and class-balanced sampling of an
imbalanced set with WeightedRandomSampler (1 / class count per sample). The draws differ
between libraries, so the program reports what must hold whatever the draw."""

import numpy as np
from sklearn.datasets import load_iris

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-5


def main(torch):
    nn = torch.nn
    data = torch.utils.data
    X, y = load_iris(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    full = data.TensorDataset(
        torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.long)
    )
    train_part, val_part = data.random_split(
        full, [0.8, 0.2], generator=torch.Generator().manual_seed(42)
    )
    again, _ = data.random_split(full, [0.8, 0.2], generator=torch.Generator().manual_seed(42))
    split_ok = sorted(list(train_part.indices) + list(val_part.indices)) == list(range(150))

    # a fixed hold-out, as when the split comes from a file
    holdout = data.Subset(full, list(range(0, 150, 5)))
    rest = data.Subset(full, [i for i in range(150) if i % 5])
    extra = data.TensorDataset(
        torch.tensor(X[:10] * 1.01, dtype=torch.float32), torch.tensor(y[:10], dtype=torch.long)
    )
    train_set = data.ConcatDataset([rest, extra])
    last_x, last_y = train_set[len(train_set) - 1]
    first_extra = train_set[len(rest)][1]

    # imbalanced: all of class 0, a fifth of classes 1 and 2
    keep = [i for i in range(150) if y[i] == 0 or i % 5 == 0]
    imbalanced = data.Subset(full, keep)
    labels = torch.tensor(y[keep], dtype=torch.long)
    counts = torch.bincount(labels)
    weights = 1.0 / counts.float()
    sample_weights = weights[labels]
    sampler = data.WeightedRandomSampler(
        sample_weights,
        num_samples=3000,
        replacement=True,
        generator=torch.Generator().manual_seed(0),
    )
    drawn = torch.tensor(list(iter(sampler)))
    drawn_labels = labels[drawn]
    shares = torch.bincount(drawn_labels, minlength=3).float() / len(drawn)

    loader = data.DataLoader(train_set, batch_size=32, shuffle=False)
    model = nn.Sequential(nn.Linear(4, 12), nn.ReLU(), nn.Linear(12, 3))
    init_from_numpy(torch, model, seed=30)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    criterion = nn.CrossEntropyLoss()
    losses = []
    for _ in range(15):
        total = 0.0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(yb)
        losses.append(total / len(train_set))
    hx = torch.stack([holdout[i][0] for i in range(len(holdout))])
    hy = torch.stack([holdout[i][1] for i in range(len(holdout))])
    with torch.no_grad():
        holdout_acc = (model(hx).argmax(1) == hy).float().mean().item()
    return {
        "split_sizes": [len(train_part), len(val_part)],
        "split_covers": split_ok,
        "same_seed_same_split": list(train_part.indices) == list(again.indices),
        "concat": [[len(train_set)], list(last_x.shape), [int(last_y), int(first_extra)]],
        "cumulative_sizes": list(train_set.cumulative_sizes),
        "counts": counts.tolist(),
        "sampler_len": len(sampler),
        "drawn_in_range": bool(((drawn >= 0) & (drawn < len(imbalanced))).all()),
        "balanced_shares": np.round(shares.numpy(), 1),
        "losses": np.array(losses),
        "holdout_acc": holdout_acc,
    }
