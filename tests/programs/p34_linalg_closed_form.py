"""Closed-form linear regression as in the notebook and in every ML course: the normal equations
with torch.linalg.solve (plus a ridge term), torch.linalg.lstsq, the pseudo-inverse, residual
norms with torch.linalg.norm / vector_norm, checked against gradient descent."""

from sklearn.datasets import load_diabetes

RTOL, ATOL = 1e-6, 1e-8


def main(torch):
    X, y = load_diabetes(return_X_y=True)
    X = torch.tensor(X, dtype=torch.float64)
    y = torch.tensor(y, dtype=torch.float64).unsqueeze(1)
    design = torch.cat([torch.ones(X.shape[0], 1, dtype=torch.float64), X], dim=1)

    theta_normal = torch.linalg.solve(design.T @ design, design.T @ y)
    ridge = 0.1 * torch.eye(design.shape[1], dtype=torch.float64)
    ridge[0, 0] = 0.0  # the intercept is not penalised
    theta_ridge = torch.linalg.solve(design.T @ design + ridge, design.T @ y)
    theta_lstsq = torch.linalg.lstsq(design, y).solution
    theta_pinv = torch.linalg.pinv(design) @ y
    residual = design @ theta_normal - y

    theta = torch.zeros(design.shape[1], 1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([theta], lr=0.5)
    Xs = (X - X.mean(0)) / X.std(0)
    design_s = torch.cat([torch.ones(X.shape[0], 1, dtype=torch.float64), Xs], dim=1)
    for _ in range(500):
        optimizer.zero_grad()
        loss = ((design_s @ theta - y) ** 2).mean() / 2
        loss.backward()
        optimizer.step()
    closed_s = torch.linalg.lstsq(design_s, y).solution
    return {
        "theta_normal": theta_normal.ravel().numpy(),
        "theta_ridge": theta_ridge.ravel().numpy(),
        "lstsq_matches": bool(torch.allclose(theta_lstsq, theta_normal, rtol=1e-6)),
        "pinv_matches": bool(torch.allclose(theta_pinv, theta_normal, rtol=1e-6)),
        "residual_norm": torch.linalg.norm(residual).item(),
        "residual_l1": torch.linalg.vector_norm(residual, ord=1).item(),
        "design_fro": torch.linalg.norm(design, "fro").item(),
        "rmse": (residual.norm() / residual.shape[0] ** 0.5).item(),
        "gd_vs_closed": (theta.detach() - closed_s).abs().max().item() < 1e-3,
        "pinv_shape": list(torch.linalg.pinv(design).shape),
    }
