"""Closed-form least squares: the exact answer that gradient descent on MSE approaches."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import fail_shape, shape_str


@dataclass(frozen=True)
class LeastSquaresFit:
    """theta minimises ||X theta - y||^2; stderr are the classical standard errors of theta."""

    theta: np.ndarray
    stderr: np.ndarray
    residual_sum_of_squares: float
    r2: float


def least_squares(X: np.ndarray, y: np.ndarray) -> LeastSquaresFit:
    """Solve the normal equations X^T X theta = X^T y (via a stable SVD solve).

    With the notebook's X = [1, x], theta = [b, a]. The standard errors use
    sigma^2 = RSS / (n - p) and Cov(theta) = sigma^2 (X^T X)^-1.

    >>> import numpy as np
    >>> fit = least_squares(np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]]), np.array([1.0, 3.0, 5.0]))
    >>> np.round(fit.theta, 6).tolist()
    [1.0, 2.0]
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float).reshape(len(X), -1) if np.ndim(y) > 1 else np.asarray(y, float)
    if X.ndim != 2:
        fail_shape("least_squares", "X of shape (N, P)", shape_str(X.shape))
    if len(y) != len(X):
        fail_shape("least_squares", f"y with {len(X)} rows to match X", shape_str(np.shape(y)))
    n, p = X.shape
    flat_y = y.reshape(n)
    theta, _, _, _ = np.linalg.lstsq(X, flat_y, rcond=None)
    residuals = flat_y - X @ theta
    rss = float(residuals @ residuals)
    if n > p:
        covariance = rss / (n - p) * np.linalg.pinv(X.T @ X)
        stderr = np.sqrt(np.diag(covariance))
    else:
        stderr = np.full(p, np.nan)
    total = float(((flat_y - flat_y.mean()) ** 2).sum())
    r2 = 1.0 - rss / total if total > 0 else float("nan")
    return LeastSquaresFit(theta=theta, stderr=stderr, residual_sum_of_squares=rss, r2=r2)
