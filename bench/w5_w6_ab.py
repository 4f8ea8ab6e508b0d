"""W5 and W6 A/B: two chainrule source trees (say main's and a branch's) and PyTorch, timed
interleaved in one process, so that the load of a shared machine falls on all of them alike.

    python bench/w5_w6_ab.py --base /work/main/src --new src [--rounds 7] [--threads 1,2]

Each tree is imported under the name ``chainrule`` once, its modules kept aside, and put back
into ``sys.modules`` before each of its runs (a lazy import inside chainrule then finds its own
tree). Prints min and median per epoch (W5) or per step (W6), and each run's final loss.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
OURS = ("chainrule", "w5_cnn_digits", "w6_cnn_mnist", "_cnn", "_loops")


def _load(src: Path) -> dict:
    for name in [m for m in sys.modules if m.split(".")[0] in OURS]:
        del sys.modules[name]
    sys.path[:0] = [str(src), str(HERE)]
    import w5_cnn_digits  # noqa: F401
    import w6_cnn_mnist  # noqa: F401

    del sys.path[:2]
    return {m: mod for m, mod in sys.modules.items() if m.split(".")[0] in OURS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=Path, required=True)
    parser.add_argument("--new", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--threads", default="1,2")
    args = parser.parse_args()
    import torch
    from threadpoolctl import threadpool_limits

    trees = {"base": _load(args.base.resolve()), "new": _load(args.new.resolve())}
    for threads in [int(t) for t in args.threads.split(",")]:
        with threadpool_limits(limits=threads, user_api="blas"):
            torch.set_num_threads(threads)
            for key, units in (("w5_cnn_digits", 5), ("w6_cnn_mnist", 10)):
                runs = {}
                for label, modules in trees.items():
                    sys.modules.update(modules)
                    bench, data = modules[key], modules[key].setup()
                    runs[label] = (modules, lambda b=bench, d=data: b.chainrule_run(*d))
                torch_bench = trees["new"][key]
                torch_data = torch_bench.setup()
                runs["torch"] = (None, lambda b=torch_bench, d=torch_data: b.torch_run(*d))
                times, losses = {k: [] for k in runs}, {}
                order = random.Random(0)
                for round_ in range(args.rounds + 1):  # round 0 warms up
                    for label in order.sample(list(runs), len(runs)):
                        modules, fn = runs[label]
                        if modules is not None:
                            sys.modules.update(modules)
                        start = time.perf_counter()
                        result = fn()
                        if round_:
                            times[label].append((time.perf_counter() - start) / units)
                        losses[label] = result[0] if isinstance(result, tuple) else result
                line = ", ".join(
                    f"{k} {min(v) * 1e3:.2f} / {statistics.median(v) * 1e3:.2f} ms"
                    for k, v in times.items()
                )
                ratio = min(times["new"]) / min(times["torch"])
                base = min(times["new"]) / min(times["base"])
                print(
                    f"{key} threads={threads}: {line} (min / median) | new/base {base:.2f}x "
                    f"new/torch {ratio:.2f}x | losses "
                    + ", ".join(f"{k} {v:.6f}" for k, v in losses.items()),
                    flush=True,
                )


if __name__ == "__main__":
    main()
