"""Heteroscedastic regression as in uncertainty tutorials: a network predicting a mean and a
variance (softplus + floor), trained with nn.GaussianNLLLoss; F.gaussian_nll_loss with full=True
and a per-sample variance of shape (N,) broadcast as torch documents; calibration checked by the
fraction of targets inside two predicted standard deviations."""

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-4, 2e-5


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(40)
    x = np.linspace(-3, 3, 256).astype(np.float32)[:, None]
    noise_scale = 0.1 + 0.3 * np.abs(x)
    y = np.sin(x) + noise_scale * rng.standard_normal(x.shape).astype(np.float32)
    x, y = torch.from_numpy(x), torch.from_numpy(y.astype(np.float32))

    class MeanVariance(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(1, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh())
            self.mean = nn.Linear(32, 1)
            self.var = nn.Linear(32, 1)

        def forward(self, inputs):
            h = self.body(inputs)
            return self.mean(h), F.softplus(self.var(h)) + 1e-4

    model = MeanVariance()
    init_from_numpy(torch, model, seed=40)
    criterion = nn.GaussianNLLLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(80):
        optimizer.zero_grad()
        mean, var = model(x)
        loss = criterion(mean, y, var)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with torch.no_grad():
        mean, var = model(x)
        inside = ((y - mean).abs() < 2 * var.sqrt()).float().mean().item()
        full = F.gaussian_nll_loss(mean, y, var, full=True).item()
        summed = F.gaussian_nll_loss(mean, y, var, reduction="sum", eps=1e-3).item()
        per_sample = F.gaussian_nll_loss(
            mean.squeeze(1), y.squeeze(1), var.squeeze(1), reduction="none"
        )
        broadcast = F.gaussian_nll_loss(mean, y, var.squeeze(1) * 0 + 0.5).item()
    return {
        "losses": np.array(losses[::8]),
        "inside_2sd": inside,
        "full": full,
        "summed": summed,
        "per_sample_head": per_sample[:4].numpy(),
        "broadcast_var": broadcast,
        "var_ends": [var[0].item(), var[128].item(), var[-1].item()],
    }
