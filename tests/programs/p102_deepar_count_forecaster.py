"""A probabilistic forecaster in the DeepAR shape, as forecasting repos write one without
GluonTS, on synthetic weekly-seasonal daily counts: windows cut by Tensor.unfold(0, size, step),
each window scaled by its mean (DeepAR's scale, 1 + mean), an nn.GRU(batch_first=True) over the
scaled history with the lagged value and sin/cos calendar features, heads giving a
NegativeBinomial (total_count from softplus, logits) and beside it a StudentT (df, loc, scale)
and a Poisson rate; the loss is -log_prob(...).mean(); Adam with ReduceLROnPlateau
(threshold_mode="abs") on a held-out window's loss; then nn.PoissonNLLLoss(log_input=True,
full=True) against the Poisson head, quantiles from a Normal's icdf, a TransformedDistribution
(a LogNormal built from AffineTransform and ExpTransform) checked against LogNormal itself, the
pinball (quantile) loss, KLDivLoss(reduction="batchmean", log_target=True) between forecast
histograms, and sampled paths checked by shape and support (the libraries' draws differ)."""

import math

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4
WINDOW, HORIZON = 21, 7


def _series(days=140, seed=102):
    rng = np.random.default_rng(seed)
    t = np.arange(days)
    rate = 6 + 3 * np.sin(2 * np.pi * t / 7) + 0.02 * t
    return rng.poisson(rate).astype(np.float32)


def main(torch):
    nn, F, D = torch.nn, torch.nn.functional, torch.distributions
    series = torch.from_numpy(_series())
    day = torch.arange(len(series), dtype=torch.float32)
    calendar = torch.stack([torch.sin(2 * math.pi * day / 7), torch.cos(2 * math.pi * day / 7)], 1)
    windows = series.unfold(0, WINDOW + 1, 3)  # (n_windows, WINDOW + 1)
    cal_windows = calendar.unfold(0, WINDOW + 1, 3).transpose(1, 2)  # (n, WINDOW + 1, 2)
    scale = 1 + windows[:, :WINDOW].mean(1, keepdim=True)
    lagged = (windows[:, :-1] / scale).unsqueeze(-1)
    inputs = torch.cat([lagged, cal_windows[:, 1:]], dim=-1)  # value at t-1, calendar at t
    targets = windows[:, 1:]
    train, valid = slice(0, -3), slice(-3, None)

    class DeepAR(nn.Module):
        def __init__(self, hidden=10):
            super().__init__()
            self.rnn = nn.GRU(3, hidden, batch_first=True)
            self.negbin = nn.Linear(hidden, 2)
            self.student = nn.Linear(hidden, 3)
            self.poisson = nn.Linear(hidden, 1)

        def forward(self, x, scale):
            h, _ = self.rnn(x)
            nb = self.negbin(h)
            total_count = F.softplus(nb[..., 0]) + 1e-3
            # the mean total_count * exp(logits) scales with the window: shift logits by log(scale)
            logits = nb[..., 1] + torch.log(scale)
            st = self.student(h)
            df = 2 + F.softplus(st[..., 0])
            loc = st[..., 1] * scale
            sd = (F.softplus(st[..., 2]) + 1e-3) * scale
            log_rate = self.poisson(h).squeeze(-1) + torch.log(scale)
            return (
                D.NegativeBinomial(total_count=total_count, logits=logits),
                D.StudentT(df, loc, sd),
                log_rate,
            )

    model = DeepAR()
    init_from_numpy(torch, model, seed=102, scale=0.2)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.02)
    # every plateau decision clears the threshold by >= 4e-4, the libraries' losses differ by
    # < 1e-6: the lr schedule is the same on both
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(
        optimizer, mode="min", factor=0.5, patience=1, threshold=0.03, threshold_mode="abs"
    )
    losses, valid_losses, lrs = [], [], []
    for _ in range(30):
        optimizer.zero_grad()
        nb, st, log_rate = model(inputs[train], scale[train])
        y = targets[train]
        loss = -nb.log_prob(y).mean() - st.log_prob(y).mean() + F.poisson_nll_loss(log_rate, y)
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            nb, st, log_rate = model(inputs[valid], scale[valid])
            valid_loss = -nb.log_prob(targets[valid]).mean()
        plateau.step(valid_loss)
        losses.append(loss.item())
        valid_losses.append(valid_loss.item())
        lrs.append(optimizer.param_groups[0]["lr"])

    model.eval()
    with torch.no_grad():
        nb, st, log_rate = model(inputs[valid], scale[valid])
        y = targets[valid]
        poisson_full = nn.PoissonNLLLoss(log_input=True, full=True)(log_rate, y)
        mean, std = nb.mean, nb.stddev
        normal = D.Normal(mean, std)
        levels = torch.tensor([0.1, 0.5, 0.9])
        quantiles = torch.stack([normal.icdf(q) for q in levels])  # (3, n, T)
        errors = y.unsqueeze(0) - quantiles
        pinball = torch.max(levels.view(3, 1, 1) * errors, (levels.view(3, 1, 1) - 1) * errors)
        mu, sigma = torch.log(mean[:, -1] + 1), torch.tensor(0.3)
        base = D.Normal(torch.zeros_like(mu), torch.ones_like(mu))
        lognormal = D.TransformedDistribution(
            base, [D.transforms.AffineTransform(mu, sigma), D.transforms.ExpTransform()]
        )
        direct = D.LogNormal(mu, sigma)
        probe = y[:, -1] + 1
        counts = torch.arange(0, 25, dtype=torch.float32)
        hist_nb = nb.log_prob(counts.view(-1, 1, 1)).log_softmax(0)[:, :, -1].T
        hist_st = st.log_prob(counts.view(-1, 1, 1)).log_softmax(0)[:, :, -1].T
        kl = nn.KLDivLoss(reduction="batchmean", log_target=True)(hist_st, hist_nb)
        paths = nb.sample((4,))
    return {
        "windows": list(windows.shape),
        "scale": scale.squeeze(1).numpy(),
        "losses": np.array(losses),
        "valid_losses": np.array(valid_losses),
        "lrs": np.array(lrs),
        "poisson_full": poisson_full.item(),
        "nb_mean": mean[:, -HORIZON:].numpy(),
        "st_loc": st.loc[:, -HORIZON:].numpy(),
        "quantiles": quantiles[:, 0, -HORIZON:].numpy(),
        "pinball": pinball.mean(dim=(1, 2)).numpy(),
        "lognormal_log_prob": lognormal.log_prob(probe).numpy(),
        "same_as_lognormal": bool(
            torch.allclose(lognormal.log_prob(probe), direct.log_prob(probe))
        ),
        "kl": kl.item(),
        "paths_shape": list(paths.shape),
        "paths_are_counts": bool(((paths >= 0) & (paths == paths.round())).all()),
    }
