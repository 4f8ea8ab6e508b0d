"""Forward plus backward of the spatial transformer's two ops and of CTC, chainrule against
torch at one thread, alternating in one process; the minimum CPU time (process_time, which a
loaded machine disturbs less than wall time) of each is reported, with the ratio.
Run: PYTHONPATH=src python bench/nnextra_ops.py"""

import time

import numpy as np
import torch

import chainrule as cr

torch.set_num_threads(1)
rng = np.random.default_rng(0)
images = rng.standard_normal((32, 1, 28, 28)).astype(np.float32)
theta = np.tile(np.eye(2, 3), (32, 1, 1)) + 0.1 * rng.standard_normal((32, 2, 3))
theta = theta.astype(np.float32)
logits = torch.tensor(rng.standard_normal((50, 16, 20)), dtype=torch.float32)
log_probs = torch.log_softmax(logits, 2).numpy()
targets = rng.integers(1, 20, (16, 10))


def spatial_transformer(lib):
    x = lib.tensor(images, requires_grad=True)
    t = lib.tensor(theta, requires_grad=True)
    grid = lib.nn.functional.affine_grid(t, [32, 1, 28, 28], align_corners=False)
    lib.nn.functional.grid_sample(x, grid, align_corners=False).sum().backward()


def ctc(lib):
    lp = lib.tensor(log_probs, requires_grad=True)
    lengths = lib.tensor([50] * 16), lib.tensor([10] * 16)
    lib.nn.functional.ctc_loss(lp, lib.tensor(targets), *lengths).backward()


CASES = {
    "affine_grid + grid_sample, (32, 1, 28, 28), bilinear": spatial_transformer,
    "ctc_loss, T=50 N=16 C=20 S=10": ctc,
}

for name, case in CASES.items():
    best = {"chainrule": float("inf"), "torch": float("inf")}
    for _ in range(15):
        for lib in (cr, torch):
            start = time.process_time()
            case(lib)
            best[lib.__name__] = min(best[lib.__name__], time.process_time() - start)
    ours, theirs = best["chainrule"] * 1e3, best["torch"] * 1e3
    print(f"{name}: chainrule {ours:.2f} ms, torch {theirs:.2f} ms, {ours / theirs:.1f}x")
