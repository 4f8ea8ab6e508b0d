"""A sine-wave forecaster, the classic first LSTM tutorial: windows of a noisy sine predict the
next value; a 2-layer batch_first LSTM and a GRU-cell decoder rolled out by hand, trained with
Adam, then a free-running generation that feeds each prediction back in."""

import math

import numpy as np

from ._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-5


def main(torch):
    nn = torch.nn
    rng = np.random.default_rng(17)
    t = np.arange(220, dtype=np.float32) * 0.15
    wave = np.sin(t) + 0.05 * rng.standard_normal(t.shape).astype(np.float32)
    window = 12
    xs = np.stack([wave[i : i + window] for i in range(len(wave) - window)])
    ys = wave[window:]
    X = torch.tensor(xs, dtype=torch.float32).unsqueeze(-1)
    Y = torch.tensor(ys, dtype=torch.float32).unsqueeze(-1)

    class Forecaster(nn.Module):
        def __init__(self, hidden=16):
            super().__init__()
            self.lstm = nn.LSTM(input_size=1, hidden_size=hidden, num_layers=2, batch_first=True)
            self.cell = nn.GRUCell(hidden, hidden)
            self.head = nn.Linear(hidden, 1)

        def forward(self, x, state=None):
            out, (h_n, c_n) = self.lstm(x, state)
            h = self.cell(out[:, -1, :], h_n[-1])
            return self.head(torch.tanh(h)), (h_n, c_n)

    model = Forecaster()
    init_from_numpy(torch, model, seed=17, scale=1 / math.sqrt(16))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    loss_fn = nn.MSELoss()
    losses = []
    for epoch in range(3):
        for start in range(0, len(X), 64):
            pred, _ = model(X[start : start + 64])
            loss = loss_fn(pred, Y[start : start + 64])
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
            optimizer.step()
            losses.append(loss.item())

    model.eval()
    seq = X[:1].clone()
    generated = []
    with torch.no_grad():
        for _ in range(10):
            nxt, _ = model(seq)
            generated.append(nxt.item())
            seq = torch.cat([seq[:, 1:, :], nxt.view(1, 1, 1)], dim=1)
    return {
        "losses": np.array(losses),
        "generated": np.array(generated),
        "state_keys": list(model.state_dict().keys()),
        "n_params": sum(p.numel() for p in model.parameters()),
    }
