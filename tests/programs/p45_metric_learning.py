"""Metric learning on digits, as in triplet-loss and siamese-network tutorials: an embedding net
with F.normalize outputs, anchors / positives / negatives mined from the labels, trained with
nn.TripletMarginLoss; then the other pair losses on the same embeddings (CosineEmbeddingLoss,
MarginRankingLoss, HingeEmbeddingLoss, F.triplet_margin_loss with swap and p=1), pairwise
distances and cosine similarities, and recall@1 of nearest neighbours by topk."""

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    X, y = load_digits(return_X_y=True)
    X, y = X[:300].astype(np.float32) / 16.0, y[:300]
    rng = np.random.default_rng(45)
    anchors = rng.integers(0, len(y), size=128)
    positives = np.array(
        [rng.choice(np.flatnonzero((y == y[a]) & (np.arange(len(y)) != a))) for a in anchors]
    )
    negatives = np.array([rng.choice(np.flatnonzero(y != y[a])) for a in anchors])
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)

    class EmbeddingNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 8))

        def forward(self, x):
            return F.normalize(self.net(x), p=2, dim=1)

    model = EmbeddingNet()
    init_from_numpy(torch, model, seed=45, scale=0.2)
    triplet = nn.TripletMarginLoss(margin=0.5)
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
    a_idx, p_idx, n_idx = (torch.from_numpy(v) for v in (anchors, positives, negatives))
    losses = []
    for _ in range(25):
        optimizer.zero_grad()
        emb = model(X_t)
        loss = triplet(emb[a_idx], emb[p_idx], emb[n_idx])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())

    # the other pair losses, each one step from the trained weights, with their gradients
    emb = model(X_t)
    anchor, positive, negative = emb[a_idx], emb[p_idx], emb[n_idx]
    same = torch.where(y_t[a_idx] == y_t[n_idx], 1, -1)
    pairs = torch.cat([positive[:64], negative[64:]])
    pair_target = torch.cat([torch.ones(64), -torch.ones(64)])
    others = {
        "cosine_embedding": nn.CosineEmbeddingLoss(margin=0.2)(anchor, pairs, pair_target),
        "cosine_embedding_sum": F.cosine_embedding_loss(
            anchor, negative, same.float(), reduction="sum"
        ),
        "margin_ranking": nn.MarginRankingLoss(margin=0.1)(
            F.cosine_similarity(anchor, positive),
            F.cosine_similarity(anchor, negative),
            torch.ones(128),
        ),
        "hinge_embedding": nn.HingeEmbeddingLoss(margin=1.0)(
            F.pairwise_distance(anchor, pairs), pair_target
        ),
        "triplet_swap_p1": F.triplet_margin_loss(
            anchor, positive, negative, margin=1.0, p=1, swap=True
        ),
        "triplet_none": nn.TripletMarginLoss(reduction="none")(anchor, positive, negative)[:5],
    }
    total = sum(v.sum() for v in others.values())
    model.zero_grad()
    total.backward()
    out = {k: v.detach().numpy() for k, v in others.items()}
    out["other_grad_norm"] = model.net[0].weight.grad.norm().item()

    with torch.no_grad():
        emb = model(X_t)
        sims = emb @ emb.T
        sims.fill_diagonal_(-float("inf"))
        top = sims.topk(5, dim=1).indices
        hits = y_t[top] == y_t.unsqueeze(1)
        recall_at_1 = hits[:, 0].float().mean().item()
        recall_at_5 = hits.any(dim=1).float().mean().item()
        distances = F.pairwise_distance(emb[:5], emb[5:10], p=2.0, eps=1e-6)
    out.update(
        losses=np.array(losses[::4]),
        recall_at_1=recall_at_1,
        recall_at_5=recall_at_5,
        distances=distances.numpy(),
        unit_norm=emb.norm(dim=1)[:4].numpy(),
    )
    return out
