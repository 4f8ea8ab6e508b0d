"""A multi-task network as multi-head repos write one, then a resume through memory: a shared
trunk with its heads in nn.ModuleDict (a classifier and a regressor), Kendall et al.'s
uncertainty weighting by learned log-variances, each task's loss sent back on its own with
loss.backward(retain_graph=True) before the second, optimizer.zero_grad(set_to_none=False)
leaving zero-filled .grad tensors in place, the per-task gradients read off the shared layer;
then model + optimizer + scheduler state written by torch.save into an io.BytesIO, read back with
buf.seek(0) and torch.load(buf, weights_only=True) into fresh objects, and training resumed:
the resumed run must repeat the uninterrupted one bit for bit."""

import io

import numpy as np
from sklearn.datasets import load_breast_cancer

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-5


def main(torch):
    nn = torch.nn
    X, y = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    # a second target from the same rows: the (scaled) mean radius, regressed from the others
    radius = X[:, 0].copy()
    X = torch.tensor(X[:, 1:], dtype=torch.float32)
    y_cls = torch.tensor(y, dtype=torch.long)
    y_reg = torch.tensor(radius, dtype=torch.float32).unsqueeze(1)

    class MultiTaskNet(nn.Module):
        def __init__(self, in_features, hidden=16):
            super().__init__()
            self.trunk = nn.Sequential(nn.Linear(in_features, hidden), nn.ReLU())
            self.heads = nn.ModuleDict({"cls": nn.Linear(hidden, 2), "reg": nn.Linear(hidden, 1)})
            self.log_vars = nn.Parameter(torch.zeros(2))

        def forward(self, x):
            h = self.trunk(x)
            return {name: head(h) for name, head in self.heads.items()}

    def weighted(losses, log_vars):
        # exp(-s) L + s per task: a task whose loss stays large is weighted down, not ignored
        return sum(torch.exp(-log_vars[i]) * loss + log_vars[i] for i, loss in enumerate(losses))

    def build():
        model = MultiTaskNet(X.shape[1])
        init_from_numpy(torch, model, seed=97, scale=0.2)
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=4, gamma=0.5)
        return model, optimizer, scheduler

    def epoch(model, optimizer, scheduler, record):
        for start in range(0, len(X), 128):
            rows = slice(start, start + 128)
            xb, cb, rb = X[rows], y_cls[rows], y_reg[rows]
            optimizer.zero_grad(set_to_none=False)
            out = model(xb)
            loss_cls = nn.functional.cross_entropy(out["cls"], cb)
            loss_reg = nn.functional.mse_loss(out["reg"], rb)
            total = weighted([loss_cls, loss_reg], model.log_vars)
            total.backward()
            record.append(total.item())
            optimizer.step()
        scheduler.step()

    model, optimizer, scheduler = build()
    # per-task gradients on the shared layer: backward one loss, keep the graph for the other
    out = model(X)
    loss_cls = nn.functional.cross_entropy(out["cls"], y_cls)
    loss_reg = nn.functional.mse_loss(out["reg"], y_reg)
    optimizer.zero_grad(set_to_none=False)
    loss_cls.backward(retain_graph=True)
    grad_cls = model.trunk[0].weight.grad.clone()
    head_reg_untouched = model.heads["reg"].weight.grad is None
    optimizer.zero_grad(set_to_none=False)
    zeros_kept = model.trunk[0].weight.grad is not None and bool(
        (model.trunk[0].weight.grad == 0).all()
    )
    loss_reg.backward()
    grad_reg = model.trunk[0].weight.grad.clone()
    cosine = nn.functional.cosine_similarity(grad_cls.flatten(), grad_reg.flatten(), dim=0)
    optimizer.zero_grad()
    set_to_none_default = model.trunk[0].weight.grad is None

    losses_a = []
    for _ in range(6):
        epoch(model, optimizer, scheduler, losses_a)
    buf = io.BytesIO()
    checkpoint = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "epoch": 6,
    }
    torch.save(checkpoint, buf)
    size_positive = buf.tell() > 0
    for _ in range(4):
        epoch(model, optimizer, scheduler, losses_a)
    final_a = model.heads["cls"].weight.detach().clone()

    buf.seek(0)
    state = torch.load(buf, weights_only=True)
    model_b, optimizer_b, scheduler_b = build()
    model_b.load_state_dict(state["model"])
    optimizer_b.load_state_dict(state["optimizer"])
    scheduler_b.load_state_dict(state["scheduler"])
    losses_b = []
    for _ in range(state["epoch"], 10):
        epoch(model_b, optimizer_b, scheduler_b, losses_b)
    final_b = model_b.heads["cls"].weight.detach()
    resumed_bitwise = losses_b == losses_a[-len(losses_b) :] and torch.equal(final_a, final_b)

    with torch.no_grad():
        out = model(X)
        acc = (out["cls"].argmax(1) == y_cls).float().mean().item()
        rmse = torch.sqrt(nn.functional.mse_loss(out["reg"], y_reg)).item()
    return {
        "head_keys": list(model.heads.keys()),
        "grad_cls": grad_cls[:2, :4].numpy(),
        "grad_reg": grad_reg[:2, :4].numpy(),
        "cosine": cosine.item(),
        "head_reg_untouched": head_reg_untouched,
        "zeros_kept": zeros_kept,
        "set_to_none_default": set_to_none_default,
        "size_positive": size_positive,
        "state_keys": sorted(state["model"].keys()),
        "lr_after": optimizer_b.param_groups[0]["lr"],
        "losses": np.array(losses_a),
        "resumed_bitwise": bool(resumed_bitwise),
        "log_vars": model.log_vars.detach().numpy(),
        "acc": acc,
        "rmse": rmse,
    }
