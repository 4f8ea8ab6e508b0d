"""A small ResNet-style CNN on 8x8 digits written the way timm-style code writes one: LazyConv2d
and LazyLinear that learn their input sizes on a dry run, residual blocks with ReflectionPad2d
before unpadded convolutions, PReLU and SELU activations, weight_norm on the classifier,
AdaptiveMaxPool2d and AdaptiveAvgPool2d heads concatenated, ZeroPad2d/ConstantPad2d on the side,
Adamax with a StepLR; then Module.requires_grad_(False) freezes the stem for a fine-tuning
epoch and get_submodule / state_dict(prefix=) / named_modules look it over."""

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    X, y = load_digits(return_X_y=True)
    X = torch.from_numpy((X[:160] / 16.0).astype(np.float32).reshape(-1, 1, 8, 8))
    y = torch.from_numpy(y[:160])

    class Block(nn.Module):
        def __init__(self, channels):
            super().__init__()
            self.pad = nn.ReflectionPad2d(1)
            self.conv = nn.LazyConv2d(channels, 3, bias=False)
            self.norm = nn.BatchNorm2d(channels)
            self.act = nn.PReLU(channels)

        def forward(self, x):
            return self.act(x + self.norm(self.conv(self.pad(x))))

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.LazyConv2d(6, 3, padding=1), nn.SELU())
            self.blocks = nn.Sequential(Block(6), Block(6))
            self.max_pool = nn.AdaptiveMaxPool2d((2, 2))
            self.avg_pool = nn.AdaptiveAvgPool2d(1)
            self.hidden = nn.LazyLinear(16)
            self.head = nn.utils.parametrizations.weight_norm(nn.Linear(16, 10))

        def forward(self, x):
            h = self.blocks(self.stem(x))
            pooled = torch.cat([self.max_pool(h).flatten(1), self.avg_pool(h).flatten(1)], 1)
            return self.head(F.prelu(self.hidden(pooled), torch.tensor([0.1])))

    model = Net()
    with torch.no_grad():
        model(X[:2])  # materialises the lazy shapes
    init_from_numpy(torch, model, seed=57, scale=0.3)
    optimizer = torch.optim.Adamax(model.parameters(), lr=0.01)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    losses = []
    for epoch in range(3):
        model.train()
        for start in range(0, 160, 40):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(X[start : start + 40]), y[start : start + 40])
            loss.backward()
            optimizer.step()
        scheduler.step()
        losses.append(loss.item())

    model.stem.requires_grad_(False)
    stem_before = model.stem[0].weight.clone()
    finetune = torch.optim.Adamax([p for p in model.parameters() if p.requires_grad], lr=0.005)
    for start in range(0, 160, 80):
        finetune.zero_grad()
        loss = F.cross_entropy(model(X[start : start + 80]), y[start : start + 80])
        loss.backward()
        finetune.step()
    losses.append(loss.item())

    model.eval()
    with torch.no_grad():
        accuracy = (model(X).argmax(1) == y).float().mean()
    prelu = model.get_submodule("blocks.1.act")
    keys = list(model.state_dict(prefix="net.").keys())
    padded = nn.ZeroPad2d((1, 0, 2, 1))(X[:1])
    constant = nn.ConstantPad2d(1, -1.0)(X[:1])
    return {
        "losses": np.array(losses),
        "accuracy": accuracy.item(),
        "stem_frozen": bool(torch.equal(stem_before, model.stem[0].weight)),
        "stem_grad_none": model.stem[0].weight.grad is None,
        "lazy_in_channels": model.blocks[0].conv.in_channels,
        "lazy_in_features": model.hidden.in_features,
        "lazy_weight_shape": list(model.hidden.weight.shape),
        "prelu_weight": prelu.weight.detach().numpy(),
        "head_g": model.head.parametrizations.weight.original0.detach().numpy().ravel(),
        "head_weight": model.head.weight.detach().numpy(),
        "state_keys": keys,
        "n_modules": len(list(model.named_modules())),
        "padded_shape": list(padded.shape),
        "constant_sum": constant.sum().item(),
    }
