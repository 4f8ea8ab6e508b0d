"""model.train() / model.eval() done right: Dropout zeroes and rescales by 1/(1-p) only in
training (checked by its documented behaviour, not its random mask), BatchNorm1d uses batch
statistics in training and running ones in eval, eval is deterministic, .training flags
propagate to children, and requires_grad_(False) freezes while mode stays separate."""

import numpy as np
from sklearn.datasets import load_breast_cancer

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-5


def main(torch):
    nn = torch.nn
    torch.manual_seed(28)
    X, y = load_breast_cancer(return_X_y=True)
    X = torch.tensor((X - X.mean(0)) / X.std(0), dtype=torch.float32)
    y = torch.tensor(y, dtype=torch.float32)

    class Net(nn.Module):
        def __init__(self, p=0.3):
            super().__init__()
            self.fc1 = nn.Linear(30, 32)
            self.bn = nn.BatchNorm1d(32, momentum=0.2)
            self.drop = nn.Dropout(p)
            self.fc2 = nn.Linear(32, 1)

        def forward(self, x):
            return self.fc2(self.drop(torch.relu(self.bn(self.fc1(x))))).squeeze(-1)

    model = Net()
    init_from_numpy(torch, model, seed=28, scale=0.2)
    drop = nn.Dropout(p=0.25)
    ones = torch.ones(400, 50)
    dropped = drop(ones)
    kept = dropped != 0
    drop_ok = bool(torch.allclose(dropped[kept], torch.full_like(dropped[kept], 1 / 0.75)))
    zero_frac = 1 - kept.float().mean().item()
    drop.eval()
    identity_in_eval = bool(torch.equal(drop(ones), ones))
    functional_eval = bool(torch.equal(nn.functional.dropout(ones, 0.5, training=False), ones))

    model.train()
    flags_train = [m.training for m in model.modules()]
    with torch.no_grad():
        batch_mode = model.bn(model.fc1(X[:64]))
    model.eval()
    flags_eval = [m.training for m in model.modules()]
    with torch.no_grad():
        out_a, out_b = model(X), model(X)
    deterministic = bool(torch.equal(out_a, out_b))
    running_after_one = model.bn.running_mean.clone()

    model.drop.p = 0.0  # the mask is random: compare training itself with dropout switched off
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    criterion = nn.BCEWithLogitsLoss()
    losses = []
    for epoch in range(4):
        for xb, yb in zip(X.split(128), y.split(128)):
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        acc = ((model(X) > 0).float() == y).float().mean().item()
    for p in model.fc1.parameters():
        p.requires_grad_(False)
    return {
        "drop_scale_ok": drop_ok,
        "zero_frac_plausible": bool(0.2 < zero_frac < 0.3),
        "identity_in_eval": identity_in_eval,
        "functional_eval": functional_eval,
        "flags_train": flags_train,
        "flags_eval": flags_eval,
        "batch_mean_zero": bool(batch_mode.mean(0).abs().max().item() < 1e-5),
        "deterministic": deterministic,
        "running_after_one": running_after_one.numpy(),
        "losses": np.array(losses),
        "acc": acc,
        "running_var": model.bn.running_var.numpy(),
        "tracked": model.bn.num_batches_tracked.item(),
        "frozen": [p.requires_grad for p in model.parameters()],
        "still_eval": model.training,
    }
