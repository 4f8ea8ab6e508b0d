"""One LSTM / GRU training step (forward + backward) on chainrule and torch, interleaved.

chainrule runs the recurrence as a Python loop of ops; torch runs a fused C++ cell. The ratio
says what that costs on a small sequence model (batch 32, 20 steps, 16 -> 64 hidden).

    PYTHONPATH=src python bench/rnn_step.py
"""

from __future__ import annotations

import numpy as np

from bench._harness import interleave, match_threads, median


def _step(lib, model, x):
    def run():
        for p in model.parameters():
            p.grad = None
        output, _ = model(x)
        output.square().mean().backward()

    return run


def main() -> None:
    import torch

    import chainrule as cr

    threads = match_threads()
    x = np.random.default_rng(0).standard_normal((20, 32, 16)).astype(np.float32)
    print(f"threads={threads}; (T, N, H_in) = {x.shape}, hidden 64; median of 7 interleaved")
    for kind in ("LSTM", "GRU"):
        theirs = getattr(torch.nn, kind)(16, 64)
        ours = getattr(cr.nn, kind)(16, 64, generator=0)
        times = interleave(
            {
                "chainrule": _step(cr, ours, cr.tensor(x)),
                "torch": _step(torch, theirs, torch.tensor(x)),
            }
        )
        ms = {name: 1e3 * median(values) for name, values in times.items()}
        ratio = ms["chainrule"] / ms["torch"]
        print(
            f"{kind}: chainrule {ms['chainrule']:.2f} ms, torch {ms['torch']:.2f} ms, {ratio:.1f}x"
        )


if __name__ == "__main__":
    main()
