"""What accepting axis= / keepdims= costs a reduction (src/chainrule/numpy_names.py).

Run N calls of x.sum(1) on a 32x16 tensor; under callgrind, the difference of an N run and an
N = 0 run, divided by N, is the instructions per call:

    PYTHONHASHSEED=0 OPENBLAS_NUM_THREADS=1 valgrind --tool=callgrind \
        python bench/numpy_names_cost.py 1000    (and again with 0)

Tensor.sum takes both spellings itself (tensor_reductions.py); before that, a renaming wrapper
around it cost each call a Python frame (bench/RESULTS.md has both figures).
"""

import sys

import chainrule


def main(calls: int) -> None:
    x = chainrule.ones(32, 16)
    for _ in range(calls):
        x.sum(1)


if __name__ == "__main__":
    main(int(sys.argv[1]))
