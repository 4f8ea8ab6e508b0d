"""Eager cost of the ops a CPUGraph capture now records (branch frozen): normalize with its
branch-free clamp, zero_ on a plain tensor, relu_ on a tensor in the graph. Run it with each
tree's src on PYTHONPATH, alternating, and compare the minima."""

import timeit

import numpy as np

import chainrule as cr
from chainrule import functional as F


x = cr.tensor(
    np.random.default_rng(0).standard_normal((32, 16)).astype(np.float32), requires_grad=True
)
t = cr.zeros(3)


def norm():
    F.normalize(x, dim=1).sum().backward()


def zero():
    t.zero_()


def inplace():
    h = x * 2.0
    h.relu_()


for name, f in [("normalize+backward", norm), ("zero_", zero), ("relu_ on non-leaf", inplace)]:
    print(name, round(min(timeit.repeat(f, number=2000, repeat=5)) / 2000 * 1e6, 2), "us")
