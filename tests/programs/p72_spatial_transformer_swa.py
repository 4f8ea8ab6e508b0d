"""A spatial transformer network on the digits, as in torch's STN tutorial: a localisation net
regresses an affine theta (its last layer starts at the identity), F.affine_grid and
F.grid_sample warp the input by it, and a small conv classifier reads the warped digit. Trained
with SGD, then averaged the two ways torch's recipes do: SWA (AveragedModel, SWALR annealing to
a constant lr, update_bn recomputing the BatchNorm statistics of the averaged weights) and an
EMA (AveragedModel with get_ema_multi_avg_fn, use_buffers=True) updated every step."""

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    swa_utils = torch.optim.swa_utils
    X, y = load_digits(return_X_y=True)
    images = torch.from_numpy((X / 16.0).astype(np.float32).reshape(-1, 1, 8, 8))
    labels = torch.from_numpy(y.astype(np.int64))
    train_x, train_y, test_x, test_y = images[:400], labels[:400], images[400:600], labels[400:600]

    class STN(nn.Module):
        def __init__(self):
            super().__init__()
            self.localization = nn.Sequential(nn.Conv2d(1, 4, 3), nn.MaxPool2d(2), nn.ReLU())
            self.fc_loc = nn.Sequential(nn.Linear(4 * 3 * 3, 16), nn.ReLU(), nn.Linear(16, 6))
            self.features = nn.Sequential(
                nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2)
            )
            self.classifier = nn.Linear(8 * 4 * 4, 10)

        def stn(self, x):
            theta = self.fc_loc(self.localization(x).view(-1, 4 * 3 * 3)).view(-1, 2, 3)
            grid = F.affine_grid(theta, x.size(), align_corners=False)
            return F.grid_sample(x, grid, align_corners=False), theta

        def forward(self, x):
            warped, _ = self.stn(x)
            return F.log_softmax(self.classifier(self.features(warped).flatten(1)), dim=1)

    model = STN()
    init_from_numpy(torch, model, seed=72, scale=0.1)
    with torch.no_grad():  # the tutorial's start: theta is the identity for every input
        model.fc_loc[2].weight.zero_()
        model.fc_loc[2].bias.copy_(torch.tensor([1.0, 0, 0, 0, 1, 0]))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    swa_model = swa_utils.AveragedModel(model)
    ema_model = swa_utils.AveragedModel(
        model, multi_avg_fn=swa_utils.get_ema_multi_avg_fn(0.9), use_buffers=True
    )
    swa_scheduler = swa_utils.SWALR(optimizer, swa_lr=0.02, anneal_epochs=2)
    batches = [(train_x[i : i + 50], train_y[i : i + 50]) for i in range(0, 400, 50)]
    losses, lrs = [], []
    for epoch in range(5):
        model.train()
        for xb, yb in batches:
            optimizer.zero_grad()
            loss = F.nll_loss(model(xb), yb)
            loss.backward()
            optimizer.step()
            ema_model.update_parameters(model)
        losses.append(loss.item())
        if epoch >= 2:  # the SWA phase: average once per epoch at the annealed lr
            swa_model.update_parameters(model)
            swa_scheduler.step()
        lrs.append(optimizer.param_groups[0]["lr"])
    swa_utils.update_bn(batches, swa_model)

    def accuracy(net):
        net.eval()
        with torch.no_grad():
            return (net(test_x).argmax(dim=1) == test_y).float().mean().item()

    model.eval()
    with torch.no_grad():
        warped, theta = model.stn(test_x[:3])
    bn = swa_model.module.features[1]
    return {
        "losses": np.array(losses),
        "lrs": np.array(lrs),
        "accuracy_sgd": accuracy(model),
        "accuracy_swa": accuracy(swa_model),
        "accuracy_ema": accuracy(ema_model),
        "n_averaged": [int(swa_model.n_averaged), int(ema_model.n_averaged)],
        "theta": theta.numpy(),
        "warped_corner": warped[0, 0, :3, :3].numpy(),
        "swa_running_mean": bn.running_mean.numpy(),
        "ema_fc_bias": ema_model.module.fc_loc[2].bias.detach().numpy(),
        "state_keys": list(swa_model.state_dict())[:3],
    }
