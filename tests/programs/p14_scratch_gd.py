"""From-scratch linear regression: leaf tensors, manual updates under no_grad, grad.zero_()."""

import numpy as np

RTOL, ATOL = 1e-5, 1e-6


def main(torch):
    rng = np.random.default_rng(14)
    x_np = rng.uniform(0, 1, (100, 1)).astype(np.float32)
    y_np = (3 * x_np + 2 + 0.05 * rng.standard_normal((100, 1))).astype(np.float32)
    x, y = torch.from_numpy(x_np), torch.from_numpy(y_np)

    w = torch.tensor([[0.1]], requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    lr = 0.5
    losses = []
    for epoch in range(200):
        y_pred = x @ w + b
        loss = ((y_pred - y) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            w -= lr * w.grad
            b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
        losses.append(loss.item())

    # a second style: .data updates and torch.autograd.grad
    w2 = torch.full((1, 1), 0.1, requires_grad=True)
    b2 = torch.zeros(1, requires_grad=True)
    for epoch in range(50):
        loss2 = torch.mean((x.mm(w2) + b2 - y).pow(2))
        grad_w, grad_b = torch.autograd.grad(loss2, [w2, b2])
        w2.data -= lr * grad_w
        b2.data.sub_(lr * grad_b)

    # polynomial features with torch.cat and a closed form check (float64: the Gram matrix of
    # x, x^2, x^3 on [0, 1] is too ill-conditioned for float32 to agree across LAPACKs)
    X_poly = torch.cat([x.double() ** i for i in range(1, 4)], 1)
    gram = X_poly.T @ X_poly
    solution = torch.linalg.solve(gram, X_poly.T @ y.double())
    lstsq = torch.linalg.lstsq(X_poly, y.double()).solution
    inverse = torch.linalg.inv(gram) @ gram
    return {
        "w": w.item(),
        "b": b.item(),
        "losses": np.array(losses[::20]),
        "w2": w2.item(),
        "b2": b2.item(),
        "solution": solution.numpy(),
        "lstsq": lstsq.numpy(),
        "inverse": inverse.numpy(),
        "norm": torch.linalg.norm(X_poly).item(),
        "is_leaf": [w.is_leaf, y_pred.is_leaf],
        "requires_grad": [w.requires_grad, y_pred.detach().requires_grad],
        "grad_fn_none": w.grad_fn is None,
    }
