"""A temporal convolutional network (Bai et al.'s TCN) for next-step forecasting: residual blocks
of dilated Conv1d (dilation 1, 2, 4) kept causal by F.pad on the left only, a gated activation
from torch.chunk (WaveNet's tanh * sigmoid), a 1x1 Conv1d on the skip path when channels change,
receptive field checked by the gradient of the last output w.r.t. the input."""

import math

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(50)
    t = np.arange(400) * 0.1
    series = (np.sin(t) + 0.5 * np.sin(3.1 * t) + rng.normal(0, 0.05, t.shape)).astype(np.float32)
    windows = np.stack([series[i : i + 33] for i in range(0, 360, 3)])
    x = torch.from_numpy(windows[:, None, :-1].copy())  # (N, 1, 32)
    y = torch.from_numpy(windows[:, 1:].copy())  # next value at every step

    class CausalBlock(nn.Module):
        def __init__(self, c_in, c_out, dilation, kernel_size=3):
            super().__init__()
            self.left = (kernel_size - 1) * dilation
            self.conv = nn.Conv1d(c_in, 2 * c_out, kernel_size, dilation=dilation)
            self.skip = nn.Conv1d(c_in, c_out, 1) if c_in != c_out else nn.Identity()

        def forward(self, h):
            out = self.conv(F.pad(h, (self.left, 0)))
            filt, gate = torch.chunk(out, 2, dim=1)
            return torch.tanh(filt) * torch.sigmoid(gate) + self.skip(h)

    class TCN(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = nn.Sequential(
                CausalBlock(1, 8, 1), CausalBlock(8, 8, 2), CausalBlock(8, 8, 4)
            )
            self.head = nn.Conv1d(8, 1, 1)

        def forward(self, h):
            return self.head(self.blocks(h)).squeeze(1)

    model = TCN()
    init_from_numpy(torch, model, seed=50, scale=0.3)
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-3)
    losses = []
    for epoch in range(25):
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())

    probe = x[:1].clone().requires_grad_(True)
    model(probe)[0, -1].backward()
    reach = int((probe.grad[0, 0] != 0).sum())
    future = x[:1].clone().requires_grad_(True)
    model(future)[0, 10].backward()
    leaks = int((future.grad[0, 0, 11:] != 0).sum())
    receptive = 1 + sum(2 * d for d in (1, 2, 4))
    with torch.no_grad():
        context = x[-1:].clone()
        generated = []
        for _ in range(5):
            step = model(context)[:, -1:]
            generated.append(step.item())
            context = torch.cat([context[:, :, 1:], step.unsqueeze(1)], dim=2)
    return {
        "losses": np.array(losses[::4]),
        "reach": reach,
        "receptive_field": receptive,
        "future_leaks": leaks,
        "generated": np.array(generated),
        "target_next": float(series[363]),
        "chunk_shapes": [list(c.shape) for c in torch.chunk(torch.zeros(2, 7, 3), 3, dim=1)],
        "rmse": math.sqrt(losses[-1]),
    }
