"""Cost of one op on tiny arrays: chainrule against raw NumPy and PyTorch, in one process.

    python bench/overhead.py

Each figure is the median time per call over interleaved rounds; the ratios are what matter.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))
import chainrule as cr  # noqa: E402
from _harness import interleave, machine, match_threads, median  # noqa: E402

CALLS = 2000


def per_call(fn):
    def loop():
        for _ in range(CALLS):
            fn()
    return loop


def cases():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((10, 2)).astype(np.float32)
    y = rng.standard_normal((10, 2)).astype(np.float32)
    w = rng.standard_normal((2, 1)).astype(np.float32)
    b = rng.standard_normal((1,)).astype(np.float32)
    cx, cy = cr.Tensor(x), cr.Tensor(y)
    cw, cb = cr.Tensor(w, requires_grad=True), cr.Tensor(b, requires_grad=True)
    tx, ty = torch.tensor(x), torch.tensor(y)
    tw, tb = torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True)

    def numpy_step():
        pred = x @ w + b
        loss = np.mean(pred * pred)
        grad_pred = 2.0 * pred / pred.size
        return loss, x.T @ grad_pred, grad_pred.sum(0)

    def chainrule_step():
        cw.grad = cb.grad = None
        pred = cx @ cw + cb
        loss = (pred * pred).mean()
        loss.backward()

    def torch_step():
        tw.grad = tb.grad = None
        pred = tx @ tw + tb
        loss = (pred * pred).mean()
        loss.backward()

    with torch.no_grad():
        yield "add 10x2 + 10x2", {
            "numpy": lambda: x + y, "chainrule": lambda: cx + cy, "torch": lambda: tx + ty}
        yield "matmul 10x2 @ 2x1", {
            "numpy": lambda: x @ w, "chainrule": lambda: cx @ cw.detach(),
            "torch": lambda: tx @ tw.detach()}
    yield "x @ w + b, mean of squares, backward", {
        "numpy": numpy_step, "chainrule": chainrule_step, "torch": torch_step}


def main() -> None:
    threads = match_threads()
    print(f"# Per-op overhead on tiny float32 arrays\n\n{machine()}; torch threads = {threads}\n")
    print("| case | NumPy (us) | chainrule (us) | PyTorch (us) | chainrule/NumPy | chainrule/PyTorch |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, candidates in cases():
        with torch.no_grad() if "backward" not in name else torch.enable_grad():
            times = interleave({k: per_call(v) for k, v in candidates.items()}, repeats=7)
        us = {k: median(v) / CALLS * 1e6 for k, v in times.items()}
        print(f"| {name} | {us['numpy']:.2f} | {us['chainrule']:.2f} | {us['torch']:.2f} | "
              f"{us['chainrule'] / us['numpy']:.2f}x | {us['chainrule'] / us['torch']:.2f}x |")


if __name__ == "__main__":
    main()
