"""Cyclical learning rates as fast.ai-era notebooks use them: CyclicLR in its three modes
(triangular, triangular2, exp_range) stepped per batch with momentum cycling on SGD, OneCycleLR
with three_phase and a linear anneal, a LinearLR warm-up; the lr and momentum logged from
optimizer.param_groups[0] each batch, a short training run under CyclicLR; then full-batch
torch.optim.LBFGS with a closure (strong-Wolfe line search) fitting the same model, as small
tabular and physics-informed notebooks do."""

import numpy as np
from sklearn.datasets import load_iris

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-5, 1e-8


def _trace(torch, make, steps=24, momentum=0.9):
    weight = torch.zeros(3, requires_grad=True)
    optimizer = torch.optim.SGD([weight], lr=0.1, momentum=momentum)
    scheduler = make(optimizer)
    lrs, momenta = [], []
    for _ in range(steps):
        optimizer.step()
        scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        momenta.append(optimizer.param_groups[0]["momentum"])
    return np.array(lrs), np.array(momenta), scheduler.get_last_lr()


def main(torch):
    sched = torch.optim.lr_scheduler
    out = {}
    out["triangular"], out["triangular_momentum"], _ = _trace(
        torch, lambda o: sched.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=4)
    )
    out["triangular2"], _, out["triangular2_last"] = _trace(
        torch,
        lambda o: sched.CyclicLR(
            o, base_lr=0.01, max_lr=0.1, step_size_up=3, step_size_down=5, mode="triangular2"
        ),
    )
    out["exp_range"], out["exp_range_momentum"], _ = _trace(
        torch,
        lambda o: sched.CyclicLR(
            o,
            base_lr=0.001,
            max_lr=0.05,
            step_size_up=5,
            mode="exp_range",
            gamma=0.97,
            base_momentum=0.85,
            max_momentum=0.95,
        ),
    )
    out["custom_scale"], _, _ = _trace(
        torch,
        lambda o: sched.CyclicLR(
            o,
            base_lr=0.01,
            max_lr=0.1,
            step_size_up=2,
            scale_fn=lambda c: 1 / c,
            scale_mode="cycle",
            cycle_momentum=False,
        ),
    )
    out["one_cycle_three_phase"], out["one_cycle_momentum"], _ = _trace(
        torch,
        lambda o: sched.OneCycleLR(
            o,
            max_lr=0.2,
            total_steps=25,
            three_phase=True,
            anneal_strategy="linear",
            pct_start=0.3,
            div_factor=10.0,
            final_div_factor=100.0,
        ),
    )
    out["linear_warmup"], _, _ = _trace(
        torch, lambda o: sched.LinearLR(o, start_factor=0.01, end_factor=1.0, total_iters=6)
    )

    X, y = load_iris(return_X_y=True)
    X = torch.tensor((X - X.mean(0)) / X.std(0), dtype=torch.float32)
    y = torch.tensor(y)
    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 3))
    init_from_numpy(torch, model, seed=51)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    scheduler = sched.CyclicLR(optimizer, base_lr=0.01, max_lr=0.2, step_size_up=5)
    losses, lrs = [], []
    for epoch in range(4):
        for start in range(0, 150, 30):
            idx = torch.arange(start, start + 30)
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(X[idx]), y[idx])
            loss.backward()
            optimizer.step()
            scheduler.step()
            lrs.append(scheduler.get_last_lr()[0])
        losses.append(loss.item())
    out["train_losses"] = np.array(losses)
    out["train_lrs"] = np.array(lrs)

    model = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 3))
    init_from_numpy(torch, model, seed=52)
    # float64, as L-BFGS fits often run: its line search amplifies float32's last bits
    model, X = model.double(), X.double()
    lbfgs = torch.optim.LBFGS(
        model.parameters(), lr=1.0, max_iter=10, history_size=10, line_search_fn="strong_wolfe"
    )

    def closure():
        lbfgs.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(X), y)
        loss.backward()
        return loss

    lbfgs_losses = [lbfgs.step(closure).item() for _ in range(4)]
    with torch.no_grad():
        final = torch.nn.functional.cross_entropy(model(X), y).item()
    out["lbfgs_losses"] = np.array(lbfgs_losses)
    out["lbfgs_final"] = final
    out["lbfgs_accuracy"] = (model(X).argmax(1) == y).float().mean().item()
    return out
