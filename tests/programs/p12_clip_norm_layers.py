"""Digits MLP with BatchNorm1d, LayerNorm, dropout off at eval; clip_grad_norm_ returns the norm."""

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn = torch.nn
    F = torch.nn.functional
    digits = load_digits()
    X = torch.tensor(digits.data[:256], dtype=torch.float32) / 16.0
    y = torch.tensor(digits.target[:256])

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(64, 64)
            self.bn1 = nn.BatchNorm1d(64)
            self.fc2 = nn.Linear(64, 32)
            self.ln = nn.LayerNorm(32)
            self.fc3 = nn.Linear(32, 10)

        def forward(self, x):
            x = F.leaky_relu(self.bn1(self.fc1(x)), negative_slope=0.1)
            x = F.dropout(x, p=0.5, training=False)
            x = F.elu(self.ln(self.fc2(x)))
            return F.log_softmax(self.fc3(x), dim=1)

    model = Net()
    init_from_numpy(torch, model, seed=12, scale=0.2)
    with torch.no_grad():
        model.bn1.weight.fill_(1.0)
        model.ln.weight.fill_(1.0)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)
    norms, losses = [], []
    for step in range(25):
        model.train()
        optimizer.zero_grad()
        loss = F.nll_loss(model(X), y)
        loss.backward()
        total_norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
        optimizer.step()
        norms.append(float(total_norm))
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        log_probs = model(X)
        acc = (log_probs.argmax(dim=1) == y).float().mean().item()
        probs = log_probs.exp()
    return {
        "losses": np.array(losses),
        "norms": np.array(norms),
        "accuracy": acc,
        "probs_sum": probs.sum(dim=1).mean().item(),
        "running_mean": model.bn1.running_mean.numpy(),
    }
