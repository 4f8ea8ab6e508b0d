"""Why Conv2d is im2col + GEMM: time it against the shifted-view alternative on W5/W6 layers.

    python bench/conv_choice.py

Both compute forward, dL/dx and dL/dW of one 3x3 convolution (padding 1) in float32. The
shifted-view way never builds the patch matrix: it adds kh * kw products of the whole image,
shifted by (p, q), with the (O, C) slice w[:, :, p, q], and does the same twice in backward.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent / "src"))

from chainrule.functional.conv import Conv2d  # noqa: E402

CASES = {
    "W5 conv2 (64x16x8x8 -> 32)": (64, 16, 8, 32),
    "W6 conv2 (128x16x28x28 -> 32)": (128, 16, 28, 32),
}


def im2col_gemm(x, w, g):
    ctx = Conv2d()
    ctx.needs_input_grad = (True, True)
    Conv2d.forward(
        ctx, x, w, stride=(1, 1), pads=((1, 1), (1, 1)), dilation=(1, 1), groups=1, out=x.shape[2:]
    )
    return Conv2d.backward(ctx, g)


def shifted_views(x, w, g):
    n, c, h, wd = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    xc = xp.transpose(1, 0, 2, 3)  # (C, N, H+2, W+2)
    y = np.zeros((w.shape[0], n, h, wd), dtype=x.dtype)
    for p in range(3):
        for q in range(3):
            y += np.tensordot(w[:, :, p, q], xc[:, :, p : p + h, q : q + wd], axes=(1, 0))
    gc = g.transpose(1, 0, 2, 3)
    grad_w = np.empty_like(w)
    grad_xp = np.zeros_like(xc)
    for p in range(3):
        for q in range(3):
            grad_w[:, :, p, q] = np.tensordot(
                gc, xc[:, :, p : p + h, q : q + wd], axes=([1, 2, 3], [1, 2, 3])
            )
            grad_xp[:, :, p : p + h, q : q + wd] += np.tensordot(w[:, :, p, q], gc, axes=(0, 0))
    return grad_xp[:, :, 1:-1, 1:-1].transpose(1, 0, 2, 3), grad_w


def main() -> None:
    rng = np.random.default_rng(0)
    for name, (n, c, side, o) in CASES.items():
        x = rng.standard_normal((n, c, side, side)).astype(np.float32)
        w = rng.standard_normal((o, c, 3, 3)).astype(np.float32)
        g = rng.standard_normal((n, o, side, side)).astype(np.float32)
        a, b = im2col_gemm(x, w, g), shifted_views(x, w, g)
        assert all(np.allclose(u, v, rtol=1e-3, atol=1e-3) for u, v in zip(a, b))
        times = {"im2col + GEMM": [], "shifted views": []}
        for _ in range(7):  # interleaved, as in run.py
            for label, fn in (("im2col + GEMM", im2col_gemm), ("shifted views", shifted_views)):
                start = time.perf_counter()
                fn(x, w, g)
                times[label].append(time.perf_counter() - start)
        med = {k: float(np.median(v)) * 1e3 for k, v in times.items()}
        print(
            f"{name}: "
            + ", ".join(f"{k} {v:.2f} ms" for k, v in med.items())
            + f" | shifted / im2col {med['shifted views'] / med['im2col + GEMM']:.2f}x"
        )


if __name__ == "__main__":
    main()
