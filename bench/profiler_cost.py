"""What chainrule.profiler costs: nothing while no profiler records (measure that with callgrind,
below), and this much per op while one does (wall clock, interleaved A/B in one process).

    python bench/profiler_cost.py [rounds]
    valgrind --tool=callgrind python bench/profiler_cost.py --chains N   (N = 0 and N = 200)

The chain is callgrind_chain.py's (5 forward and 5 backward Functions); the instruction count
with no profiler running, before and after chainrule.profiler existed, is
    valgrind --tool=callgrind python bench/callgrind_chain.py chainrule 200   (and 0)
on each source tree (bench/RESULTS.md)."""

from __future__ import annotations

import sys
import time

import numpy as np

import chainrule as cr
from chainrule.profiler import profile


def main(rounds: int = 7, chains: int = 200) -> None:
    rng = np.random.default_rng(0)
    x = cr.tensor(rng.standard_normal(10).astype(np.float32), requires_grad=True)
    y = cr.tensor(rng.standard_normal(10).astype(np.float32), requires_grad=True)
    seed = cr.ones(10)

    def run() -> float:
        start = time.perf_counter()
        for _ in range(chains):
            x.grad = y.grad = None
            (((x * y + y) * x - y) * x).backward(seed)
        return time.perf_counter() - start

    off, on = [], []
    for _ in range(rounds):
        off.append(run())
        with profile():
            on.append(run())
    ops = chains * 10
    print(f"{ops} Function calls a round, {rounds} rounds, min / median per call:")
    for name, times in (("no profiler", off), ("profiling", on)):
        per = np.array(times) / ops * 1e6
        print(f"  {name:12s} {per.min():6.2f} / {np.median(per):6.2f} us")
    print(f"  ratio (median) {np.median(on) / np.median(off):.2f}x")


def chains_only(chains: int) -> None:
    """N chains and nothing else, for callgrind: (count(N) - count(0)) / N is one chain. The
    garbage collector is frozen after the warm-up, so a collection that falls inside one run and
    not the other (more modules imported, more objects) does not pass for a cost of the ops."""
    import gc

    rng = np.random.default_rng(0)
    x = cr.tensor(rng.standard_normal(10).astype(np.float32), requires_grad=True)
    y = cr.tensor(rng.standard_normal(10).astype(np.float32), requires_grad=True)
    seed = cr.ones(10)
    for _ in range(20):
        (((x * y + y) * x - y) * x).backward(seed)
    gc.collect()
    gc.freeze()
    gc.disable()
    for _ in range(chains):
        x.grad = y.grad = None
        (((x * y + y) * x - y) * x).backward(seed)


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--chains":
        chains_only(int(sys.argv[2]))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
