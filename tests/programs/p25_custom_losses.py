"""Hand-written losses from papers and Kaggle kernels, built from clamp / where / log_softmax /
gather: focal loss, soft Dice, label smoothing by hand against nll_loss, a weighted cross-entropy
with ignore_index, a hinge loss; each one trained for a few steps on iris."""

import numpy as np
from sklearn.datasets import load_iris

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-6


def main(torch):
    nn = torch.nn
    F = torch.nn.functional
    X, y = load_iris(return_X_y=True)
    X = torch.tensor((X - X.mean(0)) / X.std(0), dtype=torch.float32)
    y = torch.tensor(y)

    def focal_loss(logits, target, gamma=2.0, alpha=0.25):
        log_p = F.log_softmax(logits, dim=-1)
        log_pt = log_p.gather(1, target.unsqueeze(1)).squeeze(1)
        pt = log_pt.exp()
        return (-alpha * (1 - pt).pow(gamma) * log_pt).mean()

    def dice_loss(logits, target, eps=1.0):
        probs = torch.softmax(logits, dim=1)
        onehot = F.one_hot(target, probs.shape[1]).float()
        inter = (probs * onehot).sum(0)
        union = probs.sum(0) + onehot.sum(0)
        return 1 - ((2 * inter + eps) / (union + eps)).mean()

    def smoothed_ce(logits, target, smoothing=0.1):
        log_p = F.log_softmax(logits, dim=-1)
        nll = F.nll_loss(log_p, target)
        return (1 - smoothing) * nll - smoothing * log_p.mean(dim=-1).mean()

    def weighted_ignore(logits, target):
        target = torch.where(target == 1, torch.full_like(target, -100), target)
        weight = torch.tensor([1.0, 2.0, 0.5])
        return F.cross_entropy(logits, target, weight=weight, ignore_index=-100)

    def hinge(logits, target):
        correct = logits.gather(1, target.view(-1, 1))
        margins = torch.clamp(logits - correct + 1.0, min=0)
        margins = margins.masked_fill(F.one_hot(target, 3).bool(), 0.0)
        return margins.sum(dim=1).mean()

    out = {}
    for name, loss_fn in [("focal", focal_loss), ("dice", dice_loss), ("smooth", smoothed_ce),
                          ("weighted", weighted_ignore), ("hinge", hinge)]:  # fmt: skip
        model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
        init_from_numpy(torch, model, seed=25)
        if name == "hinge":  # its bias gradient sums to ~0 on balanced iris: Adam would amplify
            optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)  # the rounding
        else:
            optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
        losses = []
        for _ in range(15):
            optimizer.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        with torch.no_grad():
            acc = (model(X).argmax(1) == y).float().mean().item()
        out[name] = {"losses": np.array(losses), "acc": acc}
    logits = torch.tensor([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0]], requires_grad=True)
    target = torch.tensor([0, 2])
    ref = F.cross_entropy(logits, target, label_smoothing=0.1)
    mine = smoothed_ce(logits, target, smoothing=0.1)
    mine.backward()
    out["smoothing_matches_builtin"] = abs(ref.item() - mine.item()) < 1e-6
    out["smoothing_grad"] = logits.grad.numpy()
    return out
