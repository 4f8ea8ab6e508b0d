"""Gaussian-process regression written out by hand, as GP tutorials before GPyTorch do: an RBF
kernel from torch.cdist, the negative log marginal likelihood through torch.linalg.cholesky,
torch.cholesky_solve and the log-determinant (checked against slogdet and logdet), its
hyperparameters fitted by LBFGS with a closure and strong-Wolfe line search, the posterior mean
and variance by triangular solves; then a logistic regression on the same features refined with
Rprop, averaged by ASGD, finished by a hand-written Adam (a torch.optim.Optimizer subclass that
fills self.state[p] and updates with addcmul_ / addcdiv_, as blog-post optimizers do); the data
summarised by torch.cov / corrcoef, det, inverse, addmm and baddbmm."""

import numpy as np
from sklearn.datasets import load_diabetes

RTOL, ATOL = 2e-3, 2e-4


def hand_written_adam(torch):
    class HandAdam(torch.optim.Optimizer):
        def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
            super().__init__(params, dict(lr=lr, betas=betas, eps=eps))

        @torch.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                beta1, beta2 = group["betas"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if len(state) == 0:
                        state["step"] = 0
                        state["exp_avg"] = torch.zeros_like(p)
                        state["exp_avg_sq"] = torch.zeros_like(p)
                    state["step"] += 1
                    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
                    exp_avg.mul_(beta1).add_(p.grad, alpha=1 - beta1)
                    exp_avg_sq.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
                    step_size = group["lr"] / (1 - beta1 ** state["step"])
                    denom = (exp_avg_sq / (1 - beta2 ** state["step"])).sqrt().add_(group["eps"])
                    p.addcdiv_(exp_avg, denom, value=-step_size)

    return HandAdam


def main(torch):
    X, y = load_diabetes(return_X_y=True)
    X = (X - X.mean(0)) / X.std(0)
    y = (y - y.mean()) / y.std()
    train_x = torch.tensor(X[:80, [2, 8]], dtype=torch.float64)
    train_y = torch.tensor(y[:80], dtype=torch.float64)
    test_x = torch.tensor(X[80:100, [2, 8]], dtype=torch.float64)

    log_length = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    log_signal = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    log_noise = torch.tensor(-1.0, dtype=torch.float64, requires_grad=True)

    def kernel(a, b):
        distance = torch.cdist(a, b) / log_length.exp()
        return log_signal.exp() ** 2 * torch.exp(-0.5 * distance**2)

    def nll():
        K = kernel(train_x, train_x) + (log_noise.exp() ** 2 + 1e-6) * torch.eye(
            80, dtype=torch.float64
        )
        L = torch.linalg.cholesky(K)
        alpha = torch.cholesky_solve(train_y.unsqueeze(1), L)
        log_det = 2 * torch.log(torch.diagonal(L)).sum()
        return 0.5 * (train_y.unsqueeze(0) @ alpha).squeeze() + 0.5 * log_det, K

    optimizer = torch.optim.LBFGS(
        [log_length, log_signal, log_noise], lr=0.5, max_iter=15, line_search_fn="strong_wolfe"
    )

    def closure():
        optimizer.zero_grad()
        loss, _ = nll()
        loss.backward()
        return loss

    start_loss = nll()[0].item()
    for _ in range(2):
        optimizer.step(closure)
    final_loss, K = nll()
    sign, logabsdet = torch.linalg.slogdet(K.detach())
    with torch.no_grad():
        L = torch.linalg.cholesky(K)
        K_star = kernel(test_x, train_x)
        mean = K_star @ torch.cholesky_solve(train_y.unsqueeze(1), L)
        v = torch.linalg.solve_triangular(L, K_star.T, upper=False)
        variance = log_signal.exp() ** 2 - (v**2).sum(0)

    features = torch.tensor(X[:200, :4], dtype=torch.float32)
    labels = torch.tensor((y[:200] > 0).astype(np.float32))
    w = torch.zeros(4, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    rprop = torch.optim.Rprop([w, b], lr=0.01, etas=(0.5, 1.2), step_sizes=(1e-6, 1.0))
    asgd = torch.optim.ASGD([w, b], lr=0.05, t0=5, lambd=1e-4)
    losses = []
    for step in range(30):
        optimizer_now = rprop if step < 15 else asgd
        optimizer_now.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(features @ w + b, labels)
        loss.backward()
        optimizer_now.step()
        losses.append(loss.item())
    averaged = asgd.state[w]["ax"].clone()
    hand = hand_written_adam(torch)([w, b], lr=0.05)
    for step in range(10):
        hand.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(features @ w + b, labels)
        loss.backward()
        hand.step()
        losses.append(loss.item())
    moment = hand.state[w]["exp_avg_sq"]

    data = torch.tensor(X[:50, :3].T, dtype=torch.float32)
    small = torch.cov(data)
    return {
        "start_loss": start_loss,
        "final_loss": final_loss.item(),
        "hyperparameters": torch.stack([log_length, log_signal, log_noise]).detach().exp().numpy(),
        "slogdet_sign": sign.item(),
        "logdet_matches": bool(
            torch.allclose(logabsdet, torch.logdet(K.detach()))
            and torch.allclose(logabsdet, 2 * torch.log(torch.diagonal(L)).sum())
        ),
        "mean": mean.squeeze(1).numpy(),
        "variance": variance.numpy(),
        "losses": np.array(losses),
        "w": w.detach().numpy(),
        "ax": averaged.numpy(),
        "hand_moment": moment.numpy(),
        "hand_steps": hand.state[b]["step"],
        "baddbmm": torch.baddbmm(
            torch.ones(2, 3, 3),
            data.T[:6].reshape(2, 3, 3),
            data.T[6:12].reshape(2, 3, 3),
            beta=0.5,
            alpha=0.1,
        ).numpy(),
        "addmm": torch.addmm(torch.zeros(3), data[:, :4], data[:, :4].T, alpha=0.5).numpy(),
        "cov": small.numpy(),
        "cov_weighted": torch.cov(
            data, correction=0, aweights=torch.linspace(0.5, 1.5, 50)
        ).numpy(),
        "corrcoef": torch.corrcoef(data).numpy(),
        "det": torch.linalg.det(small).item(),
        "det_top": torch.det(small[:2, :2]).item(),
        "inverse_ok": bool(torch.allclose(torch.inverse(small) @ small, torch.eye(3), atol=1e-5)),
        "svd_top": torch.linalg.svd(data, full_matrices=False).S.numpy(),
        "qr_r_diag": torch.linalg.qr(data.T).R.diagonal().abs().numpy(),
    }
