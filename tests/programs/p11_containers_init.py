"""Containers and init: ModuleDict, ParameterList, ModuleList, model.apply(init_weights)."""

import numpy as np

RTOL, ATOL = 1e-5, 1e-6


def main(torch):
    nn = torch.nn

    class MultiHead(nn.Module):
        def __init__(self, in_dim=6, tasks=("age", "income")):
            super().__init__()
            self.trunk = nn.ModuleList([nn.Linear(in_dim, 8), nn.Linear(8, 8)])
            self.heads = nn.ModuleDict({t: nn.Linear(8, 1) for t in tasks})
            self.task_scales = nn.ParameterList([nn.Parameter(torch.ones(1)) for _ in tasks])
            self.temperature = nn.Parameter(torch.tensor(2.0))
            self.register_buffer("calls", torch.zeros((), dtype=torch.long))

        def forward(self, x):
            for layer in self.trunk:
                x = torch.relu(layer(x))
            self.calls += 1
            return {
                name: head(x) * scale / self.temperature
                for (name, head), scale in zip(self.heads.items(), self.task_scales)
            }

    def init_weights(m):
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.weight, 0.05)
            if m.bias is not None:
                nn.init.zeros_(m.bias)

    model = MultiHead()
    model.apply(init_weights)
    with torch.no_grad():
        model.trunk[0].weight.copy_(
            torch.from_numpy(np.linspace(-1, 1, 48, dtype=np.float32).reshape(8, 6))
        )
    x = torch.from_numpy(np.random.default_rng(11).standard_normal((16, 6)).astype(np.float32))
    targets = {"age": x[:, :1].clone(), "income": x[:, 1:2] * 2}
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-2)
    for _ in range(10):
        preds = model(x)
        loss = sum(nn.functional.mse_loss(preds[k], targets[k]) for k in preds)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    out = {
        "loss": loss.item(),
        "calls": model.calls.item(),
        "param_names": [n for n, _ in model.named_parameters()],
        "children": [type(c).__name__ for c in model.children()],
        "heads_keys": list(model.heads.keys()),
        "n_scales": len(model.task_scales),
        "scales": [p.item() for p in model.task_scales],
        "temperature": model.temperature.item(),
        "state_keys": list(model.state_dict().keys()),
        "in_heads": "age" in model.heads,
        "trunk_len": len(model.trunk),
        "modules": len(list(model.modules())),
    }
    double = MultiHead().double()
    out["double_dtype"] = str(double.trunk[0].weight.dtype).split(".")[-1]
    missing = double.load_state_dict(
        {k: v.double() if v.is_floating_point() else v for k, v in model.state_dict().items()}
    )
    out["missing"] = list(missing.missing_keys) + list(missing.unexpected_keys)
    out["double_out"] = double(x.double())["age"].detach().numpy()
    return out
