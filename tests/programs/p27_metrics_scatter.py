"""Metrics without scikit-learn, as evaluation loops write them: a confusion matrix by
scatter_add_ / index_put_, per-class precision / recall / F1, top-k accuracy, a macro average,
class counts with unique(return_counts=True), per-class mean confidence by index_add_."""

from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-5, 1e-6


def main(torch):
    nn = torch.nn
    F = torch.nn.functional
    X, y = load_digits(return_X_y=True)
    X = torch.tensor(X[:400] / 16.0, dtype=torch.float32)
    y = torch.tensor(y[:400], dtype=torch.long)
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    init_from_numpy(torch, model, seed=27, scale=0.2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(30):
        optimizer.zero_grad()
        F.cross_entropy(model(X[:300]), y[:300]).backward()
        optimizer.step()

    n = 10
    with torch.no_grad():
        logits = model(X[300:])
    probs = F.softmax(logits, dim=-1)
    conf, preds = probs.max(dim=1)
    target = y[300:]
    cm = torch.zeros(n * n, dtype=torch.long)
    cm.scatter_add_(0, target * n + preds, torch.ones_like(target))
    cm = cm.view(n, n)
    cm2 = torch.zeros(n, n, dtype=torch.long)
    cm2.index_put_((target, preds), torch.ones_like(target), accumulate=True)
    tp = cm.diag().float()
    precision = tp / cm.sum(dim=0).float().clamp(min=1)
    recall = tp / cm.sum(dim=1).float().clamp(min=1)
    f1 = torch.where(precision + recall > 0, 2 * precision * recall / (precision + recall),
                     torch.zeros_like(tp))  # fmt: skip
    top3 = logits.topk(3, dim=1).indices
    top3_acc = (top3 == target.unsqueeze(1)).any(dim=1).float().mean().item()
    classes, counts = torch.unique(target, return_counts=True)
    conf_sum = torch.zeros(n).index_add_(0, target, conf)
    per_class_conf = conf_sum / torch.bincount(target, minlength=n).float()
    onehot_counts = F.one_hot(preds, n).sum(dim=0)
    correct = preds.eq(target)
    return {
        "cm": cm.numpy(),
        "cm_same": bool(torch.equal(cm, cm2)),
        "precision": precision.numpy(),
        "recall": recall.numpy(),
        "f1": f1.numpy(),
        "macro_f1": f1.mean().item(),
        "accuracy": correct.sum().item() / len(target),
        "top3_acc": top3_acc,
        "classes": classes.tolist(),
        "counts": counts.tolist(),
        "per_class_conf": per_class_conf.numpy(),
        "pred_counts": onehot_counts.tolist(),
        "wrong_idx": torch.nonzero(~correct).squeeze(1).tolist(),
        "wrong_idx_where": torch.where(~correct)[0].tolist(),
        "mean_conf_wrong": conf[~correct].mean().item(),
        "ce_sum": F.cross_entropy(logits, target, reduction="sum").item(),
    }
