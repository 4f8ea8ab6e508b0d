"""set_num_threads / get_num_threads: torch's knobs, mapped onto NumPy's BLAS thread pool.

chainrule's only multi-threaded work is NumPy's BLAS (matmul, the convolutions' im2col
products), so the thread count that matters is the BLAS pool's, which threadpoolctl sets at
run time. Elementwise NumPy code is single-threaded whatever the setting.
"""

from __future__ import annotations

import os
import warnings

from ._checks import fail_value


def _threadpoolctl():
    try:
        import threadpoolctl
    except ImportError:
        return None
    return threadpoolctl


def set_num_threads(int: int) -> None:  # noqa: A002  (torch's parameter name)
    """Limit the BLAS thread pool to ``int`` threads for the rest of the process, as torch.

    Without threadpoolctl installed this cannot reach the pool: it warns and changes nothing.
    """
    if isinstance(int, bool) or not isinstance(int, type(1)) or int < 1:
        fail_value("set_num_threads", "a whole number >= 1", repr(int))
    module = _threadpoolctl()
    if module is None:
        warnings.warn(
            "set_num_threads: threadpoolctl is not installed, so the BLAS thread count is "
            "unchanged; pip install threadpoolctl, or set OMP_NUM_THREADS before starting.",
            RuntimeWarning,
            stacklevel=2,
        )
        return
    module.threadpool_limits(limits=int, user_api="blas")


def get_num_threads() -> int:
    """The BLAS pool's thread count (the largest, if NumPy loaded more than one BLAS); the CPU
    count when threadpoolctl is missing or no BLAS pool is found."""
    module = _threadpoolctl()
    pools = module.threadpool_info() if module is not None else []
    counts = [pool["num_threads"] for pool in pools if pool.get("user_api") == "blas"]
    return max(counts) if counts else os.cpu_count() or 1
