"""MSE regression over a DataLoader; random_split for a validation set; StepLR."""

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-5


def main(torch):
    nn = torch.nn
    from_numpy = torch.from_numpy
    data = torch.utils.data
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(200, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.3 + 0.1 * rng.standard_normal(200)
    X_t = from_numpy(X).float()
    y_t = from_numpy(y).float().view(-1, 1)

    dataset = data.TensorDataset(X_t, y_t)
    train_size = int(0.8 * len(dataset))
    train_ds, val_ds = data.random_split(
        dataset,
        [train_size, len(dataset) - train_size],
        generator=torch.Generator().manual_seed(42),
    )
    split_ok = sorted(list(train_ds.indices) + list(val_ds.indices)) == list(range(200))
    fraction_sizes = [len(s) for s in data.random_split(dataset, [0.7, 0.3])]

    model = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 1))
    init_from_numpy(torch, model, seed=3)
    loader = data.DataLoader(dataset, batch_size=32, shuffle=False, drop_last=True)
    loss_fn = nn.MSELoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=5, gamma=0.5)
    history = []
    for epoch in range(15):
        total = 0.0
        for xb, yb in loader:
            pred = model(xb)
            loss = loss_fn(pred, yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item()
        scheduler.step()
        history.append(total / len(loader))

    model.eval()
    with torch.no_grad():
        full_mse = loss_fn(model(X_t), y_t).item()
        val_x = torch.stack([val_ds[i][0] for i in range(len(val_ds))])
    return {
        "history": history,
        "full_mse": full_mse,
        "sizes": [len(train_ds), len(val_ds)],
        "fraction_sizes": fraction_sizes,
        "split_ok": split_ok,
        "val_x_shape": list(val_x.shape),
        "n_batches": len(loader),
        "lr": scheduler.get_last_lr()[0],
    }
