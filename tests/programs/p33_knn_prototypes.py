"""k-nearest-neighbour classification with torch.cdist and topk (majority vote by bincount),
Euclidean and Manhattan, then a prototypical network: a learned embedding scored by the negative
distance to each class mean, trained with cross-entropy through cdist."""

import numpy as np
from sklearn.datasets import load_wine

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-5


def main(torch):
    X, y = load_wine(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    X = torch.tensor(X, dtype=torch.float32)
    y = torch.tensor(y, dtype=torch.long)
    train, test = torch.arange(0, 178) % 4 != 0, torch.arange(0, 178) % 4 == 0
    Xtr, ytr, Xte, yte = X[train], y[train], X[test], y[test]

    def knn(p, k):
        dist = torch.cdist(Xte, Xtr, p=p)
        _, idx = dist.topk(k, dim=1, largest=False)
        votes = ytr[idx]
        pred = torch.stack([torch.bincount(v, minlength=3).argmax() for v in votes])
        return (pred == yte).float().mean().item(), dist

    acc_l2, dist_l2 = knn(2.0, 5)
    acc_l1, dist_l1 = knn(1.0, 3)
    direct = ((Xte[:, None, :] - Xtr[None, :, :]) ** 2).sum(-1).sqrt()

    embed = torch.nn.Sequential(torch.nn.Linear(13, 8), torch.nn.ReLU(), torch.nn.Linear(8, 4))
    init_from_numpy(torch, embed, seed=33)
    optimizer = torch.optim.Adam(embed.parameters(), lr=0.01)
    losses = []
    for _ in range(40):
        optimizer.zero_grad()
        z = embed(Xtr)
        prototypes = torch.stack([z[ytr == c].mean(0) for c in range(3)])
        logits = -(torch.cdist(z, prototypes) ** 2)
        loss = torch.nn.functional.cross_entropy(logits, ytr)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with torch.no_grad():
        z = embed(Xtr)
        prototypes = torch.stack([z[ytr == c].mean(0) for c in range(3)])
        proto_acc = (torch.cdist(embed(Xte), prototypes).argmin(1) == yte).float().mean().item()
    return {
        "acc_l2": acc_l2,
        "acc_l1": acc_l1,
        "dist_l2_block": dist_l2[:3, :4].numpy(),
        "dist_l1_block": dist_l1[:2, :3].numpy(),
        "agrees_with_broadcast": bool(torch.allclose(dist_l2, direct, atol=1e-4)),
        "losses": np.array(losses),
        "proto_acc": proto_acc,
    }
