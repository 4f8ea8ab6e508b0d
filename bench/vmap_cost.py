"""What torch.func.vmap costs in chainrule, which runs the function once per batch element:
per-sample gradients of a small MLP's loss by vmap(grad(...)) against one batched backward of
the mean loss (which gives only their average), chainrule and torch in the same process,
interleaved. Run: PYTHONPATH=src python bench/vmap_cost.py

Wall-clock times on a shared machine are noisy; for instruction counts (chainrule only), run
    valgrind --tool=callgrind --callgrind-out-file=/tmp/vm.%p python bench/vmap_cost.py CASE N
with CASE vmap or batched and N = 0 and N = 10: (total(10) - total(0)) / 10 per call."""

import time
import warnings

import numpy as np


def _setup(lib, batch):
    rng = np.random.default_rng(0)
    model = lib.nn.Sequential(lib.nn.Linear(16, 32), lib.nn.Tanh(), lib.nn.Linear(32, 4))
    x = lib.tensor(rng.standard_normal((batch, 16)).astype(np.float32))
    y = lib.tensor(rng.integers(0, 4, batch))
    params = {k: v.detach() for k, v in model.named_parameters()}

    def loss(p, xi, yi):
        out = lib.func.functional_call(model, p, (xi.unsqueeze(0),))
        return lib.nn.functional.cross_entropy(out, yi.unsqueeze(0))

    per_sample = lib.func.vmap(lib.func.grad(loss), in_dims=(None, 0, 0))

    def batched():
        model.zero_grad()
        lib.nn.functional.cross_entropy(model(x), y).backward()

    return (lambda: per_sample(params, x, y)), batched


def main(repeats: int = 20) -> None:
    import torch

    import chainrule

    warnings.simplefilter("ignore")
    for batch in (8, 64):
        runs = {}
        for name, lib in (("chainrule", chainrule), ("torch", torch)):
            vmapped, batched = _setup(lib, batch)
            vmapped(), batched()  # warm up (torch compiles its vmap rules once)
            runs[name] = (vmapped, batched)
        best = {key: float("inf") for key in runs for key in [(key, 0), (key, 1)]}
        for _ in range(repeats):
            for name, fns in runs.items():
                for k, fn in enumerate(fns):
                    start = time.perf_counter()
                    fn()
                    best[(name, k)] = min(best[(name, k)], time.perf_counter() - start)
        for name in runs:
            v, b = best[(name, 0)], best[(name, 1)]
            print(
                f"batch {batch:3d} {name:9s}: vmap(grad) {v * 1e3:7.2f} ms, batched backward "
                f"{b * 1e3:6.2f} ms, ratio {v / b:5.1f}x"
            )


def counted(case: str, n: int, batch: int = 8) -> None:
    """Run one case n times after a warm-up (for callgrind's totals)."""
    import chainrule

    vmapped, batched = _setup(chainrule, batch)
    fn = vmapped if case == "vmap" else batched
    fn()
    for _ in range(n):
        fn()


if __name__ == "__main__":
    import sys

    if len(sys.argv) == 3:
        counted(sys.argv[1], int(sys.argv[2]))
    else:
        main()
