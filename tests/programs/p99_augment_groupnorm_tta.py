"""Data augmentation without torchvision, as small-image notebooks write it, on sklearn's digits:
flat 64-pixel rows unflattened by nn.Unflatten(1, (1, 8, 8)), then per-batch transforms on the
(N, 1, 8, 8) tensor: a random horizontal flip by torch.flip on a bool mask's rows, rot90,
torch.roll shifts, F.pad(mode="reflect") followed by a random 8x8 crop, a zoom by
F.interpolate(scale_factor=1.5, mode="bilinear") and a centre crop, a Gaussian blur by a
depthwise F.conv2d(groups=C) with a kernel from an outer product, cutout by masked_fill with a
square mask broadcast from arange, brightness / contrast jitter clamped to [0, 1]. The CNN uses
GroupNorm and InstanceNorm2d(affine=True) with SiLU, and test-time augmentation averages the
softmax over the image and its flip. Every random choice is drawn from numpy, so both libraries
see the same batches."""

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    X, y = load_digits(return_X_y=True)
    X = torch.tensor(X[:320] / 16.0, dtype=torch.float32)
    y = torch.tensor(y[:320], dtype=torch.long)
    rng = np.random.default_rng(99)
    to_image = nn.Unflatten(1, (1, 8, 8))

    coords = torch.arange(-1, 2, dtype=torch.float32)
    g = torch.exp(-(coords**2) / 2)
    g = g / g.sum()
    blur_kernel = torch.outer(g, g).expand(1, 1, 3, 3)

    def augment(images):
        n = images.shape[0]
        flip = torch.from_numpy(rng.random(n) < 0.5)
        images = torch.where(flip[:, None, None, None], torch.flip(images, dims=[-1]), images)
        if rng.random() < 0.3:
            images = torch.rot90(images, k=1, dims=(2, 3))
        dy, dx = (int(v) for v in rng.integers(-1, 2, size=2))
        images = torch.roll(images, shifts=(dy, dx), dims=(2, 3))
        padded = F.pad(images, (2, 2, 2, 2), mode="reflect")
        top, left = (int(v) for v in rng.integers(0, 5, size=2))
        images = padded[:, :, top : top + 8, left : left + 8]
        zoomed = F.interpolate(images, scale_factor=1.5, mode="bilinear", align_corners=False)
        images = zoomed[:, :, 2:10, 2:10]
        images = F.conv2d(
            F.pad(images, (1, 1, 1, 1), mode="replicate"), blur_kernel, groups=images.shape[1]
        )
        cy, cx = (int(v) for v in rng.integers(0, 7, size=2))
        rows = torch.arange(8).view(8, 1)
        cols = torch.arange(8).view(1, 8)
        hole = (rows >= cy) & (rows < cy + 2) & (cols >= cx) & (cols < cx + 2)
        images = images.masked_fill(hole, 0.0)
        brightness = torch.from_numpy(rng.uniform(-0.1, 0.1, size=(n, 1, 1, 1)).astype(np.float32))
        contrast = torch.from_numpy(rng.uniform(0.8, 1.2, size=(n, 1, 1, 1)).astype(np.float32))
        mean = images.mean(dim=(1, 2, 3), keepdim=True)
        return ((images - mean) * contrast + mean + brightness).clamp(0.0, 1.0)

    model = nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.GroupNorm(4, 8),
        nn.SiLU(),
        nn.Conv2d(8, 8, 3, padding=1),
        nn.InstanceNorm2d(8, affine=True),
        nn.SiLU(),
        nn.AdaptiveAvgPool2d(2),
        nn.Flatten(),
        nn.Linear(32, 10),
    )
    init_from_numpy(torch, model, seed=99, scale=0.3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    train, test = slice(0, 256), slice(256, 320)
    losses = []
    first_batch = None
    for _ in range(3):
        for start in range(0, 256, 64):
            images = augment(to_image(X[train][start : start + 64]))
            if first_batch is None:
                first_batch = images[:2, 0].clone()
            loss = F.cross_entropy(model(images), y[train][start : start + 64])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())

    model.eval()
    with torch.no_grad():
        images = to_image(X[test])
        plain = F.softmax(model(images), dim=1)
        tta = (plain + F.softmax(model(torch.flip(images, dims=[3])), dim=1)) / 2
    return {
        "unflattened": list(to_image(X[:2]).shape),
        "first_batch": first_batch.numpy(),
        "losses": np.array(losses),
        "gn_weight": model[1].weight.detach().numpy(),
        "in_bias": model[4].bias.detach().numpy(),
        "plain_probs": plain[:4].numpy(),
        "tta_probs": tta[:4].numpy(),
        "tta_acc": (tta.argmax(1) == y[test]).float().mean().item(),
    }
