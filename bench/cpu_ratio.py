"""CPUGraph and eager chainrule against hand-written NumPy in CPU time, for a shared machine.

    python bench/cpu_ratio.py W2 [rounds] [threads]      # W1O, W2, W2L, W3 or W4

run.py times wall clock, which other processes on the same cores inflate by whole factors.
This runs the NumPy, CPUGraph and eager candidates of one workload interleaved and times each
full run by the process's CPU time (time.process_time), which counts only the time it was
scheduled; the figure is the minimum over the rounds. With more than one BLAS thread the CPU
time adds the threads up, so use it at one thread and read run.py's wall clock on a quiet
machine for the rest. No PyTorch column: torch is not run.
"""

import statistics
import sys
import time

from threadpoolctl import threadpool_limits

import w1_op_by_op
import w2_classification
import w3_digits
import w4_large_mlp

WORKLOADS = {
    "W1O": w1_op_by_op.candidates,
    "W2": w2_classification.candidates,
    "W2L": lambda: w2_classification.candidates(logits=True),
    "W3": w3_digits.candidates,
    "W4": w4_large_mlp.candidates,
}


def main() -> None:
    key = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    with threadpool_limits(limits=threads, user_api="blas"):
        made = WORKLOADS[key]()
        candidates = {k: made[k] for k in ("numpy", "cpugraph", "chainrule")}
        results = {k: fn() for k, fn in candidates.items()}  # a warm-up, and the losses
        times: dict[str, list[float]] = {k: [] for k in candidates}
        for _ in range(rounds):
            for k, fn in candidates.items():
                start = time.process_time()
                fn()
                times[k].append(time.process_time() - start)
    best = {k: min(v) for k, v in times.items()}
    middle = {k: statistics.median(v) for k, v in times.items()}
    print(
        f"{key} ({threads} thread(s), CPU time, {rounds} rounds): "
        + ", ".join(f"{k} {best[k] * 1e3:.2f} ms" for k in candidates)
        + f" | CPUGraph / NumPy {best['cpugraph'] / best['numpy']:.2f}x min, "
        f"{middle['cpugraph'] / middle['numpy']:.2f}x median | chainrule / NumPy "
        f"{best['chainrule'] / best['numpy']:.2f}x | losses {results}"
    )


if __name__ == "__main__":
    main()
