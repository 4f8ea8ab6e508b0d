"""Shared timing harness: interleaved runs (A B C A B C ...), warm-up first, medians reported."""

from __future__ import annotations

import os
import platform
import random
import statistics
import time
from typing import Callable


def match_threads() -> int:
    """Give torch as many threads as NumPy's BLAS uses, so neither side has more cores."""
    import torch

    threads = os.cpu_count() or 1
    try:
        from threadpoolctl import threadpool_info

        blas = [p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"]
        if blas:
            threads = blas[0]
    except ImportError:
        pass
    torch.set_num_threads(threads)
    return threads


def interleave(
    candidates: dict[str, Callable[[], object]], repeats: int = 7, warmup: int = 1
) -> dict[str, list[float]]:
    """Time each candidate ``repeats`` times after ``warmup`` untimed rounds, in a new order
    each round (a fixed-seed shuffle, the same on every run).

    Order matters on this machine: whatever runs right after PyTorch finds the CPU caches
    filled with PyTorch's code and data (a CPUGraph capture that always followed it took 2.5x
    as long as one that followed NumPy). Shuffled, each candidate follows each other one in
    about as many rounds, and the median is the usual case, not one neighbour's footprint."""
    for _ in range(warmup):
        for fn in candidates.values():
            fn()
    times: dict[str, list[float]] = {name: [] for name in candidates}
    order = random.Random(0)
    for _ in range(repeats):
        for name in order.sample(list(candidates), len(candidates)):
            fn = candidates[name]
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def machine() -> str:
    import numpy as np
    import torch

    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, NumPy {np.__version__}, torch {torch.__version__}"
    )
