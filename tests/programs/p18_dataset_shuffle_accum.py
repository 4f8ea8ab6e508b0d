"""A custom Dataset over wine, a DataLoader shuffled by a seeded torch.Generator, and gradient
accumulation over every micro-batch of an epoch (one optimizer step per epoch, so the shuffled
order only changes float rounding); reproducibility of the order from the seed."""

import numpy as np
from sklearn.datasets import load_wine

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-5


def main(torch):
    nn = torch.nn
    Dataset, DataLoader = torch.utils.data.Dataset, torch.utils.data.DataLoader

    class WineDataset(Dataset):
        def __init__(self):
            X, y = load_wine(return_X_y=True)
            X = (X - X.mean(axis=0)) / X.std(axis=0)
            self.x = torch.tensor(X, dtype=torch.float32)
            self.y = torch.tensor(y, dtype=torch.long)
            self.n_samples = X.shape[0]

        def __getitem__(self, index):
            return self.x[index], self.y[index], index

        def __len__(self):
            return self.n_samples

    dataset = WineDataset()
    first_x, first_y, first_i = dataset[0]
    g = torch.Generator()
    g.manual_seed(0)
    loader = DataLoader(dataset, batch_size=16, shuffle=True, generator=g)

    def epoch_order(seed):
        gen = torch.Generator().manual_seed(seed)
        dl = DataLoader(dataset, batch_size=16, shuffle=True, generator=gen)
        return torch.cat([idx for _, _, idx in dl]).tolist()

    model = nn.Sequential(nn.Linear(13, 16), nn.Tanh(), nn.Linear(16, 3))
    init_from_numpy(torch, model, seed=18)
    criterion = nn.CrossEntropyLoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5)
    losses, covered, batch_sizes = [], [], []
    for epoch in range(5):
        optimizer.zero_grad()
        total, seen = 0.0, []
        for i, (features, labels, idx) in enumerate(loader):
            loss = criterion(model(features), labels) / len(dataset)
            loss.backward()  # gradients accumulate until the epoch's one step
            total += loss.item()
            seen.append(idx)
            if epoch == 0:
                batch_sizes.append(features.shape[0])
        optimizer.step()
        losses.append(total)
        covered.append(sorted(torch.cat(seen).tolist()) == list(range(len(dataset))))

    dropped = DataLoader(dataset, batch_size=16, shuffle=True, drop_last=True)
    order_a, order_b, order_c = epoch_order(7), epoch_order(7), epoch_order(8)
    with torch.no_grad():
        acc = (model(dataset.x).argmax(dim=1) == dataset.y).float().mean().item()
    return {
        "losses": np.array(losses),
        "covered": covered,
        "batch_sizes": batch_sizes,
        "n_batches": len(loader),
        "n_dropped": len(dropped),
        "dropped_sizes": sorted({xb.shape[0] for xb, _, _ in dropped}),
        "same_seed_same_order": order_a == order_b,
        "other_seed_other_order": order_a != order_c,
        "is_permutation": sorted(order_a) == list(range(len(dataset))),
        "first": [list(first_x.shape), int(first_y), int(first_i)],
        "index_dtype": str(next(iter(loader))[2].dtype).split(".")[-1],
        "accuracy": acc,
    }
