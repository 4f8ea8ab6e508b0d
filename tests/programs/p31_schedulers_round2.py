"""The schedulers p09 leaves out, as training scripts combine them: MultiStepLR, ExponentialLR,
CosineAnnealingWarmRestarts with T_mult, a linear warm-up then cosine through SequentialLR,
ChainedScheduler, and ReduceLROnPlateau driven by a validation loss that stalls."""

import numpy as np
from sklearn.datasets import load_diabetes

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-5, 1e-8


def _trace(torch, make, epochs=20, lr=0.1):
    weight = torch.zeros(2, requires_grad=True)
    optimizer = torch.optim.SGD([weight], lr=lr, momentum=0.9)
    scheduler = make(optimizer)
    lrs = []
    for _ in range(epochs):
        optimizer.step()
        scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    return np.array(lrs), scheduler.get_last_lr()


def main(torch):
    sched = torch.optim.lr_scheduler
    out = {}
    out["multistep"], _ = _trace(
        torch, lambda o: sched.MultiStepLR(o, milestones=[5, 12], gamma=0.1)
    )
    out["exponential"], _ = _trace(torch, lambda o: sched.ExponentialLR(o, gamma=0.9))
    out["warm_restarts"], last = _trace(
        torch, lambda o: sched.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=1e-3)
    )
    out["warm_restarts_last"] = last
    out["warmup_cosine"], _ = _trace(
        torch,
        lambda o: sched.SequentialLR(
            o,
            schedulers=[
                sched.LinearLR(o, start_factor=0.1, total_iters=4),
                sched.CosineAnnealingLR(o, T_max=16),
            ],
            milestones=[4],
        ),
    )
    out["chained"], _ = _trace(
        torch,
        lambda o: sched.ChainedScheduler(
            [sched.ConstantLR(o, factor=0.5, total_iters=3), sched.ExponentialLR(o, gamma=0.95)]
        ),
    )

    # ReduceLROnPlateau on a real validation loss
    X, y = load_diabetes(return_X_y=True)
    X = torch.tensor((X - X.mean(0)) / X.std(0), dtype=torch.float32)
    y = torch.tensor((y - y.mean()) / y.std(), dtype=torch.float32).unsqueeze(1)
    model = torch.nn.Sequential(torch.nn.Linear(10, 8), torch.nn.Tanh(), torch.nn.Linear(8, 1))
    init_from_numpy(torch, model, seed=31)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    plateau = sched.ReduceLROnPlateau(optimizer, mode="min", factor=0.5, patience=2, min_lr=1e-4)
    val_losses, lrs = [], []
    for epoch in range(30):
        model.train()
        optimizer.zero_grad()
        loss = torch.nn.functional.mse_loss(model(X[:300]), y[:300])
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            val = torch.nn.functional.mse_loss(model(X[300:]), y[300:]).item()
        plateau.step(val)
        val_losses.append(val)
        lrs.append(optimizer.param_groups[0]["lr"])
    out["plateau_val"] = np.array(val_losses)
    out["plateau_lr"] = np.array(lrs)
    out["plateau_best"] = plateau.best
    out["plateau_bad_epochs"] = plateau.num_bad_epochs
    return out
