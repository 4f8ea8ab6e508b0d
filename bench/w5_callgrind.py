"""K training steps of the W5/W6 CNN on random data, without importing torch, for valgrind.

    OPENBLAS_NUM_THREADS=1 PYTHONHASHSEED=0 PYTHONPATH=src valgrind --tool=callgrind \
        python bench/w5_callgrind.py SIDE BATCH K

(8 64 K is W5's step, 28 128 K is W6's.) One warm-up step runs first, so the runs with K = 0
and K = 10 differ by ten steps: (total(10) - total(0)) / 10 is one step's instruction count,
which the load of a shared machine does not change.
"""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

import chainrule as cr  # noqa: E402
from _cnn import small_cnn, weights  # noqa: E402


def main() -> None:
    side, batch, steps = (int(a) for a in sys.argv[1:4])
    rng = np.random.default_rng(0)
    images = rng.standard_normal((steps + 1, batch, 1, side, side)).astype(np.float32)
    labels = rng.integers(0, 10, (steps + 1, batch))
    model = small_cnn(cr, weights(side, rng), side)
    optimizer = cr.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = cr.nn.CrossEntropyLoss()
    for x, y in zip(images, labels):
        optimizer.zero_grad()
        loss = loss_fn(model(cr.Tensor(x)), y)
        loss.backward()
        optimizer.step()
    print(loss.item())


if __name__ == "__main__":
    main()
