"""nn.Sequential from an OrderedDict, model.apply(init_fn) with kaiming / xavier / orthogonal /
zeros_ init (checked by their documented bounds and identities, not by the random draws),
calculate_gain, and named access to layers."""

from collections import OrderedDict

import numpy as np

RTOL, ATOL = 1e-5, 1e-6


def main(torch):
    nn = torch.nn
    torch.manual_seed(20)
    model = nn.Sequential(
        OrderedDict(
            [
                ("fc1", nn.Linear(20, 64)),
                ("relu1", nn.ReLU()),
                ("fc2", nn.Linear(64, 32)),
                ("tanh", nn.Tanh()),
                ("fc3", nn.Linear(32, 16)),
                ("out", nn.Linear(16, 4)),
            ]
        )
    )

    def init_weights(m):
        if isinstance(m, nn.Linear):
            if m.out_features == 64:
                nn.init.kaiming_uniform_(m.weight, a=0, mode="fan_in", nonlinearity="relu")
            elif m.out_features == 32:
                nn.init.xavier_normal_(m.weight, gain=nn.init.calculate_gain("tanh"))
            elif m.out_features == 16:
                nn.init.orthogonal_(m.weight)
            else:
                nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)

    model.apply(init_weights)
    w1, w2, w3, w4 = (model.fc1.weight, model.fc2.weight, model.fc3.weight, model.out.weight)
    kaiming_bound = nn.init.calculate_gain("relu") * np.sqrt(3.0 / 20)
    xavier_std = nn.init.calculate_gain("tanh") * np.sqrt(2.0 / (64 + 32))
    xavier_bound = np.sqrt(6.0 / (16 + 4))
    with torch.no_grad():
        gram = w3 @ w3.t()
        eye_err = (gram - torch.eye(16)).abs().max().item()
        emp_std = w2.std().item()
    layer = nn.Linear(3, 2)
    nn.init.constant_(layer.weight, 0.5)
    nn.init.ones_(layer.bias)
    conv = nn.Conv1d(4, 4, 3, padding=1)
    nn.init.dirac_(conv.weight)
    nn.init.zeros_(conv.bias)
    signal = torch.arange(20, dtype=torch.float32).view(1, 4, 5)
    return {
        "names": [name for name, _ in model.named_children()],
        "keys": list(model.state_dict().keys()),
        "kaiming_in_bound": bool(w1.abs().max().item() <= kaiming_bound + 1e-6),
        "kaiming_spread": bool(w1.abs().max().item() > 0.9 * kaiming_bound),
        "xavier_std_close": bool(abs(emp_std - xavier_std) < 0.15 * xavier_std),
        "orthogonal_err_small": eye_err < 1e-4,
        "xavier_uniform_in_bound": bool(w4.abs().max().item() <= xavier_bound + 1e-6),
        "biases_zero": [m.bias.abs().sum().item() for m in model if isinstance(m, nn.Linear)],
        "gains": [
            nn.init.calculate_gain(n) for n in ("linear", "sigmoid", "tanh", "relu", "conv1d")
        ]
        + [nn.init.calculate_gain("leaky_relu", 0.2)],
        "constant": layer(torch.ones(1, 3)).tolist(),
        "dirac_identity": bool(torch.equal(conv(signal), signal)),
        "fc2_by_index_is_name": model[2] is model.fc2,
        "out_shape": list(model(torch.zeros(5, 20)).shape),
        "n_params": sum(p.numel() for p in model.parameters() if p.requires_grad),
    }
