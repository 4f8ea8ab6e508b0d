"""A variational autoencoder on digits, written as in the PyTorch examples repo: an encoder
giving mu and logvar, the reparameterization z = mu + exp(logvar / 2) eps with eps drawn
outside (here from NumPy, so both libraries see the same noise), BCE reconstruction summed
over pixels plus the closed-form KL term, and decoding a grid of latent points."""

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 5e-4, 5e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional

    class VAE(nn.Module):
        def __init__(self, latent=2):
            super().__init__()
            self.fc1 = nn.Linear(64, 32)
            self.fc_mu = nn.Linear(32, latent)
            self.fc_logvar = nn.Linear(32, latent)
            self.fc3 = nn.Linear(latent, 32)
            self.fc4 = nn.Linear(32, 64)

        def encode(self, x):
            h = F.relu(self.fc1(x))
            return self.fc_mu(h), self.fc_logvar(h)

        def decode(self, z):
            return torch.sigmoid(self.fc4(F.relu(self.fc3(z))))

        def forward(self, x, eps):
            mu, logvar = self.encode(x)
            z = mu + torch.exp(0.5 * logvar) * eps
            return self.decode(z), mu, logvar

    def loss_function(recon, x, mu, logvar):
        bce = F.binary_cross_entropy(recon, x, reduction="sum")
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return bce + kld, bce, kld

    X = torch.tensor(load_digits().data[:320] / 16.0, dtype=torch.float32)
    rng = np.random.default_rng(38)
    model = VAE()
    init_from_numpy(torch, model, seed=38, scale=0.2)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    history = []
    for epoch in range(5):
        model.train()
        total = bce_total = kld_total = 0.0
        for start in range(0, 320, 64):
            xb = X[start : start + 64]
            eps = torch.from_numpy(rng.standard_normal((len(xb), 2)).astype(np.float32))
            optimizer.zero_grad()
            recon, mu, logvar = model(xb, eps)
            loss, bce, kld = loss_function(recon, xb, mu, logvar)
            loss.backward()
            optimizer.step()
            total += loss.item()
            bce_total += bce.item()
            kld_total += kld.item()
        history.append([total / 320, bce_total / 320, kld_total / 320])
    model.eval()
    with torch.no_grad():
        mu, logvar = model.encode(X[:5])
        grid = torch.stack(
            torch.meshgrid(torch.linspace(-1, 1, 3), torch.linspace(-1, 1, 3), indexing="ij"), -1
        ).reshape(-1, 2)
        samples = model.decode(grid)
    return {
        "history": np.array(history),
        "mu": mu.numpy(),
        "std": torch.exp(0.5 * logvar).numpy(),
        "samples_mean": samples.mean(1).numpy(),
    }
