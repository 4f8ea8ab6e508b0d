"""Which memory layout W4's products can take, and what each costs the hand-written NumPy step.

    python bench/w4_layouts.py [rounds]      (run it with OPENBLAS_NUM_THREADS=1 for one thread)

Three questions, each timed interleaved in one process (the main thread's CPU time, min and
median over ``rounds``, default 30):

1. ``np.matmul(b.T, a.T, out=out.T)`` against ``np.matmul(a, b, out=out)``. The first looks like
   another way round, but its output is F-ordered, and NumPy's matmul then calls BLAS exactly
   as for the second ("transpose equivalence" in numpy/_core/src/umath/matmul.c.src): one call
   spelled two ways. Until 2026-11-30 chainrule's Linear used the first spelling for large
   products, believing it faster; the ratios here read 1.00x within noise, so it is gone.
2. Each product computed into the *transposed* memory, a genuinely different BLAS call: the
   result is the product's transpose, C-ordered, so the layer's output is feature-major.
3. A whole NumPy step kept feature-major (activations and gradients in transposed memory)
   against the row-major step bench/_numpy_mlp.py writes, and whether the two reach the same
   weights bit for bit.
"""

import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import w4_large_mlp as w4  # noqa: E402
from _numpy_mlp import sgd_step  # noqa: E402


def timed(cases: dict, rounds: int) -> dict:
    """Min and median thread time of each case, in ms, in a new shuffled order each round."""
    times = {name: [] for name in cases}
    order = random.Random(0)
    for _ in range(rounds):
        names = list(cases)
        order.shuffle(names)
        for name in names:
            start = time.thread_time()
            cases[name]()
            times[name].append(time.thread_time() - start)
    return {name: (min(t) * 1e3, float(np.median(t)) * 1e3) for name, t in times.items()}


def softmax_cross_entropy(z, t):
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(len(t))
    grad = np.exp(log_p)
    grad[rows, t] -= 1
    grad /= len(t)
    return -log_p[rows, t].mean(), grad


def feature_major_step(params, x, t, lr):
    """bench/_numpy_mlp.py's step with every activation and gradient in transposed memory."""
    activations, grad = [x], None
    for i, (w, b) in enumerate(params):
        if i < len(params) - 1:
            z = (w @ activations[-1].T).T  # (batch, out) viewed on (out, batch) memory
            z += b
            activations.append(np.maximum(z, 0, out=z))
        else:
            z = activations[-1] @ w.T
            z += b
    loss, grad = softmax_cross_entropy(z, t)
    for i in range(len(params) - 1, -1, -1):
        w, b = params[i]
        grad_w, grad_b = grad.T @ activations[i], grad.sum(axis=0)
        if i > 0:
            grad = (w.T @ grad.T).T
            grad *= activations[i] > 0
        w -= lr * grad_w
        b -= lr * grad_b
    return float(loss)


def half_way_step(params, x, t, lr, gradients_row_major: bool):
    """Two layouts that keep the bias sums' order: feature-major activations with row-major
    gradients, or only the pre-activation feature-major, ReLU writing row-major."""
    activations = [x]
    for i, (w, b) in enumerate(params):
        if i < len(params) - 1:
            z = (w @ activations[-1].T).T
            z += b
            if gradients_row_major:
                activations.append(np.maximum(z, 0, out=z))
            else:
                activations.append(np.maximum(z, 0, out=np.empty(z.shape, z.dtype)))
        else:
            z = activations[-1] @ w.T
            z += b
    loss, grad = softmax_cross_entropy(z, t)
    for i in range(len(params) - 1, -1, -1):
        w, b = params[i]
        grad_w, grad_b = grad.T @ activations[i], grad.sum(axis=0)
        if i > 0:
            grad = grad @ w
            grad *= np.greater(activations[i], 0, out=np.empty(grad.shape, bool))
        w -= lr * grad_w
        b -= lr * grad_b
    return float(loss)


def products(rng) -> dict:
    f32 = np.float32
    x = rng.standard_normal((w4.BATCH, 784)).astype(f32)
    h = rng.standard_normal((w4.BATCH, 1024)).astype(f32)
    g = rng.standard_normal((w4.BATCH, 1024)).astype(f32)
    w1 = rng.standard_normal((1024, 784)).astype(f32)
    w2 = rng.standard_normal((1024, 1024)).astype(f32)
    out = np.empty((w4.BATCH, 1024), f32)
    return {
        "forward 784->1024, x W^T": lambda: x @ w1.T,
        "forward 784->1024, into transposed memory": lambda: w1 @ x.T,
        "forward 1024->1024, h W^T": lambda: h @ w2.T,
        "forward 1024->1024, into transposed memory": lambda: w2 @ h.T,
        "dx 1024->1024, g W": lambda: np.matmul(g, w2, out=out),
        "dx 1024->1024, W^T g^T into out.T (same call)": lambda: np.matmul(w2.T, g.T, out=out.T),
        "dx 1024->1024, into transposed memory": lambda: w2.T @ g.T,
    }


def main(rounds: int) -> None:
    rng = np.random.default_rng(0)
    for name, (low, mid) in timed(products(rng), rounds).items():
        print(f"{name:48s} min {low:7.3f} ms  median {mid:7.3f} ms")
    X, y, weights = w4.setup()
    variants = {
        "row-major": sgd_step,
        "feature-major": feature_major_step,
        "activations only": lambda *a: half_way_step(*a, gradients_row_major=True),
        "pre-activation only": lambda *a: half_way_step(*a, gradients_row_major=False),
    }
    params = {name: [(w.copy(), b.copy()) for w, b in weights] for name in variants}
    for i in range(3):
        for name, step in variants.items():
            step(params[name], X[i], y[i], w4.LR)
    for name in variants:
        pairs = zip(params["row-major"], params[name])
        same = [np.array_equal(a, b) for pair in pairs for a, b in zip(*pair)]
        print(f"{name}: same weights as row-major after 3 steps (W1, b1, ..., b3): {same}")
    steps = timed(
        {
            name: (lambda step=step, p=params[name]: step(p, X[1], y[1], w4.LR))
            for name, step in variants.items()
        },
        rounds,
    )
    base = steps["row-major"]
    for name, (low, mid) in steps.items():
        print(
            f"step {name:20s} min {low:7.3f} ms  median {mid:7.3f} ms  "
            f"({low / base[0]:.3f}x, {mid / base[1]:.3f}x)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
