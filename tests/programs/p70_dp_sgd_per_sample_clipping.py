"""Differentially-private-style training with torch.func: per-sample gradients by
vmap(grad(loss), in_dims=(None, 0, 0)) over functional_call, each clipped to norm C, averaged
with seeded Gaussian noise and applied by an optimizer; then the loss's curvature at the end,
the Hessian trace by Hutchinson's estimator (v . Hv with jvp over grad), and the exact Hessian of
the output layer's weight by torch.func.hessian."""

import warnings

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    func = torch.func
    functional_call, grad, hessian, jvp, vmap = (
        func.functional_call,
        func.grad,
        func.hessian,
        func.jvp,
        func.vmap,
    )

    rng = np.random.default_rng(70)
    X = torch.from_numpy(rng.standard_normal((48, 4)).astype(np.float32))
    labels = (X[:, 0] + 0.5 * X[:, 1] > 0).long() + (X[:, 2] > 1.0).long()
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))
    init_from_numpy(torch, model, seed=70, scale=0.5)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    clip, noise_scale = 1.0, 0.05

    def loss_fn(params, x, y):
        logits = functional_call(model, params, (x.unsqueeze(0),))
        return F.cross_entropy(logits, y.unsqueeze(0))

    per_sample_grad = vmap(grad(loss_fn), in_dims=(None, 0, 0))
    losses, clipped_fraction = [], []
    for step in range(8):
        params = {k: v.detach() for k, v in model.named_parameters()}
        grads = per_sample_grad(params, X, labels)
        norms = torch.stack([g.reshape(len(X), -1).norm(dim=1) for g in grads.values()]).norm(dim=0)
        factor = (clip / (norms + 1e-6)).clamp(max=1.0)
        clipped_fraction.append((factor < 1.0).float().mean().item())
        noise = np.random.default_rng(step).standard_normal
        for name, p in model.named_parameters():
            g = (grads[name] * factor.reshape(-1, *([1] * p.dim()))).mean(dim=0)
            p.grad = g + torch.from_numpy(
                (noise(p.shape) * noise_scale * clip / len(X)).astype(np.float32)
            )
        optimizer.step()
        with torch.no_grad():
            losses.append(F.cross_entropy(model(X), labels).item())

    params = {k: v.detach() for k, v in model.named_parameters()}

    def full_loss(p):
        return F.cross_entropy(functional_call(model, p, (X,)), labels)

    trace = 0.0
    for k in range(2):  # Hutchinson: E[v . H v] over Rademacher v
        signs = np.random.default_rng(100 + k).integers(0, 2, size=12 * 8 + 8 * 3 + 8 + 3)
        flat = torch.from_numpy((2.0 * signs - 1.0).astype(np.float32))
        v, start = {}, 0
        for name, p in params.items():
            v[name] = flat[start : start + p.numel()].reshape(p.shape)
            start += p.numel()
        with warnings.catch_warnings():  # torch 2.13's forward AD warns from its own internals
            warnings.simplefilter("ignore", DeprecationWarning)
            _, hv = jvp(grad(full_loss), (params,), (v,))
        trace += sum((hv[n] * v[n]).sum() for n in params).item() / 2

    last = {k: v for k, v in params.items()}

    def head_loss(weight):
        return full_loss({**last, "2.weight": weight})

    head_hessian = hessian(head_loss)(params["2.weight"]).reshape(24, 24)
    return {
        "losses": np.array(losses),
        "clipped_fraction": np.array(clipped_fraction),
        "per_sample_shape": list(grads["0.weight"].shape),
        "hessian_trace": trace,
        "head_hessian_diagonal": head_hessian.diagonal().numpy(),
        "head_hessian_row": head_hessian[5].numpy(),
        "accuracy": (model(X).argmax(dim=1) == labels).float().mean().item(),
    }
