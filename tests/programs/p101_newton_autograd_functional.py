"""Second-order fitting with torch.autograd.functional, as optimisation notebooks write it:
Newton's method for an L2-regularised logistic regression on breast cancer with the gradient
from autograd.grad and the Hessian from autograd.functional.hessian on a flat weight vector,
each step a torch.linalg.solve; the same Hessian-vector products by functional.hvp and vhp;
Levenberg-Marquardt fitting a damped oscillation y = a exp(-b t) cos(c t + d) with the residuals'
Jacobian from functional.jacobian (vectorize=True, and the forward-mode strategy beside it), a
damping term raised and lowered by the step's success; then a trained MLP's input sensitivity
(jacobian of the logits per input, create_graph=True for a Jacobian-norm penalty), jvp / vjp
against it, and the penalty's double-backward step."""

import numpy as np
from sklearn.datasets import load_breast_cancer

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-6


def main(torch):
    AF = torch.autograd.functional
    X, y = load_breast_cancer(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    X = torch.tensor(X[:, :8], dtype=torch.float64)
    X = torch.cat([X, torch.ones(len(X), 1, dtype=torch.float64)], dim=1)
    y = torch.tensor(y, dtype=torch.float64)

    def nll(w):
        logits = X @ w
        data = torch.nn.functional.binary_cross_entropy_with_logits(logits, y, reduction="sum")
        return data + 0.5 * (w[:-1] ** 2).sum()

    w = torch.zeros(X.shape[1], dtype=torch.float64)
    newton_losses, grad_norms = [], []
    for _ in range(6):
        w_req = w.clone().requires_grad_(True)
        loss = nll(w_req)
        (g,) = torch.autograd.grad(loss, w_req)
        H = AF.hessian(nll, w)
        w = w - torch.linalg.solve(H, g)
        newton_losses.append(loss.item())
        grad_norms.append(g.norm().item())
    v = torch.linspace(-1, 1, X.shape[1], dtype=torch.float64)
    _, hv = AF.hvp(nll, w, v)
    _, vh = AF.vhp(nll, w, v)
    H = AF.hessian(nll, w)

    t = torch.linspace(0, 6, 60, dtype=torch.float64)
    noise = np.random.default_rng(101).normal(0, 0.02, size=60)
    target = 1.5 * torch.exp(-0.4 * t) * torch.cos(2.0 * t + 0.3) + torch.from_numpy(noise)

    def residuals(theta):
        a, b, c, d = theta.unbind()
        return a * torch.exp(-b * t) * torch.cos(c * t + d) - target

    theta = torch.tensor([1.0, 0.2, 1.8, 0.0], dtype=torch.float64)
    damping, lm_costs = 1e-2, []
    for _ in range(12):
        r = residuals(theta)
        J = AF.jacobian(residuals, theta, vectorize=True)
        step = torch.linalg.solve(J.T @ J + damping * torch.eye(4, dtype=torch.float64), -J.T @ r)
        cost = 0.5 * (r**2).sum()
        new_cost = 0.5 * (residuals(theta + step) ** 2).sum()
        if new_cost < cost:
            theta, damping = theta + step, damping / 3
        else:
            damping = damping * 4
        lm_costs.append(min(cost, new_cost).item())
    J_fwd = AF.jacobian(residuals, theta, vectorize=True, strategy="forward-mode")
    J_rev = AF.jacobian(residuals, theta)

    nn = torch.nn
    model = nn.Sequential(nn.Linear(9, 6), nn.Tanh(), nn.Linear(6, 2)).double()
    init_from_numpy(torch, model, seed=101, scale=0.3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    labels = y.long()
    penalties = []
    for _ in range(5):
        optimizer.zero_grad()
        x0 = X[:16]
        jac = AF.jacobian(lambda inp: model(inp).sum(0), x0, create_graph=True)
        penalty = (jac**2).sum() / len(x0)
        loss = nn.functional.cross_entropy(model(X), labels) + 0.01 * penalty
        loss.backward()
        optimizer.step()
        penalties.append(penalty.item())
    x0 = X[:3].clone()
    u = torch.ones_like(x0) * 0.1
    out, jv = AF.jvp(model, x0, u)
    _, vj = AF.vjp(model, x0, torch.ones_like(out))
    sensitivity = AF.jacobian(model, X[0])
    return {
        "newton_losses": np.array(newton_losses),
        "grad_norms": np.array(grad_norms[:4]),
        "w": w.numpy(),
        "hvp_is_vhp": bool(torch.allclose(hv, vh)),
        "hvp": hv.numpy(),
        "hessian_symmetric": bool(torch.allclose(H, H.T)),
        "hessian_diag": torch.diagonal(H).numpy(),
        "lm_costs": np.array(lm_costs),
        "theta": theta.numpy(),
        "jac_modes_agree": bool(torch.allclose(J_fwd, J_rev)),
        "jac_shape": list(J_rev.shape),
        "penalties": np.array(penalties),
        "jvp": jv.numpy(),
        "vjp": vj.numpy(),
        "sensitivity": sensitivity.detach().numpy(),
    }
