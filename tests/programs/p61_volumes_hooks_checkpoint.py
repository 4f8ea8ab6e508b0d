"""A 3-D CNN on tiny volumes (each 8x8 digit stacked with shifted copies into a 4x8x8 volume), as
medical-imaging starters write one: Conv3d, BatchNorm3d, MaxPool3d, AdaptiveAvgPool3d,
Dropout3d in eval; gradient logging through register_full_backward_hook and
register_full_backward_pre_hook on modules (grad norms per layer, one hook that rescales the
incoming gradient), torch.utils.checkpoint.checkpoint and checkpoint_sequential (use_reentrant
=False) for activation memory, whose gradients must equal the plain run's; a hook removed by its
handle; SGD with Nesterov momentum and a ReduceLROnPlateau."""

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    checkpoint = torch.utils.checkpoint
    X, y = load_digits(return_X_y=True)
    images = (X[:96] / 16.0).astype(np.float32).reshape(-1, 8, 8)
    volumes = np.stack([np.roll(images, s, axis=2) for s in range(4)], axis=1)[:, None]
    V, y_t = torch.from_numpy(np.ascontiguousarray(volumes)), torch.from_numpy(y[:96])

    class Net3d(nn.Module):
        def __init__(self):
            super().__init__()
            self.block1 = nn.Sequential(
                nn.Conv3d(1, 4, 3, padding=1), nn.BatchNorm3d(4), nn.ReLU(), nn.MaxPool3d(2)
            )
            self.block2 = nn.Sequential(
                nn.Conv3d(4, 6, (1, 3, 3), padding=(0, 1, 1)), nn.BatchNorm3d(6), nn.ReLU()
            )
            self.drop = nn.Dropout3d(0.2)
            self.pool = nn.AdaptiveAvgPool3d(1)
            self.head = nn.Linear(6, 10)

        def forward(self, x, use_checkpoint=False):
            if use_checkpoint:
                h = checkpoint.checkpoint(self.block1, x, use_reentrant=False)
                h = checkpoint.checkpoint_sequential(self.block2, 2, h, use_reentrant=False)
            else:
                h = self.block2(self.block1(x))
            return self.head(self.pool(self.drop(h)).flatten(1))

    model = Net3d()
    init_from_numpy(torch, model, seed=61, scale=0.3)
    grad_norms = {"relu1": [], "block2": [], "head": []}
    # block1 itself sees an input without grad, where torch warns that the hook sees outputs only
    watched = {"relu1": model.block1[2], "block2": model.block2, "head": model.head}

    def logger(name):
        def hook(module, grad_input, grad_output):
            grad_norms[name].append(grad_output[0].norm().item())

        return hook

    handles = [m.register_full_backward_hook(logger(n)) for n, m in watched.items()]
    model.head.register_full_backward_pre_hook(lambda m, g: (g[0] * 0.5,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, factor=0.5, patience=0)
    losses = []
    for epoch in range(3):
        model.train()
        model.drop.eval()  # the two RNG streams differ: keep the compared losses off them
        for start in range(0, 96, 32):
            optimizer.zero_grad()
            loss = F.cross_entropy(model(V[start : start + 32]), y_t[start : start + 32])
            loss.backward()
            optimizer.step()
        plateau.step(loss.item())
        losses.append(loss.item())
    for handle in handles:
        handle.remove()
    hooked_calls = len(grad_norms["head"])

    model.eval()
    grads = []
    for use in (False, True):
        model.zero_grad()
        F.cross_entropy(model(V[:16], use_checkpoint=use), y_t[:16]).backward()
        grads.append([p.grad.clone() for p in model.parameters()])
    same = all(torch.allclose(a, b, atol=1e-6) for a, b in zip(*grads))
    with torch.no_grad():
        accuracy = (model(V).argmax(1) == y_t).float().mean()
    return {
        "losses": np.array(losses),
        "grad_norms_relu1": np.array(grad_norms["relu1"]),
        "grad_norms_block2": np.array(grad_norms["block2"]),
        "grad_norms_head": np.array(grad_norms["head"]),
        "hooked_calls_after_remove": [hooked_calls, len(grad_norms["head"])],
        "checkpoint_grads_match": same,
        "conv1_grad": grads[1][0].flatten()[:10].numpy(),
        "running_mean": model.block1[1].running_mean.numpy(),
        "running_var": model.block2[1].running_var.numpy(),
        "lr": optimizer.param_groups[0]["lr"],
        "accuracy": accuracy.item(),
        "pool_shape": list(F.max_pool3d(V[:2], (1, 2, 2)).shape),
    }
