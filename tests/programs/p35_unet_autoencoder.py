"""A U-Net-ish denoising autoencoder on 8x8 digits: conv + max-pool down, ConvTranspose2d and
F.interpolate / nn.Upsample up, a skip connection by torch.cat on channels; MSE to the clean
image, Adam, and the reconstruction error per epoch."""

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-4, 2e-5


def tiny_unet(torch):
    """The model, built from ``torch``'s modules (the captured test reuses it)."""
    nn, F = torch.nn, torch.nn.functional

    class TinyUNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.down1 = nn.Conv2d(1, 4, 3, padding=1)
            self.pool = nn.MaxPool2d(2)
            self.down2 = nn.Conv2d(4, 8, 3, padding=1)
            self.up = nn.ConvTranspose2d(8, 4, kernel_size=2, stride=2)
            self.smooth = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
            self.mix = nn.Conv2d(8, 4, 3, padding=1)
            self.out = nn.Conv2d(4, 1, 1)

        def forward(self, x):
            skip = F.relu(self.down1(x))  # (N, 4, 8, 8)
            bottom = F.relu(self.down2(self.pool(skip)))  # (N, 8, 4, 4)
            up = F.relu(self.up(bottom))  # (N, 4, 8, 8)
            coarse = F.interpolate(self.pool(skip), scale_factor=2, mode="nearest")
            smooth = self.smooth(F.avg_pool2d(skip, 2))
            mixed = F.relu(self.mix(torch.cat([up, skip], dim=1))) + 0.1 * (coarse + smooth)
            return torch.sigmoid(self.out(mixed))

    return TinyUNet()


def main(torch):
    F = torch.nn.functional
    digits = load_digits()
    clean = torch.tensor(digits.images[:256] / 16.0, dtype=torch.float32).unsqueeze(1)
    noise = np.random.default_rng(35).normal(0, 0.2, size=tuple(clean.shape)).astype(np.float32)
    noisy = (clean + torch.from_numpy(noise)).clamp(0, 1)
    model = tiny_unet(torch)
    init_from_numpy(torch, model, seed=35, scale=0.2)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for epoch in range(6):
        for start in range(0, 256, 64):
            optimizer.zero_grad()
            loss = F.mse_loss(model(noisy[start : start + 64]), clean[start : start + 64])
            loss.backward()
            optimizer.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        recon = model(noisy[:4])
        sizes = [
            list(F.interpolate(clean[:1], size=(5, 7), mode="bilinear").shape),
            list(F.interpolate(clean[:1], scale_factor=0.5, mode="nearest").shape),
        ]
        resized = F.interpolate(clean[:2], size=(5, 7), mode="bilinear", align_corners=True)
    return {
        "losses": np.array(losses),
        "recon_shape": list(recon.shape),
        "recon_mean": recon.mean().item(),
        "sizes": sizes,
        "resized": resized[0, 0].numpy(),
    }
