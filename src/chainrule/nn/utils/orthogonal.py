"""torch.nn.utils.parametrizations.orthogonal: a weight kept (semi-)orthogonal while it trains.

An unconstrained matrix X is mapped onto the orthogonal matrices: by exp or the Cayley
transform of its skew-symmetric part, or as a product of Householder reflections read from its
lower triangle. With use_trivialization (the default) the map runs around a moving base,
weight = base @ map(X), X starting where the map gives the identity; assigning a weight sets
the base. The maps are Tensor arithmetic, so autograd differentiates them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._checks import fail_value, shape_str
from ...autograd.tensor import Tensor
from ...errors import UnsupportedError
from ...functional import cat
from ...functional.linear_solve import solve
from ...functional.matrix_functions import matrix_exp
from ...random import as_generator
from ..module import Module
from .parametrize import register_parametrization

_MAPS = ("matrix_exp", "cayley", "householder")


def _eye(n: int, k: int, dtype: np.dtype) -> Tensor:
    return Tensor._wrap(np.eye(n, k, dtype=dtype))


def _householder_product(a: Any, tau: Any) -> Any:
    """H_1 H_2 ... H_k applied to the first k columns of I; H_i = I - tau_i v_i v_i^T, v_i the
    column i of ``a`` below the diagonal with a 1 on it (LAPACK's orgqr)."""
    n, k = a.shape[-2:]
    q = _eye(n, k, a.dtype)
    for i in range(k - 1, -1, -1):
        unit = np.zeros((n, 1), dtype=a.dtype)
        unit[i] = 1.0
        v = a[..., :, i : i + 1] + Tensor._wrap(unit)
        q = q - tau[..., i : i + 1].unsqueeze(-1) * (v @ (v.mT @ q))
    return q


def _make_orthogonal(a: np.ndarray) -> np.ndarray:
    """Q of A = QR with R's diagonal made positive: the one orthogonal factor A determines."""
    q, r = np.linalg.qr(a)
    return q * np.sign(np.diagonal(r, axis1=-2, axis2=-1))[..., None, :]


def _geqrf(q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LAPACK's geqrf, one matrix at a time: reflectors below R's diagonal, and their taus."""
    flat = q.reshape(-1, *q.shape[-2:])
    pairs = [np.linalg.qr(m, mode="raw") for m in flat]
    a = np.stack([h.T for h, _ in pairs]).reshape(q.shape)
    tau = np.stack([t for _, t in pairs]).reshape(*q.shape[:-2], -1)
    return a.astype(q.dtype), tau.astype(q.dtype)


class _Orthogonal(Module):
    """weight = [base @] map(X), transposed for a wide weight so the map sees a tall matrix."""

    def __init__(self, weight: Any, orthogonal_map: str, *, use_trivialization: bool = True):
        super().__init__()
        self.shape = tuple(weight.shape)
        self.orthogonal_map = orthogonal_map
        self.use_trivialization = use_trivialization
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, x: Any) -> Any:
        n, k = x.shape[-2:]
        transposed = n < k
        if transposed:
            x, (n, k) = x.mT, (k, n)
        if self.orthogonal_map in ("matrix_exp", "cayley"):
            x = x.tril()
            if n != k:
                pad = Tensor._wrap(np.zeros((*x.shape[:-2], n, n - k), dtype=x.dtype))
                x = cat([x, pad], dim=-1)
            skew = x - x.mT
            if self.orthogonal_map == "matrix_exp":
                q = matrix_exp(skew)
            else:
                eye = _eye(n, n, skew.dtype)
                q = solve(eye - 0.5 * skew, eye + 0.5 * skew)
            q = q[..., :k] if n != k else q
        else:
            a = x.tril(-1)
            tau = 2.0 / (1.0 + (a * a).sum(dim=-2))
            q = _householder_product(a, tau)
            signs = np.diagonal(x._data, axis1=-2, axis2=-1).astype(np.int64)  # .int(): truncates
            q = q * Tensor._wrap(signs.astype(x.dtype)[..., None, :])
        if self.use_trivialization:
            q = self.base @ q
        return q.mT if transposed else q

    def right_inverse(self, value: Any) -> Any:
        if tuple(value.shape) != self.shape:
            fail_value(
                "orthogonal",
                f"a matrix or batch of matrices of shape {shape_str(self.shape)}",
                f"a tensor of shape {shape_str(tuple(value.shape))}",
            )
        q = value.detach()._data
        n, k = q.shape[-2:]
        transposed = n < k
        if transposed:
            q, (n, k) = np.swapaxes(q, -1, -2), (k, n)
        if not self.use_trivialization:
            if self.orthogonal_map != "householder":
                raise UnsupportedError(
                    "orthogonal: expected use_trivialization=True to assign to the matrix "
                    f"exponential or Cayley maps, got use_trivialization=False with "
                    f"{self.orthogonal_map!r}."
                )
            a, tau = _geqrf(q)
            diagonal = np.sign(np.diagonal(a, axis1=-2, axis2=-1)) * np.where(tau == 0, -1, 1)
            idx = np.arange(min(n, k))
            a[..., idx, idx] = diagonal
            return Tensor._wrap(np.swapaxes(a, -1, -2).copy() if transposed else a)
        if n == k:
            eps = 10.0 * n * np.finfo(q.dtype).eps
            gram = np.swapaxes(q, -1, -2) @ q
            orthogonal = np.allclose(gram, np.eye(k), rtol=1e-5, atol=eps)
            base = q.copy() if orthogonal else _make_orthogonal(q)
        else:  # completed to a square orthogonal matrix with random columns, as torch does
            rng = as_generator(None)
            extra = rng.standard_normal((*q.shape[:-2], n, n - k)).astype(q.dtype)
            base = _make_orthogonal(np.concatenate([q, extra], axis=-1))
        self.base = Tensor._wrap(base.astype(q.dtype))
        neg_eye = np.zeros(value.shape, dtype=q.dtype)
        idx = np.arange(min(value.shape[-2:]))
        neg_eye[..., idx, idx] = -1.0
        return Tensor._wrap(neg_eye)


def orthogonal(
    module: Module,
    name: str = "weight",
    orthogonal_map: str | None = None,
    *,
    use_trivialization: bool = True,
) -> Module:
    """Keep ``module.<name>`` orthogonal (semi-orthogonal if not square): 'matrix_exp' by
    default for square weights, 'householder' otherwise; 'cayley' on request.

    >>> import chainrule as cr
    >>> layer = orthogonal(cr.nn.Linear(3, 3))
    >>> w = layer.weight.detach().numpy()
    >>> bool(abs(w @ w.T - cr.eye(3).numpy()).max() < 1e-5)
    True
    """
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        fail_value("orthogonal", f"a parameter or buffer named {name!r}", f"none in {module}")
    if weight.ndim < 2:
        fail_value(
            "orthogonal", "a matrix or batch of matrices", f"a tensor of {weight.ndim} dimensions"
        )
    if orthogonal_map is None:
        orthogonal_map = "matrix_exp" if weight.shape[-2] == weight.shape[-1] else "householder"
    if orthogonal_map not in _MAPS:
        fail_value(
            "orthogonal", "orthogonal_map 'matrix_exp', 'cayley' or 'householder'",
            repr(orthogonal_map),
        )  # fmt: skip
    parametrization = _Orthogonal(weight, orthogonal_map, use_trivialization=use_trivialization)
    return register_parametrization(module, name, parametrization, unsafe=True)
