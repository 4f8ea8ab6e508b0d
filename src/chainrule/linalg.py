"""chainrule.linalg, where torch keeps its linear algebra: solve, inv, pinv, lstsq and norms."""

from __future__ import annotations

from typing import Any

from .functional.linear_solve import inv, lstsq, pinv, solve


def vector_norm(x: Any, ord: Any = 2, dim: Any = None, keepdim: bool = False):  # noqa: A002
    """The p-norm of x's elements (over ``dim`` if given), as torch.linalg.vector_norm."""
    return x.norm(ord, dim, keepdim)


def norm(A: Any, ord: Any = None, dim: Any = None, keepdim: bool = False):  # noqa: A002,N803
    """torch.linalg.norm for its vector forms and the Frobenius norm (ord None or 'fro')."""
    if ord in (None, "fro"):
        return A.norm(2, dim, keepdim)
    if A.ndim == 1 or (dim is not None and not isinstance(dim, (tuple, list))):
        return A.norm(ord, dim, keepdim)
    raise NotImplementedError(
        f"linalg.norm: expected ord None or 'fro' for a matrix norm, got {ord!r}.\n"
        f"Hint: matrix norms other than Frobenius are not offered; vector_norm is."
    )


__all__ = ["inv", "lstsq", "norm", "pinv", "solve", "vector_norm"]
