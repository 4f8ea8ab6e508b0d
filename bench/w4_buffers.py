"""What cpugraph/buffers.py buys on W4: one captured step replayed with a fresh array for each
backward result ("fresh"), with ReLU's mask multiplied into the dead gradient instead (what a
capture does now: "reused"), and the hand-written NumPy step, interleaved in a shuffled order
each round.

    python bench/w4_buffers.py [rounds] [clock]

``clock`` is ``thread`` (default: the main thread's CPU time, which a loaded machine inflates
far less than the wall clock; use it with OPENBLAS_NUM_THREADS=1, where the main thread does
all the work) or ``wall``. Reports the minimum and the median of each, over NumPy's.
"""

import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import _loops  # noqa: E402
import w4_large_mlp as w4  # noqa: E402
from _numpy_mlp import sgd_step  # noqa: E402

import chainrule as cr  # noqa: E402
import chainrule.cpugraph.backward as backward  # noqa: E402


def replay(X, y, weights, inplace: bool):
    reuse = backward.reuse_dead_buffers
    if not inplace:
        backward.reuse_dead_buffers = lambda steps, slots, temporaries: steps
    try:
        model = _loops.relu_mlp(cr, weights)
        optimizer = cr.optim.SGD(model.parameters(), lr=w4.LR)
        static_x, static_y = cr.tensor(X[0].copy()), cr.tensor(y[0].copy())
        graph, loss_fn = cr.CPUGraph(), cr.nn.CrossEntropyLoss()
        with cr.graph(graph):
            optimizer.zero_grad()
            loss_fn(model(static_x), static_y).backward()
            optimizer.step()
    finally:
        backward.reuse_dead_buffers = reuse
    return graph.replay


def main(rounds: int, clock_name: str) -> None:
    X, y, weights = w4.setup()
    variants = {
        "fresh": replay(X, y, weights, False),
        "reused": replay(X, y, weights, True),
    }
    params = [(w.copy(), b.copy()) for w, b in weights]
    variants["numpy"] = lambda: sgd_step(params, X[1], y[1], w4.LR)
    clock = time.thread_time if clock_name == "thread" else time.perf_counter
    times = {name: [] for name in variants}
    order = random.Random(0)
    for _ in range(rounds):
        names = list(variants)
        order.shuffle(names)
        for name in names:
            start = clock()
            variants[name]()
            variants[name]()
            times[name].append((clock() - start) / 2)
    least, middle = min(times["numpy"]), np.median(times["numpy"])
    for name, values in times.items():
        print(
            f"{name:8s} min {1e3 * min(values):7.2f} ms ({min(values) / least:.3f}x NumPy)  "
            f"median {1e3 * np.median(values):7.2f} ms ({np.median(values) / middle:.3f}x)"
        )


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 30,
        sys.argv[2] if len(sys.argv) > 2 else "thread",
    )
