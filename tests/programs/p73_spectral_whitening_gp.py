"""Linear algebra as data-science code reaches for it: ZCA whitening of the digits through
torch.linalg.eigh (sign-free: V diag(w^-1/2) V^T), the covariance's rank, condition number,
nuclear and spectral norms, then a softmax classifier trained on the whitened pixels; spectral
clustering of iris (a normalised graph Laplacian, eigh's three smallest eigenvectors, k-means on
their rows, whose distances ignore eigenvector signs); a Gaussian process whose marginal
likelihood goes through linalg.lu_factor / lu_solve (log-determinant from the LU diagonal) with
its length-scale fitted by gradient descent; a von Mises fit on angles through
torch.special.i0e, and normal quantiles from ndtri; torch.histogram of the predictions."""

import numpy as np
from sklearn.datasets import load_digits, load_iris

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4


def whitening(torch, X):
    centred = X - X.mean(0)
    cov = centred.T @ centred / (X.shape[0] - 1) + 1e-3 * torch.eye(X.shape[1], dtype=X.dtype)
    w, V = torch.linalg.eigh(cov)
    zca = V @ torch.diag(w.rsqrt()) @ V.T
    stats = {
        "top_eigenvalues": w[-5:].numpy(),
        "rank": int(torch.linalg.matrix_rank(cov, hermitian=True)),
        "rank_rtol": int(torch.linalg.matrix_rank(cov, rtol=1e-2)),
        "cond": torch.linalg.cond(cov).item(),
        "nuclear_is_trace": bool(
            torch.allclose(torch.linalg.matrix_norm(cov, "nuc"), torch.trace(cov))
        ),
        "spectral": torch.linalg.matrix_norm(cov, 2).item(),
        "svdvals_head": torch.linalg.svdvals(cov)[:3].numpy(),
    }
    return centred @ zca, stats


def spectral_clusters(torch, X, k=3):
    affinity = torch.exp(-(torch.cdist(X, X) ** 2) / 2.0)
    degree = affinity.sum(1).rsqrt()
    laplacian = torch.eye(X.shape[0], dtype=X.dtype) - degree[:, None] * affinity * degree[None, :]
    eigenvalues = torch.linalg.eigvalsh(laplacian)
    _, vectors = torch.linalg.eigh(laplacian)
    embedding = vectors[:, :k]
    embedding = embedding / torch.linalg.vector_norm(embedding, dim=1, keepdim=True)
    centres = embedding[torch.tensor([0, 60, 120])]
    for _ in range(8):
        assign = torch.cdist(embedding, centres).argmin(1)
        centres = torch.stack([embedding[assign == c].mean(0) for c in range(k)])
    inertia = (torch.cdist(embedding, centres).min(1).values ** 2).sum()
    return eigenvalues[:4].numpy(), inertia.item(), torch.bincount(assign, minlength=k).numpy()


def gaussian_process(torch, x, y):
    log_length = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([log_length], lr=0.05)
    history = []
    for _ in range(12):
        optimizer.zero_grad()
        K = torch.exp(-(torch.cdist(x, x) ** 2) / (2 * log_length.exp() ** 2))
        K = K + 0.1 * torch.eye(x.shape[0], dtype=torch.float64)
        LU, pivots = torch.linalg.lu_factor(K)
        alpha = torch.linalg.lu_solve(LU, pivots, y[:, None])
        log_det = torch.log(torch.abs(torch.diagonal(LU))).sum()
        nll = 0.5 * (y[None, :] @ alpha).squeeze() + 0.5 * log_det
        nll.backward()
        optimizer.step()
        history.append(nll.item())
    P, L, U = torch.linalg.lu(K.detach())
    return {
        "gp_nll": np.array(history),
        "gp_length": log_length.exp().item(),
        "plu_error": (P @ L @ U - K.detach()).abs().max().item() < 1e-12,
        "gp_fro": torch.linalg.matrix_norm(K.detach()).item(),
        "gp_inf_norm": torch.linalg.matrix_norm(K.detach(), float("inf")).item(),
        "gp_info": torch.linalg.lu_factor_ex(K.detach()).info.item(),
    }


def von_mises(torch, angles):
    kappa_raw = torch.tensor(0.0, requires_grad=True)
    mu = torch.tensor(0.0, requires_grad=True)
    optimizer = torch.optim.Adam([kappa_raw, mu], lr=0.1)
    for _ in range(25):
        optimizer.zero_grad()
        kappa = torch.nn.functional.softplus(kappa_raw)
        log_i0 = torch.log(torch.special.i0e(kappa)) + kappa  # log I0, stable for large kappa
        nll = -(kappa * torch.cos(angles - mu)).mean() + log_i0 + np.log(2 * np.pi)
        nll.backward()
        optimizer.step()
    return nll.item(), torch.nn.functional.softplus(kappa_raw).item(), mu.item()


def main(torch):
    digits_x, digits_y = load_digits(return_X_y=True)
    X = torch.tensor(digits_x[:300] / 16.0, dtype=torch.float64)
    white, stats = whitening(torch, X)
    features = white.to(torch.float32)
    labels = torch.tensor(digits_y[:300])
    model = torch.nn.Linear(64, 10)
    init_from_numpy(torch, model, seed=73, scale=0.05)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    losses = []
    for _ in range(30):
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(features), labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    with torch.no_grad():
        confidence = torch.softmax(model(features), 1).max(1).values
    hist = torch.histogram(confidence, bins=5, range=(0.0, 1.0))

    iris_x, _ = load_iris(return_X_y=True)
    iris = torch.tensor((iris_x - iris_x.mean(0)) / iris_x.std(0), dtype=torch.float64)
    eigenvalues, inertia, sizes = spectral_clusters(torch, iris)

    rng = np.random.default_rng(73)
    gp_x = torch.tensor(np.sort(rng.uniform(-3, 3, 30))[:, None])
    gp_y = torch.tensor(np.sin(gp_x.numpy()[:, 0]) + 0.1 * rng.standard_normal(30))
    gp = gaussian_process(torch, gp_x, gp_y)

    angles = torch.tensor((0.7 + 0.5 * rng.standard_normal(200)).astype(np.float32))
    vm_nll, kappa, mu = von_mises(torch, angles)
    quantiles = torch.special.ndtri(torch.tensor([0.025, 0.5, 0.975, 1e-10], dtype=torch.float64))
    return {
        **stats,
        "losses": np.array(losses),
        "accuracy": (model(features).argmax(1) == labels).float().mean().item(),
        "hist": hist.hist.numpy(),
        "hist_edges": hist.bin_edges.numpy(),
        "laplacian_eigenvalues": eigenvalues,
        "inertia": inertia,
        "cluster_sizes": sizes,
        **gp,
        "von_mises": np.array([vm_nll, kappa, mu]),
        "quantiles": quantiles.numpy(),
    }
