"""Why W3 depends on the thread count: after a pause in Python, OpenBLAS's next call is slower.

    python bench/blas_gap.py

Times a 64x64 @ 64x128 float32 product (W3's size) when the caller pauses between products,
as a framework's per-op Python does. With 2 threads a pause of 10 us or more adds several
microseconds to the next product; with 1 thread it does not.
"""

import time
import timeit

import numpy as np
from threadpoolctl import threadpool_limits

rng = np.random.default_rng(0)
x = rng.standard_normal((64, 64)).astype(np.float32)
w = rng.standard_normal((128, 64)).astype(np.float32)
CALLS = 2000


def loop(gap_us: float) -> None:
    for _ in range(CALLS):
        x @ w.T
        if gap_us:
            end = time.perf_counter() + gap_us * 1e-6
            while time.perf_counter() < end:
                pass


def main() -> None:
    print("| pause between products (us) | product, 1 thread (us) | product, 2 threads (us) |")
    print("|---:|---:|---:|")
    for gap in (0, 2, 5, 10, 20, 50):
        cost = []
        for threads in (1, 2):
            with threadpool_limits(limits=threads, user_api="blas"):
                best = min(timeit.repeat(lambda gap=gap: loop(gap), number=1, repeat=5))
            cost.append(best / CALLS * 1e6 - gap)
        print(f"| {gap} | {cost[0]:.2f} | {cost[1]:.2f} |")


if __name__ == "__main__":
    main()
