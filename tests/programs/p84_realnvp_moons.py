"""RealNVP on two moons as the widely copied real-nvp-pytorch notebook writes it: scale and
translation nets as nn.Sequential lambdas (LeakyReLU, a Tanh on the scale), checkerboard masks
from np.array([[0, 1], [1, 0]] * 3) kept in an nn.Parameter(mask, requires_grad=False), the
inverse pass f accumulating log_det_J -= s.sum(dim=1) from x.new_zeros, g going back, log_prob
under a MultivariateNormal(torch.zeros(2), torch.eye(2)) prior, Adam over [p for p in
flow.parameters() if p.requires_grad==True], loss.backward(retain_graph=True), and sampling
through prior.sample((n, 1)) (checked by shape; the libraries' draws differ, so the samples
that are compared come from fixed numpy noise). Moons come from sklearn's make_moons with a fixed
random_state in place of a fresh batch each step."""

import numpy as np
from sklearn import datasets

RTOL, ATOL = 2e-3, 5e-4


def main(torch):
    nn, distributions = torch.nn, torch.distributions

    class RealNVP(nn.Module):
        def __init__(self, nets, nett, mask, prior):
            super(RealNVP, self).__init__()
            self.prior = prior
            self.mask = nn.Parameter(mask, requires_grad=False)
            self.t = torch.nn.ModuleList([nett() for _ in range(len(mask))])
            self.s = torch.nn.ModuleList([nets() for _ in range(len(mask))])

        def g(self, z):
            x = z
            for i in range(len(self.t)):
                x_ = x * self.mask[i]
                s = self.s[i](x_) * (1 - self.mask[i])
                t = self.t[i](x_) * (1 - self.mask[i])
                x = x_ + (1 - self.mask[i]) * (x * torch.exp(s) + t)
            return x

        def f(self, x):
            log_det_J, z = x.new_zeros(x.shape[0]), x
            for i in reversed(range(len(self.t))):
                z_ = self.mask[i] * z
                s = self.s[i](z_) * (1 - self.mask[i])
                t = self.t[i](z_) * (1 - self.mask[i])
                z = (1 - self.mask[i]) * (z - t) * torch.exp(-s) + z_
                log_det_J -= s.sum(dim=1)
            return z, log_det_J

        def log_prob(self, x):
            z, logp = self.f(x)
            return self.prior.log_prob(z) + logp

        def sample(self, batchSize):
            z = self.prior.sample((batchSize, 1))
            self.prior.log_prob(z)
            x = self.g(z)
            return x

    hidden = 32

    def nets():
        return nn.Sequential(
            nn.Linear(2, hidden), nn.LeakyReLU(), nn.Linear(hidden, hidden), nn.LeakyReLU(),
            nn.Linear(hidden, 2), nn.Tanh(),
        )  # fmt: skip

    def nett():
        return nn.Sequential(
            nn.Linear(2, hidden), nn.LeakyReLU(), nn.Linear(hidden, hidden), nn.LeakyReLU(),
            nn.Linear(hidden, 2),
        )  # fmt: skip

    masks = torch.from_numpy(np.array([[0, 1], [1, 0]] * 3).astype(np.float32))
    prior = distributions.MultivariateNormal(torch.zeros(2), torch.eye(2))
    flow = RealNVP(nets, nett, masks, prior)

    rng = np.random.default_rng(0)
    with torch.no_grad():
        for name, p in flow.named_parameters():
            if p.requires_grad:
                scale = 0.3 if p.dim() == 2 else 0.05
                p.copy_(torch.from_numpy(rng.normal(0, scale, tuple(p.shape)).astype(np.float32)))

    out = {
        "n_trainable": sum(p.numel() for p in flow.parameters() if p.requires_grad),
        "n_frozen": sum(p.numel() for p in flow.parameters() if not p.requires_grad),
        "mask_requires_grad": flow.mask.requires_grad,
        "state_keys": list(flow.state_dict().keys())[:4],
    }
    optimizer = torch.optim.Adam([p for p in flow.parameters() if p.requires_grad == True], lr=1e-3)  # noqa: E712
    losses = []
    for t in range(80):
        noisy_moons = datasets.make_moons(n_samples=100, noise=0.05, random_state=t % 8)[0]
        noisy_moons = noisy_moons.astype(np.float32)
        loss = -flow.log_prob(torch.from_numpy(noisy_moons)).mean()
        optimizer.zero_grad()
        loss.backward(retain_graph=True)
        optimizer.step()
        if t % 10 == 0:
            losses.append(loss.item())
    out["losses"] = losses
    out["mask_unchanged"] = flow.mask.tolist()

    test = torch.from_numpy(datasets.make_moons(n_samples=64, noise=0.05, random_state=99)[0])
    test = test.float()
    with torch.no_grad():
        z, log_det = flow.f(test)
        back = flow.g(z)
        out["round_trip_error"] = float((back - test).abs().max()) < 1e-4
        out["test_log_prob"] = flow.log_prob(test).mean().item()
        out["log_det_first"] = log_det[:5].tolist()
        noise = torch.from_numpy(np.random.default_rng(1).standard_normal((6, 1, 2)))
        out["samples_from_fixed_noise"] = flow.g(noise.float()).reshape(6, 2).tolist()
        drawn = flow.sample(50)
    out["sample_shape"] = list(drawn.shape)
    out["sample_finite"] = bool(torch.isfinite(drawn).all())
    # the flow's density integrates to about one over a grid around the moons
    xs = torch.linspace(-2.5, 3.5, 61)
    ys = torch.linspace(-2.0, 2.5, 46)
    grid = torch.stack(torch.meshgrid(xs, ys, indexing="ij"), -1).reshape(-1, 2)
    with torch.no_grad():
        density = flow.log_prob(grid).exp()
    cell = float((xs[1] - xs[0]) * (ys[1] - ys[0]))
    out["mass_on_grid"] = float(density.sum()) * cell
    return out
