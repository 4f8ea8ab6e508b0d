"""Which way round Linear's backward asks OpenBLAS for its two products.

    python bench/gemm_forms.py [threads ...]

For W4's layer shapes, times dW = g^T x and dx = g W written directly (what a hand-written NumPy
loop writes, and what chainrule wrote before) against (x^T g)^T and (W^T g^T)^T into the same
C-ordered memory (chainrule's ``functional.linear.product`` above ~2M multiply-adds), and
torch's own call for the same product (in its own round), in one process; medians of 40 and the
ratio to the direct form. The two NumPy forms give the same sums, bit for bit (asserted here).
"""

import sys
import time

import numpy as np
import torch
from threadpoolctl import threadpool_limits

BATCH = 256
LAYERS = [(784, 1024), (1024, 1024), (1024, 10)]  # W4: (in_features, out_features)


def forms(x, w, g):
    grad_w, grad_x = np.empty_like(w), np.empty_like(x)
    tx, tw, tg = (torch.from_numpy(a) for a in (x, w, g))
    return {
        "dW direct g^T x": lambda: np.matmul(g.T, x, out=grad_w),
        "dW transposed (x^T g)^T": lambda: np.matmul(x.T, g, out=grad_w.T),
        "dW torch g^T x": lambda: torch.mm(tg.T, tx),
        "dx direct g W": lambda: np.matmul(g, w, out=grad_x),
        "dx transposed (W^T g^T)^T": lambda: np.matmul(w.T, g.T, out=grad_x.T),
        "dx torch g W": lambda: torch.mm(tg, tw),
    }


def main(threads: list[int]) -> None:
    rng = np.random.default_rng(0)
    for n in threads:
        torch.set_num_threads(n)
        with threadpool_limits(n):
            print(f"-- {n} thread(s)")
            for fan_in, fan_out in LAYERS:
                x = rng.standard_normal((BATCH, fan_in)).astype(np.float32)
                w = rng.standard_normal((fan_out, fan_in)).astype(np.float32)
                g = rng.standard_normal((BATCH, fan_out)).astype(np.float32)
                assert np.array_equal(g.T @ x, forms(x, w, g)["dW transposed (x^T g)^T"]().T)
                assert np.array_equal(g @ w, forms(x, w, g)["dx transposed (W^T g^T)^T"]().T)
                calls = forms(x, w, g)
                times = {name: [] for name in calls}
                # torch's OpenMP threads spin after each call and would slow OpenBLAS's next
                # one: torch runs in its own round after the NumPy forms' interleaved rounds
                for group in (
                    [n for n in calls if "torch" not in n],
                    [n for n in calls if "torch" in n],
                ):
                    for _ in range(40):
                        for name in group:
                            start = time.perf_counter()
                            calls[name]()
                            times[name].append(time.perf_counter() - start)
                medians = {name: float(np.median(t)) for name, t in times.items()}
                print(f"layer {fan_in}->{fan_out}:")
                for name, median in medians.items():
                    direct = medians[
                        name.split()[0] + " direct " + ("g^T x" if name[1] == "W" else "g W")
                    ]
                    print(f"  {name:28s} {1e3 * median:7.3f} ms  {median / direct:5.2f}x direct")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2, 1])
