"""Learning to rank and multi-label tagging on digits, as recommender and retrieval code does
it: a two-tower model whose item tower is an EmbeddingBag over bag-of-pixel tokens, a
nn.Bilinear scorer, TripletMarginWithDistanceLoss with a cosine distance and swap, MultiMarginLoss
(p=1 and p=2, class weights) on the class scores, MultiLabelMarginLoss on -1-terminated target
lists, MultiLabelSoftMarginLoss beside it; per-class mean scores and hardest negatives gathered
with scatter_reduce ('amax', 'mean', include_self=False), index_copy and take_along_dim, and
ranking metrics (MRR, precision@k) from argsort."""

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    X, y = load_digits(return_X_y=True)
    X, y = (X[:200] / 16.0).astype(np.float32), y[:200]
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
    # bag-of-tokens view: each bright pixel is a token id
    tokens, offsets = [], []
    for row in X:
        offsets.append(len(tokens))
        tokens.extend(np.flatnonzero(row > 0.5).tolist())
    tokens_t, offsets_t = torch.tensor(tokens), torch.tensor(offsets)

    class TwoTower(nn.Module):
        def __init__(self):
            super().__init__()
            self.bag = nn.EmbeddingBag(64, 8, mode="mean")
            self.dense = nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 8))
            self.classes = nn.Linear(16, 10)
            self.score = nn.Bilinear(8, 8, 1)

        def forward(self, x, tok, off):
            a, b = self.dense(x), self.bag(tok, off)
            return a, b, self.classes(torch.cat([a, b], 1))

    model = TwoTower()
    init_from_numpy(torch, model, seed=60, scale=0.3)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    cosine = lambda u, v: 1.0 - F.cosine_similarity(u, v)  # noqa: E731
    triplet = nn.TripletMarginWithDistanceLoss(distance_function=cosine, margin=0.3, swap=True)
    multi_margin = nn.MultiMarginLoss(p=2, margin=0.5, weight=torch.linspace(0.5, 1.5, 10))
    rng = np.random.default_rng(60)
    positives = torch.from_numpy(np.array([rng.choice(np.flatnonzero(y == c)) for c in y]))
    negatives = torch.from_numpy(np.array([rng.choice(np.flatnonzero(y != c)) for c in y]))
    label_lists = torch.full((200, 10), -1, dtype=torch.long)
    label_lists[:, 0] = y_t
    label_lists[:, 1] = (y_t + 3) % 10
    multi_hot = torch.zeros(200, 10).scatter_(1, label_lists[:, :2], 1.0)
    losses = []
    for step in range(12):
        anchor, bag, logits = model(X_t, tokens_t, offsets_t)
        loss = (
            triplet(anchor, anchor[positives], anchor[negatives])
            + multi_margin(logits, y_t)
            + F.multi_margin_loss(logits, y_t, p=1)
            + nn.MultiLabelMarginLoss()(logits, label_lists)
            + 0.5 * nn.MultiLabelSoftMarginLoss()(logits, multi_hot)
            + F.mse_loss(model.score(anchor, bag).squeeze(1), (y_t % 2).float())
        )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())

    with torch.no_grad():
        anchor, bag, logits = model(X_t, tokens_t, offsets_t)
        class_max = torch.full((10, 10), -1e9).scatter_reduce(
            0, y_t.unsqueeze(1).expand(-1, 10), logits, reduce="amax", include_self=False
        )
        class_mean = torch.zeros(10, 10).scatter_reduce(
            0, y_t.unsqueeze(1).expand(-1, 10), logits, reduce="mean", include_self=False
        )
        counts = torch.zeros(10).scatter_reduce(0, y_t, torch.ones(200), reduce="sum")
        order = logits.argsort(dim=1, descending=True)
        rank_of_true = (order == y_t.unsqueeze(1)).float().argmax(1) + 1
        mrr = (1.0 / rank_of_true.float()).mean()
        top3 = order[:, :3]
        precision_at_3 = multi_hot.gather(1, top3).sum(1).mean() / 3
        true_scores = torch.take_along_dim(logits, y_t.unsqueeze(1), dim=1).squeeze(1)
        table = torch.zeros(5, 10).index_copy(0, torch.tensor([4, 0, 2]), class_mean[:3])
    return {
        "losses": np.array(losses),
        "class_max": class_max.numpy(),
        "class_mean": class_mean.numpy(),
        "counts": counts.numpy(),
        "mrr": mrr.item(),
        "precision_at_3": precision_at_3.item(),
        "true_scores_head": true_scores[:8].numpy(),
        "index_copy": table.numpy(),
        "bilinear_scores": model.score(anchor[:5], bag[:5]).squeeze(1).detach().numpy(),
        "hinge_functional": F.multilabel_margin_loss(logits[:4], label_lists[:4]).item(),
        "triplet_no_swap": F.triplet_margin_with_distance_loss(
            anchor[:20], anchor[positives[:20]], anchor[negatives[:20]], reduction="none"
        )
        .detach()
        .numpy(),
    }
