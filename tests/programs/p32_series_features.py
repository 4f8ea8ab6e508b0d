"""Time-series feature engineering as in forecasting notebooks: returns with diff, cumulative
growth with cumprod, a moving average from cumsum, lag features with roll, a reversed series with
flip; a linear forecaster trained on them, with gradients flowing back through every op."""

import numpy as np

RTOL, ATOL = 1e-4, 1e-5


def main(torch):
    t = np.arange(120, dtype=np.float32)
    # float64 throughout: a float32 running sum of ~1000 rounds differently in each library,
    # and the nearly collinear lags below would amplify that into the fitted weights
    series = torch.tensor(10 + np.sin(t / 6) + 0.01 * t, dtype=torch.float64)
    returns = torch.diff(series) / series[:-1]
    growth = torch.cumprod(1 + returns, dim=0)
    window = 5
    csum = torch.cumsum(series, dim=0)
    moving = (csum[window:] - csum[:-window]) / window
    lags = torch.stack([torch.roll(series, shifts=k, dims=0) for k in (1, 2, 3)], dim=1)
    second_diff = torch.diff(series, n=2)
    prepended = torch.diff(series[:5], prepend=series[:1], append=series[-1:])
    backwards = torch.flip(series, dims=[0])

    features = torch.cat([lags[window:], moving[:, None]], dim=1)[:-1]
    target = series[window + 1 :]
    mean, std = features.mean(0), features.std(0)
    features = (features - mean) / std
    weight = torch.zeros(4, 1, dtype=torch.float64, requires_grad=True)
    bias = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([weight, bias], lr=0.1)
    losses = []
    for _ in range(60):
        optimizer.zero_grad()
        pred = (features @ weight + bias).squeeze(1)
        loss = ((pred - target) ** 2).mean()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())

    # gradient through cumsum, cumprod, diff, roll and flip together
    x = torch.tensor([1.0, 2.0, 0.5, 3.0], dtype=torch.float64, requires_grad=True)
    y = torch.cumprod(torch.flip(x, dims=[0]), 0).sum() + torch.roll(torch.cumsum(x, 0), 1)[0]
    y = y + (torch.diff(x) ** 2).sum()
    y.backward()
    return {
        "returns_head": returns[:5].numpy(),
        "growth_last": growth[-1].item(),
        "moving_head": moving[:3].numpy(),
        "lags_row": lags[10].numpy(),
        "second_diff": second_diff[:4].numpy(),
        "prepended": prepended.numpy(),
        "backwards_head": backwards[:3].numpy(),
        "losses": np.array(losses),
        "weight": weight.detach().numpy().ravel(),
        "grad": x.grad.numpy(),
    }
