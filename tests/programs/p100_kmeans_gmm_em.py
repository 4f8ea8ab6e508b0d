"""Clustering written in plain tensors, as data-science notebooks do before reaching for
scikit-learn, on iris: missing values filled by torch.nanmean per column, robust scaling by
median and the quartiles from kthvalue, k-means++ seeding (the draws from numpy) over
torch.cdist distances, Lloyd iterations with argmin, centroid sums by index_add_ and counts by
bincount (an empty cluster kept by clamp_min), per-cluster radii by scatter_reduce("amax",
include_self=False), the inertia; then a diagonal Gaussian mixture fitted by EM, its
responsibilities from logsumexp, its log-likelihood rising every step, and points picked out by
masked_select."""

import math

import numpy as np
from sklearn.datasets import load_iris

RTOL, ATOL = 1e-4, 1e-5
K = 3


def main(torch):
    X_np, y_np = load_iris(return_X_y=True)
    X_np = X_np.copy()
    holes = np.random.default_rng(100).choice(X_np.size, size=12, replace=False)
    X_np.flat[holes] = np.nan
    X = torch.tensor(X_np, dtype=torch.float32)
    n = X.shape[0]

    col_mean = torch.nanmean(X, dim=0)
    X = torch.where(torch.isnan(X), col_mean.expand_as(X), X)
    median = X.median(dim=0).values
    q1 = X.kthvalue(n // 4, dim=0).values
    q3 = X.kthvalue(3 * n // 4, dim=0).values
    X = (X - median) / (q3 - q1)

    rng = np.random.default_rng(7)
    centers = [X[int(rng.integers(n))]]
    for _ in range(K - 1):
        d2 = torch.cdist(X, torch.stack(centers)).min(dim=1).values ** 2
        probs = (d2 / d2.sum()).double().numpy()
        centers.append(X[int(rng.choice(n, p=probs / probs.sum()))])
    centers = torch.stack(centers)

    inertias = []
    for _ in range(10):
        assign = torch.cdist(X, centers).argmin(dim=1)
        sums = torch.zeros(K, X.shape[1]).index_add_(0, assign, X)
        counts = torch.bincount(assign, minlength=K)
        centers = sums / counts.clamp_min(1).unsqueeze(1).float()
        inertias.append(((X - centers[assign]) ** 2).sum().item())
    dist_to_own = (X - centers[assign]).norm(dim=1)
    radius = torch.zeros(K).scatter_reduce(0, assign, dist_to_own, "amax", include_self=False)

    # EM for a diagonal Gaussian mixture started from the k-means answer
    means = centers.clone()
    variances = torch.ones(K, X.shape[1]) * 0.5
    weights = counts.float() / n
    log_likelihoods = []
    for _ in range(8):
        diff = X.unsqueeze(1) - means.unsqueeze(0)
        log_pdf = -0.5 * ((diff**2) / variances + torch.log(2 * math.pi * variances)).sum(-1)
        joint = log_pdf + torch.log(weights)
        log_norm = torch.logsumexp(joint, dim=1, keepdim=True)
        log_likelihoods.append(log_norm.sum().item())
        resp = torch.exp(joint - log_norm)
        nk = resp.sum(0)
        weights = nk / n
        means = (resp.T @ X) / nk.unsqueeze(1)
        diff = X.unsqueeze(1) - means.unsqueeze(0)
        variances = (resp.unsqueeze(2) * diff**2).sum(0) / nk.unsqueeze(1) + 1e-4
    labels = resp.argmax(1)
    confident = resp.max(1).values > 0.99
    y = torch.tensor(y_np)
    purity = sum(torch.bincount(y[labels == k], minlength=3).max().item() for k in range(K)) / n
    return {
        "col_mean": col_mean.numpy(),
        "median": median.numpy(),
        "iqr": (q3 - q1).numpy(),
        "inertias": np.array(inertias),
        "counts": torch.bincount(assign, minlength=K).numpy(),
        "radius": radius.numpy(),
        "log_likelihoods": np.array(log_likelihoods),
        "ll_rises": all(b >= a - 1e-3 for a, b in zip(log_likelihoods, log_likelihoods[1:])),
        "weights": weights.numpy(),
        "confident_first_feature": torch.masked_select(X[:, 0], confident)[:8].numpy(),
        "n_confident": int(confident.sum()),
        "purity": purity,
    }
