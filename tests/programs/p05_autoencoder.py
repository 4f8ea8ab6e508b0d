"""A dense autoencoder on digits with a sigmoid decoder, Adam and CosineAnnealingLR."""

from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-5


def main(torch):
    nn = torch.nn
    X = torch.tensor(load_digits().data[:300] / 16.0, dtype=torch.float32)

    class AutoEncoder(nn.Module):
        def __init__(self, latent_dim=4):
            super().__init__()
            self.encoder = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, latent_dim))
            self.decoder = nn.Sequential(
                nn.Linear(latent_dim, 32), nn.ReLU(), nn.Linear(32, 64), nn.Sigmoid()
            )

        def forward(self, x):
            z = self.encoder(x)
            return self.decoder(z), z

    model = AutoEncoder()
    init_from_numpy(torch, model, seed=4, scale=0.2)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2, betas=(0.9, 0.99))
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=20, eta_min=1e-4)
    criterion = nn.MSELoss(reduction="sum")
    losses = []
    for epoch in range(20):
        batch_losses = []
        for batch in torch.split(X, 100):
            recon, _ = model(batch)
            loss = criterion(recon, batch) / batch.shape[0]
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.item())
        scheduler.step()
        losses.append(sum(batch_losses) / len(batch_losses))

    model.eval()
    with torch.no_grad():
        codes = torch.cat([model.encoder(chunk) for chunk in X.chunk(3)], dim=0)
        recon, _ = model(X)
        per_sample = ((recon - X) ** 2).mean(dim=1)
        worst = torch.argsort(per_sample, descending=True)[:5]
    return {
        "losses": losses,
        "codes_shape": tuple(codes.shape),
        "code_mean": codes.mean(0).numpy(),
        "worst": worst.tolist(),
        "lr": optimizer.param_groups[0]["lr"],
    }
