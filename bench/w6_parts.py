"""The W5/W6 layers alone, two source trees interleaved in one process: conv2 (16 -> 32, 3x3,
padding 1) forward and backward, max-pool 2 forward and backward, on one BLAS thread.

    python bench/w6_parts.py --base /work/main/src --new src [--rounds 9]

Prints the minimum over the rounds, in ms, per part and tree (the minimum: the machine is shared).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from w5_w6_ab import _load  # noqa: E402

SIZES = {"W5": (64, 8), "W6": (128, 28)}


class _Ctx:
    """Stands in for the ctx Function.apply makes: what forward saves, and the input mask."""

    needs_input_grad = (True, True, True)

    def save(self, **arrays):
        self.__dict__.update(arrays)


def _parts(modules: dict, n: int, side: int) -> dict:
    conv, pool = modules["chainrule.functional.conv"], modules["chainrule.functional.pooling"]
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, 16, side, side)).astype(np.float32)
    w = rng.standard_normal((32, 16, 3, 3)).astype(np.float32)
    b = np.zeros(32, dtype=np.float32)
    grad_y = rng.standard_normal((n, 32, side, side)).astype(np.float32)
    config = dict(stride=(1, 1), pads=((1, 1), (1, 1)), dilation=(1, 1), groups=1)
    conv_ctx, pool_ctx = _Ctx(), _Ctx()
    # The pool reads the conv's output as it comes, in whatever layout the tree returns.
    image = np.maximum(conv.Conv2d.forward(conv_ctx, x, w, b, **config, out=(side, side)), 0)
    pool_config = dict(kernel=(2, 2), stride=(2, 2), pads=((0, 0), (0, 0)), dilation=(1, 1))
    pool_config["out"] = (side // 2, side // 2)
    pool.MaxPool2d.forward(pool_ctx, image, **pool_config)
    grad_pool = rng.standard_normal((n, 32, side // 2, side // 2)).astype(np.float32)
    return {
        "conv forward": lambda: conv.Conv2d.forward(_Ctx(), x, w, b, **config, out=(side, side)),
        "conv backward": lambda: conv.Conv2d.backward(conv_ctx, grad_y),
        "pool forward": lambda: pool.MaxPool2d.forward(_Ctx(), image, **pool_config),
        "pool backward": lambda: pool.MaxPool2d.backward(pool_ctx, grad_pool),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=Path, required=True)
    parser.add_argument("--new", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    from threadpoolctl import threadpool_limits

    trees = {"base": _load(args.base.resolve()), "new": _load(args.new.resolve())}
    with threadpool_limits(limits=1, user_api="blas"):
        for size, (n, side) in SIZES.items():
            parts = {label: _parts(modules, n, side) for label, modules in trees.items()}
            best = {(label, part): np.inf for label in parts for part in parts[label]}
            for _ in range(args.rounds):
                for part in parts["base"]:
                    for label in parts:
                        start = time.perf_counter()
                        parts[label][part]()
                        best[label, part] = min(best[label, part], time.perf_counter() - start)
            for part in parts["base"]:
                old, new = best["base", part] * 1e3, best["new", part] * 1e3
                print(f"{size} {part}: base {old:.2f} ms, new {new:.2f} ms ({new / old:.2f}x)")


if __name__ == "__main__":
    main()
