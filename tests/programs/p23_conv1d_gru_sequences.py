"""Sequence classification without packing: synthetic signals (sine vs square vs sawtooth) as
(N, C, L) for a Conv1d + MaxPool1d + AdaptiveAvgPool1d model and as (N, L, C) for a
bidirectional batch_first GRU whose last states are concatenated; both trained with Adam."""

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def make_signals(n=96, length=32, seed=23):
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 1, length)
    X, y = [], []
    for i in range(n):
        freq, phase, kind = rng.uniform(2, 4), rng.uniform(0, 2 * np.pi), i % 3
        s = np.sin(2 * np.pi * freq * t + phase)
        s = np.sign(s) if kind == 1 else s
        s = ((freq * t + phase) % 1.0) * 2 - 1 if kind == 2 else s
        X.append(s + 0.1 * rng.standard_normal(length))
        y.append(kind)
    return np.array(X, dtype=np.float32), np.array(y)


def main(torch):
    nn = torch.nn
    X_np, y_np = make_signals()
    X, y = torch.from_numpy(X_np), torch.from_numpy(y_np)

    class ConvNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(
                nn.Conv1d(1, 8, kernel_size=5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
                nn.Conv1d(8, 16, kernel_size=3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
            )  # fmt: skip
            self.classifier = nn.Linear(16, 3)

        def forward(self, x):
            return self.classifier(torch.flatten(self.features(x), 1))

    class GRUNet(nn.Module):
        def __init__(self, hidden=12):
            super().__init__()
            self.gru = nn.GRU(1, hidden, batch_first=True, bidirectional=True)
            self.fc = nn.Linear(2 * hidden, 3)

        def forward(self, x):
            out, h_n = self.gru(x)
            return self.fc(torch.cat([h_n[-2], h_n[-1]], dim=1)), out

    results = {}
    for name, model, inputs in (
        ("conv", ConvNet(), X.unsqueeze(1)),
        ("gru", GRUNet(), X.unsqueeze(-1)),
    ):
        init_from_numpy(torch, model, seed=23, scale=0.3)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        criterion = nn.CrossEntropyLoss()
        losses = []
        for epoch in range(8):
            for xb, yb in zip(inputs.split(32), y.split(32)):
                logits = model(xb)
                logits = logits[0] if isinstance(logits, tuple) else logits
                loss = criterion(logits, yb)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
        model.eval()
        with torch.no_grad():
            logits = model(inputs)
            logits = logits[0] if isinstance(logits, tuple) else logits
            acc = (logits.argmax(dim=1) == y).float().mean().item()
        results[name] = {"losses": np.array(losses), "acc": acc, "shape": list(inputs.shape)}
    gru = GRUNet()
    init_from_numpy(torch, gru, seed=24, scale=0.3)
    with torch.no_grad():
        _, out = gru(X[:4].unsqueeze(-1))
    results["gru_out_shape"] = list(out.shape)
    results["gru_out_last"] = out[:, -1, :].numpy()
    return results
