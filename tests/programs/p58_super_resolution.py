"""Single-image super-resolution as in the ESPCN example: 4x4 thumbnails of the digits upscaled
back to 8x8 by a sub-pixel convolution net (ReplicationPad2d, Hardswish, Conv2d to 4 channels,
PixelShuffle(2)), compared against nn.UpsamplingBilinear2d and UpsamplingNearest2d baselines by
PSNR; PixelUnshuffle undoes the shuffle exactly; Adadelta with a CyclicLR (triangular2,
momentum cycling off) drives it; GLU, Softmin, CELU and Hardshrink appear in an attention-ish
gate the way model zoos use them; ChannelShuffle and Fold / Unfold round-trip patches."""

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    X, _ = load_digits(return_X_y=True)
    high = torch.from_numpy((X[:192] / 16.0).astype(np.float32).reshape(-1, 1, 8, 8))
    low = F.avg_pool2d(high, 2)

    class ESPCN(nn.Module):
        def __init__(self, scale=2):
            super().__init__()
            self.features = nn.Sequential(
                nn.ReplicationPad2d(1),
                nn.Conv2d(1, 8, 3),
                nn.Hardswish(),
                nn.Conv2d(8, 8, 3, padding=1),
                nn.CELU(alpha=0.5),
            )
            self.gate = nn.Sequential(nn.Conv2d(8, 16, 1), nn.GLU(dim=1))
            self.to_subpixels = nn.Conv2d(8, scale * scale, 3, padding=1)
            self.shuffle = nn.PixelShuffle(scale)

        def forward(self, x):
            h = self.features(x)
            h = h * torch.sigmoid(self.gate(h))
            return self.shuffle(self.to_subpixels(h)) + F.interpolate(
                x, scale_factor=2, mode="nearest"
            )

    model = ESPCN()
    init_from_numpy(torch, model, seed=58, scale=0.2)
    optimizer = torch.optim.Adadelta(model.parameters(), lr=1.0)
    scheduler = torch.optim.lr_scheduler.CyclicLR(
        optimizer,
        base_lr=0.2,
        max_lr=1.0,
        step_size_up=3,
        mode="triangular2",
        cycle_momentum=False,
    )
    losses, lrs = [], []
    for epoch in range(3):
        for start in range(0, 192, 48):
            optimizer.zero_grad()
            loss = F.mse_loss(model(low[start : start + 48]), high[start : start + 48])
            loss.backward()
            optimizer.step()
            scheduler.step()
            lrs.append(scheduler.get_last_lr()[0])
        losses.append(loss.item())

    def psnr(pred, target):
        return (10 * torch.log10(1.0 / F.mse_loss(pred, target))).item()

    with torch.no_grad():
        sr = model(low)
        bilinear = nn.UpsamplingBilinear2d(scale_factor=2)(low)
        nearest = nn.UpsamplingNearest2d(size=(8, 8))(low)
        shuffled = nn.PixelShuffle(2)(model.to_subpixels(model.features(low[:4])))
    unshuffled = nn.PixelUnshuffle(2)(high[:4])
    channels = torch.arange(2 * 6 * 2 * 2, dtype=torch.float32).reshape(2, 6, 2, 2)
    patches = F.unfold(high[:2], kernel_size=4, stride=4)
    folded = nn.Fold(output_size=(8, 8), kernel_size=4, stride=4)(patches)
    scores = torch.tensor([[0.3, -1.2, 2.0], [0.0, 0.5, -0.5]])
    return {
        "losses": np.array(losses),
        "lrs": np.array(lrs),
        "psnr_model": psnr(sr, high),
        "psnr_bilinear": psnr(bilinear, high),
        "psnr_nearest": psnr(nearest, high),
        "bilinear_corner": bilinear[0, 0, :3, :3].numpy(),
        "shuffled_shape": list(shuffled.shape),
        "unshuffle_shape": list(unshuffled.shape),
        "unshuffle_roundtrip": bool(torch.equal(nn.PixelShuffle(2)(unshuffled), high[:4])),
        "channel_shuffle": nn.ChannelShuffle(3)(channels)[0, :, 0, 0].numpy(),
        "fold_roundtrip": bool(torch.equal(folded, high[:2])),
        "patches_shape": list(patches.shape),
        "softmin": nn.Softmin(dim=1)(scores).numpy(),
        "hardshrink": nn.Hardshrink(0.4)(scores).numpy(),
        "glu": F.glu(torch.tensor([[1.0, -2.0, 0.5, 3.0]]), dim=-1).numpy(),
    }
