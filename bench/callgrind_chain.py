"""Instruction counts for the 5-op chain of overhead.py, under callgrind (no timing noise).

    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.%p python bench/callgrind_chain.py numpy 2000
    python bench/callgrind_chain.py --report     # runs all four and prints instructions per chain

Each case runs N chains after a warm-up; the run with N = 0 gives the fixed cost (imports),
so (total(N) - total(0)) / N is the count for one chain. callgrind_annotate on the output
file shows where they go (interpreter, NumPy's ufunc dispatch, allocation, ...).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np


def chains():
    x = np.random.default_rng(0).standard_normal(10).astype(np.float32)
    y = np.random.default_rng(1).standard_normal(10).astype(np.float32)
    seed = np.ones_like(x)

    def numpy_chain():  # the NumPy calls chainrule's Functions make (see overhead.py)
        t1 = x * y
        t2 = t1 + y
        t3 = t2 * x
        t4 = t3 - y
        t5 = t4 * x  # noqa: F841
        g4, gx3 = seed * x, seed * t4
        g3, gy3 = g4, -g4
        g2, gx2 = g3 * x, g3 * t2
        g1, gy2 = g2, g2
        gx1, gy1 = g1 * y, g1 * x
        return gx3 + gx2 + gx1, gy3 + gy2 + gy1

    import chainrule as cr

    cx, cy = cr.tensor(x, requires_grad=True), cr.tensor(y, requires_grad=True)
    cseed = cr.tensor(seed)

    def chainrule_chain():
        cx.grad = cy.grad = None
        (((cx * cy + cy) * cx - cy) * cx).backward(cseed)

    gx, gy = cr.tensor(x, requires_grad=True), cr.tensor(y, requires_grad=True)
    graph = cr.CPUGraph()
    with cr.graph(graph):  # the same chain, captured once
        gx.grad = gy.grad = None
        (((gx * gy + gy) * gx - gy) * gx).backward(cseed)

    return {"numpy": numpy_chain, "chainrule": chainrule_chain, "cpugraph": graph.replay}


# Where instructions go, by the library (or part of CPython) that executes them.
GROUPS = [
    ("Python bytecode (ceval)", "ceval.c"),
    ("dict and attribute lookups", "dictobject.c"),
    ("allocation and freeing", "obmalloc.c|tupleobject.c:tupledealloc|listobject.c:list_dealloc"),
    ("NumPy", "_multiarray_umath|numpy"),
    ("calls and frames", "call.c|frameobject.c|funcobject.c"),
    ("objects and types", "typeobject.c|object.c|abstract.c"),
]


def _functions(path: Path) -> dict[str, int]:
    text = subprocess.run(
        ["callgrind_annotate", "--threshold=100", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    costs = {}
    for line in text.splitlines():
        match = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+(\S.*)$", line)
        if match and "PROGRAM TOTALS" not in line:
            costs[match.group(2)] = costs.get(match.group(2), 0) + int(
                match.group(1).replace(",", "")
            )
    return costs


def report(n: int = 1000) -> None:
    here = Path(__file__)
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    counts = {}
    for case in ("numpy", "chainrule", "cpugraph"):
        runs = {}
        for calls in (0, n):
            out = Path(f"/tmp/callgrind.{case}.{calls}")
            subprocess.run(
                [
                    "valgrind",
                    "--tool=callgrind",
                    f"--callgrind-out-file={out}",
                    sys.executable,
                    str(here),
                    case,
                    str(calls),
                ],
                check=True,
                capture_output=True,
                env=env,
            )
            runs[calls] = _functions(out)
        per = {k: (runs[n].get(k, 0) - runs[0].get(k, 0)) / n for k in runs[n]}
        counts[case] = sum(per.values())
        groups = {name: 0.0 for name, _ in GROUPS}
        for function, cost in per.items():
            for name, pattern in GROUPS:
                if re.search(pattern, function):
                    groups[name] += cost
                    break
        rest = counts[case] - sum(groups.values())
        print(
            f"{case}: {counts[case]:,.0f} instructions per chain: "
            + ", ".join(f"{name} {cost / counts[case]:.0%}" for name, cost in groups.items())
            + f", other {rest / counts[case]:.0%}",
            flush=True,
        )
    print(
        f"chainrule / numpy = {counts['chainrule'] / counts['numpy']:.2f}x, cpugraph / numpy = "
        f"{counts['cpugraph'] / counts['numpy']:.2f}x; per recorded op {counts['chainrule'] / 5:,.0f} "
        f"instructions against {counts['numpy'] / 5:,.0f}"
    )


if __name__ == "__main__":
    if (
        len(sys.argv) < 2
        or sys.argv[1] in ("-h", "--help")
        or (sys.argv[1] != "--report" and (sys.argv[1] not in chains() or len(sys.argv) < 3))
    ):
        print(__doc__.strip())
        print(f"\ncases: {', '.join(chains())}")
        sys.exit(0 if len(sys.argv) > 1 and sys.argv[1] in ("-h", "--help") else 2)
    if sys.argv[1] == "--report":
        report(int(sys.argv[2]) if len(sys.argv) > 2 else 1000)
    else:
        fn = chains()[sys.argv[1]]
        for _ in range(50):
            fn()
        for _ in range(int(sys.argv[2])):
            fn()
