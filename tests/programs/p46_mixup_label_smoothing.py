"""Regularised training on wine as Kaggle kernels write it: CrossEntropyLoss(label_smoothing=0.1),
mixup with a fixed lambda (x mixed by torch.lerp with a permuted batch, the loss mixed the same
way), soft targets as class probabilities, an EMA of the weights by lerp_ under no_grad, and
temperature-scaled probabilities for calibration."""

import numpy as np
from sklearn.datasets import load_wine

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    X, y = load_wine(return_X_y=True)
    X = ((X - X.mean(0)) / X.std(0)).astype(np.float32)
    rng = np.random.default_rng(46)
    order = rng.permutation(len(y))
    X, y = torch.from_numpy(X[order]), torch.from_numpy(y[order])
    perms = [torch.from_numpy(rng.permutation(32)) for _ in range(5)]

    model = nn.Sequential(nn.Linear(13, 16), nn.GELU(), nn.Linear(16, 3))
    ema = nn.Sequential(nn.Linear(13, 16), nn.GELU(), nn.Linear(16, 3))
    init_from_numpy(torch, model, seed=46)
    ema.load_state_dict(model.state_dict())
    for p in ema.parameters():
        p.requires_grad = False
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    lam = 0.7
    losses = []
    for epoch in range(8):
        for i, start in enumerate(range(0, 160, 32)):
            xb, yb = X[start : start + 32], y[start : start + 32]
            perm = perms[i]
            mixed = torch.lerp(xb[perm], xb, lam)  # lam * xb + (1 - lam) * xb[perm]
            optimizer.zero_grad()
            logits = model(mixed)
            loss = lam * criterion(logits, yb) + (1 - lam) * criterion(logits, yb[perm])
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                for e, p in zip(ema.parameters(), model.parameters()):
                    e.lerp_(p, 0.1)
            losses.append(loss.item())

    soft = F.one_hot(y[:32], 3).float() * 0.8 + 0.2 / 3
    logits = model(X[:32])
    soft_loss = F.cross_entropy(logits, soft)
    soft_smoothed = F.cross_entropy(logits, soft, label_smoothing=0.2)
    weighted = F.cross_entropy(
        logits, y[:32], weight=torch.tensor([1.0, 2.0, 0.5]), label_smoothing=0.1
    )
    by_hand = (-(F.log_softmax(logits, 1) * (F.one_hot(y[:32], 3) * 0.9 + 0.1 / 3)).sum(1)).mean()
    model.eval()
    ema.eval()
    with torch.no_grad():
        test_logits, ema_logits = model(X[160:]), ema(X[160:])
        calibrated = F.softmax(test_logits / 1.5, dim=-1)
    return {
        "losses": np.array(losses[::5]),
        "soft_loss": soft_loss.item(),
        "soft_smoothed": soft_smoothed.item(),
        "weighted_smoothed": weighted.item(),
        "smoothing_by_hand": abs(by_hand.item() - criterion(logits, y[:32]).item()) < 1e-5,
        "accuracy": (test_logits.argmax(1) == y[160:]).float().mean().item(),
        "ema_accuracy": (ema_logits.argmax(1) == y[160:]).float().mean().item(),
        "ema_weight_head": ema[0].weight[0, :4].numpy(),
        "calibrated_max": calibrated.max(1).values.numpy(),
        "lerp_tensor_weight": torch.lerp(
            X[:2, :3], X[2:4, :3], torch.tensor([0.0, 0.5, 1.0])
        ).numpy(),
    }
