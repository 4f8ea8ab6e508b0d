"""First-order tricks that stand in for second derivatives in research code: the original WGAN
critic (RMSprop, weights clipped by p.data.clamp_ after each step), DARTS' finite-difference
Hessian-vector product (gradients from torch.autograd.grad at w +- eps * v, moved there and back
by nn.utils.vector_to_parameters), and autograd.grad over several inputs with allow_unused and
grad_outputs for per-sample input gradients."""

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    utils = torch.nn.utils
    rng = np.random.default_rng(52)
    real = torch.from_numpy((rng.standard_normal((64, 2)) * 0.5 + [2.0, -1.0]).astype(np.float32))
    fake = torch.from_numpy(rng.standard_normal((64, 2)).astype(np.float32))

    critic = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 1))
    init_from_numpy(torch, critic, seed=52, scale=0.5)
    optimizer = torch.optim.RMSprop(critic.parameters(), lr=5e-3)
    w_distances = []
    for _ in range(15):
        optimizer.zero_grad()
        w_distance = critic(real).mean() - critic(fake).mean()
        (-w_distance).backward()
        optimizer.step()
        for p in critic.parameters():
            p.data.clamp_(-0.3, 0.3)
        w_distances.append(w_distance.item())
    clipped = max(p.abs().max().item() for p in critic.parameters())

    # DARTS-style Hessian-vector product by central differences of the gradient
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    init_from_numpy(torch, model, seed=53, scale=0.5)
    X = torch.from_numpy(rng.standard_normal((20, 3)).astype(np.float32))
    target = torch.from_numpy(rng.standard_normal((20, 1)).astype(np.float32))
    params = list(model.parameters())

    def flat_grad():
        loss = F.mse_loss(model(X), target)
        return torch.cat([g.reshape(-1) for g in torch.autograd.grad(loss, params)])

    w = utils.parameters_to_vector(params).detach().clone()
    v = torch.linspace(-1.0, 1.0, w.numel())
    eps = 0.01 / v.norm()
    with torch.no_grad():
        utils.vector_to_parameters(w + eps * v, params)
    g_plus = flat_grad()
    with torch.no_grad():
        utils.vector_to_parameters(w - eps * v, params)
    g_minus = flat_grad()
    with torch.no_grad():
        utils.vector_to_parameters(w, params)
    hvp = (g_plus - g_minus) / (2 * eps)
    restored = torch.equal(utils.parameters_to_vector(params), w)

    # gradients with respect to inputs and an unused tensor
    x = X[:5].clone().requires_grad_(True)
    unused = torch.zeros(3, requires_grad=True)
    out = model(x)
    per_sample, none_grad = torch.autograd.grad(
        out, (x, unused), grad_outputs=torch.ones_like(out), allow_unused=True, retain_graph=True
    )
    weighted = torch.autograd.grad(out, x, grad_outputs=torch.arange(5.0).unsqueeze(1))[0]
    return {
        "w_distances": np.array(w_distances[::3]),
        "clipped_max": clipped,
        "n_flat": w.numel(),
        "hvp": hvp[:6].numpy(),
        "hvp_dot_v": (hvp @ v).item(),
        "restored": restored,
        "per_sample": per_sample.numpy(),
        "unused_is_none": none_grad is None,
        "weighted_rows_scale": bool(torch.allclose(weighted[2], 2 * per_sample[2], atol=1e-6)),
    }
