"""Interpretability and gradient plumbing from tutorials: input saliency via x.requires_grad_(),
integrated gradients on a linspace path, register_hook to log and rescale a gradient, retain_grad,
forward hooks collecting activations, torch.autograd.grad for per-parameter norms, and a custom
straight-through torch.autograd.Function."""

from sklearn.datasets import load_iris

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-6


def main(torch):
    nn = torch.nn
    X, y = load_iris(return_X_y=True)
    X = torch.tensor((X - X.mean(0)) / X.std(0), dtype=torch.float32)
    y = torch.tensor(y)
    model = nn.Sequential(nn.Linear(4, 16), nn.Tanh(), nn.Linear(16, 3))
    init_from_numpy(torch, model, seed=29, scale=0.4)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    for _ in range(20):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(X), y).backward()
        optimizer.step()
    model.eval()

    x = X[:6].clone().requires_grad_()
    scores = model(x)
    scores[torch.arange(6), y[:6]].sum().backward()
    saliency = x.grad.abs()

    baseline, sample, target, steps = torch.zeros(4), X[100], int(y[100]), 20
    alphas = torch.linspace(0, 1, steps).unsqueeze(1)
    path = (baseline + alphas * (sample - baseline)).requires_grad_(True)
    model(path)[:, target].sum().backward()
    integrated = (sample - baseline) * path.grad.mean(dim=0)
    with torch.no_grad():
        gap = (model(sample[None])[0, target] - model(baseline[None])[0, target]).item()

    activations, logged = {}, []

    def save_activation(name):
        def hook(module, inputs, output):
            activations[name] = output.detach()

        return hook

    handle = model[1].register_forward_hook(save_activation("tanh"))
    hidden = model[0](X[:8])
    hidden.retain_grad()
    hidden.register_hook(lambda g: logged.append(g.norm().item()))
    scaled = model[1](hidden)
    scaled.register_hook(lambda g: g * 0.5)
    loss = nn.functional.cross_entropy(model[2](scaled), y[:8])
    loss.backward()
    fresh = nn.functional.cross_entropy(model(X[:8]), y[:8])
    grads = torch.autograd.grad(fresh, list(model.parameters()))
    handle.remove()
    model(X[:2])

    class RoundSTE(torch.autograd.Function):
        @staticmethod
        def forward(ctx, inp):
            return torch.round(inp)

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output

    w = torch.tensor([0.2, 1.6, -0.7], requires_grad=True)
    q = RoundSTE.apply(w * 2)
    (q * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
    return {
        "saliency": saliency.numpy(),
        "top_feature": saliency.argmax(dim=1).tolist(),
        "integrated": integrated.detach().numpy(),
        "completeness_gap": abs(integrated.sum().item() - gap) < 0.1,
        "activation_keys": sorted(activations),
        "activation_shape": list(activations["tanh"].shape),
        "logged": logged,
        "hidden_grad": hidden.grad.numpy(),
        "param_grad_norms": [g.norm().item() for g in grads],
        "grads_differ_by_hook": [
            bool(torch.allclose(g, p.grad)) for g, p in zip(grads, model.parameters())
        ],
        "x_leaf": [x.is_leaf, scores.is_leaf, hidden.is_leaf],
        "ste_forward": q.detach().numpy(),
        "ste_grad": w.grad.numpy(),
    }
