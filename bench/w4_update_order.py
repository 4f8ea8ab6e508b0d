"""What W4's update order costs: the NumPy loop with each layer's update right after its
gradient (bench/_numpy_mlp.py) against the same loop deferring every update to after the whole
backward, as an optimizer step (and a captured one) does. Interleaved, medians of 15.

    python bench/w4_update_order.py [threads]
"""

import sys
import time
import numpy as np

sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
from threadpoolctl import threadpool_limits
import w4_large_mlp as w
from _numpy_mlp import sgd_step


def deferred_step(params, x, t, lr):
    activations = [x]
    for i, (W, b) in enumerate(params):
        z = activations[-1] @ W.T
        z += b
        activations.append(np.maximum(z, 0, out=z) if i < len(params) - 1 else z)
    z = activations[-1]
    shifted = z - z.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(len(t))
    loss = -log_p[rows, t].mean()
    grad = np.exp(log_p)
    grad[rows, t] -= 1
    grad /= len(t)
    grads = []
    for i in range(len(params) - 1, -1, -1):
        W, b = params[i]
        grads.append((grad.T @ activations[i], grad.sum(axis=0)))
        if i > 0:
            grad = grad @ W
            grad *= activations[i] > 0
    for (W, b), (gw, gb) in zip(params[::-1], grads):
        W -= lr * gw
        b -= lr * gb
    return float(loss)


X, y, weights = w.setup()


def run(step):
    params = [(a.copy(), b.copy()) for a, b in weights]
    t0 = time.perf_counter()
    for x, t in zip(X, y):
        step(params, x, t, 0.01)
    return time.perf_counter() - t0


nthr = int(sys.argv[1]) if len(sys.argv) > 1 else 1
with threadpool_limits(nthr):
    res = {"eager_update": [], "deferred": []}
    for r in range(15):
        res["eager_update"].append(run(sgd_step))
        res["deferred"].append(run(deferred_step))
for k, v in res.items():
    print(k, "median %.1f ms" % (1e3 * np.median(v)), "min %.1f" % (1e3 * min(v)))
print(
    "ratio median",
    np.median(res["deferred"]) / np.median(res["eager_update"]),
    "min",
    min(res["deferred"]) / min(res["eager_update"]),
)
