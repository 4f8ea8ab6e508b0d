"""A GAN on 2-D points, the first GAN of many tutorials: a generator maps noise to a ring, a
discriminator scores real against fake with BCEWithLogitsLoss; two Adam optimizers, fake samples
.detach()ed for the discriminator step, the discriminator frozen by requires_grad_(False) for the
generator step, labels made with torch.ones_like / zeros_like."""

import math

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    nn = torch.nn
    rng = np.random.default_rng(42)
    batch, noise_dim, steps = 64, 4, 25
    angles = rng.uniform(0, 2 * math.pi, size=(steps, batch))
    real_points = np.stack([np.cos(angles), np.sin(angles)], axis=-1) * 2.0
    real_points += rng.normal(0, 0.05, size=real_points.shape)
    noise = rng.standard_normal((steps, batch, noise_dim))
    real_points = torch.from_numpy(real_points.astype(np.float32))
    noise = torch.from_numpy(noise.astype(np.float32))

    generator = nn.Sequential(
        nn.Linear(noise_dim, 16),
        nn.LeakyReLU(0.2),
        nn.Linear(16, 16),
        nn.LeakyReLU(0.2),
        nn.Linear(16, 2),
    )
    discriminator = nn.Sequential(
        nn.Linear(2, 16), nn.LeakyReLU(0.2), nn.Linear(16, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1)
    )
    init_from_numpy(torch, generator, seed=42, scale=0.4)
    init_from_numpy(torch, discriminator, seed=43, scale=0.4)
    criterion = nn.BCEWithLogitsLoss()
    opt_g = torch.optim.Adam(generator.parameters(), lr=2e-3, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(discriminator.parameters(), lr=2e-3, betas=(0.5, 0.999))

    d_losses, g_losses, d_grads_during_g = [], [], []
    for step in range(steps):
        real = real_points[step]
        fake = generator(noise[step])

        for p in discriminator.parameters():
            p.requires_grad_(True)
        opt_d.zero_grad()
        real_logits = discriminator(real)
        fake_logits = discriminator(fake.detach())
        d_loss = criterion(real_logits, torch.ones_like(real_logits)) + criterion(
            fake_logits, torch.zeros_like(fake_logits)
        )
        d_loss.backward()
        opt_d.step()

        for p in discriminator.parameters():
            p.requires_grad_(False)
        opt_g.zero_grad(set_to_none=True)
        logits = discriminator(fake)
        g_loss = criterion(logits, torch.ones_like(logits))
        g_loss.backward()
        opt_g.step()
        d_grads_during_g.append(sum(p.grad.abs().sum().item() for p in discriminator.parameters()))

        d_losses.append(d_loss.item())
        g_losses.append(g_loss.item())

    for p in discriminator.parameters():
        p.requires_grad_(True)
    generator.eval()
    with torch.no_grad():
        samples = generator(noise[0])
        radius = samples.norm(dim=1)
        realness = torch.sigmoid(discriminator(samples)).mean()
    return {
        "d_losses": np.array(d_losses[::4]),
        "g_losses": np.array(g_losses[::4]),
        "fake_requires_grad": fake.requires_grad,
        "detached_requires_grad": fake.detach().requires_grad,
        "frozen_count": sum(not p.requires_grad for p in discriminator.parameters()),
        "d_grads_unchanged_by_g": np.array(d_grads_during_g[::6]),
        "mean_radius": radius.mean().item(),
        "realness": realness.item(),
        "sample_head": samples[:3].numpy(),
    }
