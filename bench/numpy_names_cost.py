"""What accepting axis= / keepdims= costs a reduction (src/chainrule/numpy_names.py).

Run N calls of x.sum(1) on a 32x16 tensor, through the renaming wrapper or straight to the
method it wraps; under callgrind, the difference of an N run and an N = 0 run, divided by N,
is the instructions per call:

    PYTHONHASHSEED=0 valgrind --tool=callgrind python bench/numpy_names_cost.py wrapped 10000
    PYTHONHASHSEED=0 valgrind --tool=callgrind python bench/numpy_names_cost.py raw 10000
    (and each again with 0)
"""

import sys

import chainrule


def main(mode: str, calls: int) -> None:
    x = chainrule.ones(32, 16)
    wrapped = type(x).sum
    method = wrapped if mode == "wrapped" else wrapped.__wrapped__
    for _ in range(calls):
        method(x, 1)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
