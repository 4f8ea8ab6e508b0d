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

    yield from _chain(x[:, 0].copy(), y[:, 0].copy())
    with torch.no_grad():
        yield (
            "add 10x2 + 10x2",
            {"numpy": lambda: x + y, "chainrule": lambda: cx + cy, "torch": lambda: tx + ty},
        )
        yield (
            "matmul 10x2 @ 2x1",
            {
                "numpy": lambda: x @ w,
                "chainrule": lambda: cx @ cw.detach(),
                "torch": lambda: tx @ tw.detach(),
            },
        )
    yield (
        "x @ w + b, mean of squares, backward",
        {"numpy": numpy_step, "chainrule": chainrule_step, "torch": torch_step},
    )


def _chain(x, y):
    """Five elementwise ops on 10 elements, forward and backward: ((x * y + y) * x - y) * x.

    The NumPy column makes exactly the calls chainrule's Functions make (five forward
    products and sums; each Mul's two products, Sub's negation; four sums where x and y
    collect three gradients each), so the ratio is the framework's cost per recorded op."""
    cx, cy = cr.tensor(x, requires_grad=True), cr.tensor(y, requires_grad=True)
    tx, ty = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    seed = np.ones_like(x)
    cseed, tseed = cr.tensor(seed), torch.tensor(seed)

    def numpy_chain():
        t1 = x * y
        t2 = t1 + y
        t3 = t2 * x
        t4 = t3 - y
        t5 = t4 * x  # noqa: F841  (the output, as chainrule keeps it)
        g4, gx3 = seed * x, seed * t4
        g3, gy3 = g4, -g4
        g2, gx2 = g3 * x, g3 * t2
        g1, gy2 = g2, g2
        gx1, gy1 = g1 * y, g1 * x
        return gx3 + gx2 + gx1, gy3 + gy2 + gy1

    def chainrule_chain():
        cx.grad = cy.grad = None
        (((cx * cy + cy) * cx - cy) * cx).backward(cseed)

    def torch_chain():
        tx.grad = ty.grad = None
        (((tx * ty + ty) * tx - ty) * tx).backward(tseed)

    yield (
        "chain of 5 elementwise ops on 10 elements, forward + backward",
        {"numpy": numpy_chain, "chainrule": chainrule_chain, "torch": torch_chain},
    )


def main() -> None:
    threads = match_threads()
    print(f"# Per-op overhead on tiny float32 arrays\n\n{machine()}; torch threads = {threads}\n")
    print(
        "| case | NumPy (us) | chainrule (us) | PyTorch (us) | chainrule/NumPy | chainrule/PyTorch |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name, candidates in cases():
        with torch.no_grad() if "backward" not in name else torch.enable_grad():
            times = interleave({k: per_call(v) for k, v in candidates.items()}, repeats=7)
        us = {k: median(v) / CALLS * 1e6 for k, v in times.items()}
        print(
            f"| {name} | {us['numpy']:.2f} | {us['chainrule']:.2f} | {us['torch']:.2f} | "
            f"{us['chainrule'] / us['numpy']:.2f}x | {us['chainrule'] / us['torch']:.2f}x |"
        )
        if name.startswith("chain of 5"):
            print(
                f"| per recorded op (/5) | {us['numpy'] / 5:.2f} | {us['chainrule'] / 5:.2f} | "
                f"{us['torch'] / 5:.2f} | | |"
            )


if __name__ == "__main__":
    main()
