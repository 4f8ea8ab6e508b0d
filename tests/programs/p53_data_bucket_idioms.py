"""Data-loading and binning idioms from Kaggle tabular notebooks: a custom Dataset returning
(features dict, target dict) tuples batched by a collate_fn, a BatchSampler over a
SequentialSampler with drop_last, a DataLoader with batch_sampler=, Subset views; features
binned by torch.bucketize against quantile boundaries and torch.searchsorted, category counts
from torch.unique(return_inverse=True, return_counts=True), torch.histc, torch.multinomial draws
counted (not ordered), recall@k from topk, masked_fill(-inf) before softmax."""

import numpy as np
from sklearn.datasets import load_diabetes

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-5


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    data = torch.utils.data
    X, y = load_diabetes(return_X_y=True)
    X = torch.tensor((X - X.mean(0)) / X.std(0), dtype=torch.float32)
    y = torch.tensor((y - y.mean()) / y.std(), dtype=torch.float32)

    bmi = X[:, 2].contiguous()
    boundaries = torch.quantile(bmi, torch.tensor([0.25, 0.5, 0.75]))
    bins = torch.bucketize(bmi, boundaries)
    bins_right = torch.bucketize(bmi, boundaries, right=True)
    sorted_ages, _ = torch.sort(X[:, 0])
    positions = torch.searchsorted(sorted_ages, torch.tensor([-1.0, 0.0, 1.0]))
    positions_right = torch.searchsorted(sorted_ages, sorted_ages[:5], side="right")
    values, inverse, counts = torch.unique(bins, return_inverse=True, return_counts=True)
    sex, sex_inverse = torch.unique(X[:, 1], sorted=True, return_inverse=True)

    class Tabular(data.Dataset):
        def __len__(self):
            return len(y)

        def __getitem__(self, i):
            return {"numeric": X[i], "bucket": bins[i]}, {"target": y[i]}

    def collate(items):
        features = {k: torch.stack([f[k] for f, _ in items]) for k in items[0][0]}
        targets = torch.stack([t["target"] for _, t in items])
        return features, targets

    dataset = Tabular()
    train = data.Subset(dataset, list(range(0, 400)))
    sampler = data.BatchSampler(data.SequentialSampler(train), batch_size=64, drop_last=True)
    loader = data.DataLoader(train, batch_sampler=sampler, collate_fn=collate)
    plain = data.DataLoader(data.TensorDataset(X[:100], y[:100]), batch_size=32, drop_last=True)

    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.bucket = nn.Embedding(4, 3)
            self.fc = nn.Linear(13, 1)

        def forward(self, batch):
            h = torch.cat([batch["numeric"], self.bucket(batch["bucket"])], dim=1)
            return self.fc(h).squeeze(1)

    model = Model()
    init_from_numpy(torch, model, seed=53)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    losses = []
    for epoch in range(3):
        for features, target in loader:
            optimizer.zero_grad()
            loss = F.mse_loss(model(features), target)
            loss.backward()
            optimizer.step()
        losses.append(loss.item())

    generator = torch.Generator().manual_seed(53)
    probs = torch.tensor([0.0, 0.2, 0.0, 0.8])
    draws = torch.multinomial(probs, 2, replacement=False, generator=generator)
    many = torch.multinomial(torch.tensor([[1.0, 0.0, 3.0], [0.0, 5.0, 0.0]]), 4, replacement=True)
    scores = torch.from_numpy(np.random.default_rng(53).standard_normal((6, 8)).astype(np.float32))
    relevant = torch.tensor([1, 3, 0, 7, 2, 2])
    topk = scores.topk(3, dim=1).indices
    recall_at_3 = (topk == relevant.unsqueeze(1)).any(1).float().mean()
    mask = torch.arange(8).unsqueeze(0) >= torch.tensor([3, 8, 5, 1, 8, 4]).unsqueeze(1)
    attention = F.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
    clipped = torch.where(scores > 1.0, 1.0, scores)
    return {
        "boundaries": boundaries.numpy(),
        "bins_head": bins[:12].numpy(),
        "bins_right_differ": int((bins != bins_right).sum()),
        "positions": positions.numpy(),
        "positions_right": positions_right.numpy(),
        "unique_values": values.numpy(),
        "unique_counts": counts.numpy(),
        "inverse_matches": bool(torch.equal(values[inverse], bins)),
        "sex_values": len(sex),
        "sex_inverse_head": sex_inverse[:8].numpy(),
        "histc": torch.histc(X[:, 3], bins=6, min=-2.0, max=2.0).numpy(),
        "histc_auto": torch.histc(y, bins=4).numpy(),
        "batches_per_epoch": len(loader),
        "batch_sizes": [len(t) for _, t in loader],
        "plain_batches": len(plain),
        "first_batch_keys": sorted(next(iter(loader))[0].keys()),
        "losses": np.array(losses),
        "draws_sorted": torch.sort(draws).values.numpy(),
        "many_counts": torch.stack([torch.bincount(r, minlength=3) for r in many]).numpy()[1],
        "many_never_zero_prob": bool((many[0] != 1).all()),
        "recall_at_3": recall_at_3.item(),
        "attention_rows": attention.sum(1).numpy(),
        "attention_masked": attention[mask].abs().sum().item(),
        "clipped_max": clipped.max().item(),
    }
