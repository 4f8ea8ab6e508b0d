"""Fine-tuning: a frozen backbone, param groups with their own lr, AdamW, parameters_to_vector."""

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-5


def main(torch):
    nn = torch.nn
    parameters_to_vector = torch.nn.utils.parameters_to_vector
    vector_to_parameters = torch.nn.utils.vector_to_parameters

    class Backbone(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.Sequential(nn.Linear(10, 32), nn.GELU(), nn.Linear(32, 16), nn.GELU())
            self.register_buffer("scale", torch.ones(10) * 0.5)

        def forward(self, x):
            return self.layers(x * self.scale)

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.backbone = Backbone()
            self.neck = nn.Linear(16, 16)
            self.head = nn.Linear(16, 4)

        def forward(self, x):
            return self.head(torch.relu(self.neck(self.backbone(x))))

    model = Classifier()
    init_from_numpy(torch, model, seed=8)
    frozen_before = parameters_to_vector(model.backbone.parameters()).detach().clone()
    for param in model.backbone.parameters():
        param.requires_grad_(False)
    model.backbone.layers[0].bias.requires_grad = False

    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.AdamW(
        [
            {"params": model.neck.parameters(), "lr": 1e-3},
            {"params": model.head.parameters()},
        ],
        lr=1e-2,
        weight_decay=0.05,
    )
    rng = np.random.default_rng(8)
    X = torch.from_numpy(rng.standard_normal((64, 10)).astype(np.float32))
    y = torch.from_numpy(rng.integers(0, 4, 64))
    for step in range(30):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(X), y)
        loss.backward()
        optimizer.step()

    frozen_after = parameters_to_vector(model.backbone.parameters())
    grads_none = [p.grad is None for p in model.backbone.parameters()]
    names = [name for name, _ in model.named_modules()]
    linear_names = [n for n, m in model.named_modules() if isinstance(m, nn.Linear)]
    buffers = [name for name, _ in model.named_buffers()]
    vec = parameters_to_vector(model.parameters())
    with torch.no_grad():
        head_vec = parameters_to_vector(model.head.parameters())
        vector_to_parameters(head_vec * 2, model.head.parameters())
    return {
        "loss": loss.item(),
        "trainable": trainable,
        "total": total,
        "frozen_unchanged": bool(torch.equal(frozen_before, frozen_after)),
        "grads_none": grads_none,
        "module_names": names,
        "linear_names": linear_names,
        "buffers": buffers,
        "group_lrs": [g["lr"] for g in optimizer.param_groups],
        "group_wd": [g["weight_decay"] for g in optimizer.param_groups],
        "vec_len": vec.numel(),
        "head_weight_sum": model.head.weight.sum().item(),
        "state_keys": list(model.state_dict().keys()),
    }
