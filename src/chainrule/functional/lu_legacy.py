"""torch.lu and torch.lu_solve, the older top-level forms of linalg.lu_factor and
linalg.lu_solve (their argument orders differ from linalg's: B comes first in lu_solve)."""

from __future__ import annotations

from typing import Any

from .lu import lu_factor_ex
from .lu import lu_solve as _linalg_lu_solve


def lu(A: Any, pivot: bool = True, get_infos: bool = False):  # noqa: N803
    """(LU, pivots), or (LU, pivots, infos) with get_infos=True; a singular matrix is factored
    all the same (torch.lu does not check), its info code > 0."""
    factor, pivots, info = lu_factor_ex(A, pivot=pivot, who="lu")
    return (factor, pivots, info) if get_infos else (factor, pivots)


def lu_solve(b: Any, LU_data: Any, LU_pivots: Any):  # noqa: N803
    """X with A X = b for A given by torch.lu's (LU_data, LU_pivots)."""
    return _linalg_lu_solve(LU_data, LU_pivots, b)
