"""Forward + backward of a few of the layers added for torch.nn coverage, on chainrule and torch,
interleaved (fastest of 15): what the compositions (EmbeddingBag, RMSNorm, margin losses) and the new
Functions (Conv3d, PReLU, AdaptiveMaxPool2d) cost against torch's kernels.

    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 PYTHONPATH=src:. python bench/nnlayers_step.py
"""

from __future__ import annotations

import numpy as np

from bench._harness import interleave, match_threads


def _cases(lib, rng):
    """name -> (module, inputs); the same shapes and weights for both libraries."""
    nn = lib.nn
    x4 = rng.standard_normal((32, 16, 16, 16)).astype(np.float32)
    x5 = rng.standard_normal((4, 8, 8, 16, 16)).astype(np.float32)
    idx = rng.integers(0, 1000, (64, 20))
    scores = rng.standard_normal((256, 10)).astype(np.float32)
    labels = rng.integers(0, 10, 256)
    return {
        "PReLU(16) on 32x16x16x16": (nn.PReLU(16), [x4]),
        "AdaptiveMaxPool2d(5) on 32x16x16x16": (nn.AdaptiveMaxPool2d(5), [x4]),
        "RMSNorm(16) on 32x16x16x16": (nn.RMSNorm(16), [x4]),
        "Conv3d(8, 8, 3) on 4x8x8x16x16": (nn.Conv3d(8, 8, 3), [x5]),
        "EmbeddingBag(1000, 64, 'mean') on 64x20": (nn.EmbeddingBag(1000, 64), [idx]),
        "MultiMarginLoss on 256x10": (nn.MultiMarginLoss(), [scores, labels]),
    }


def _step(lib, module, arrays):
    inputs = [lib.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]

    def run():
        for t in inputs:
            t.grad = None
        module.zero_grad()
        out = module(*inputs)
        out.sum().backward() if out.ndim == 0 else out.square().mean().backward()

    return run


def main() -> None:
    import torch

    import chainrule as cr

    threads = match_threads()
    print(f"threads={threads}; float32; fastest of 15 interleaved")
    ours, theirs = _cases(cr, np.random.default_rng(0)), _cases(torch, np.random.default_rng(0))
    for name, (module, arrays) in ours.items():
        their_module = theirs[name][0]
        with torch.no_grad():
            for (_, p), tp in zip(module.named_parameters(), their_module.parameters()):
                tp.copy_(torch.tensor(p.detach().numpy()))
        times = interleave(
            {"chainrule": _step(cr, module, arrays), "torch": _step(torch, their_module, arrays)},
            repeats=15,
        )
        # the fastest run, not the median: with six other test suites on two cores, any run
        # may stall tens of ms (both libraries' medians swung 20x between runs)
        ms = {k: 1e3 * min(v) for k, v in times.items()}
        print(f"{name}: chainrule {ms['chainrule']:.2f} ms, torch {ms['torch']:.2f} ms, "
              f"{ms['chainrule'] / ms['torch']:.1f}x")  # fmt: skip


if __name__ == "__main__":
    main()
