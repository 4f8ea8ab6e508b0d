"""Logistic regression on breast cancer with BCEWithLogitsLoss(pos_weight), then precision/recall."""

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.preprocessing import StandardScaler

RTOL, ATOL = 1e-4, 1e-5


def main(torch):
    nn = torch.nn
    X, y = load_breast_cancer(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype(np.float32)
    X_t = torch.from_numpy(X)
    y_t = torch.from_numpy(y.astype(np.float32)).unsqueeze(1)

    model = nn.Linear(X.shape[1], 1)
    with torch.no_grad():
        model.weight.fill_(0.01)
        model.bias.zero_()

    n_pos = y_t.sum()
    pos_weight = (len(y_t) - n_pos) / n_pos
    criterion = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([pos_weight.item()]))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(100):
        optimizer.zero_grad()
        loss = criterion(model(X_t), y_t)
        loss.backward()
        optimizer.step()

    with torch.no_grad():
        probs = torch.sigmoid(model(X_t))
        pred = (probs > 0.5).float()
        tp = ((pred == 1) & (y_t == 1)).sum().item()
        fp = ((pred == 1) & (y_t == 0)).sum().item()
        fn = ((pred == 0) & (y_t == 1)).sum().item()
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    return {
        "loss": loss.item(),
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall),
        "weight_norm": model.weight.norm().item(),
        "bias": model.bias.item(),
    }
