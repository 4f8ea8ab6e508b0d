"""Run the workloads side by side and write bench/RESULTS.md.

    python bench/run.py [--repeats 5] [--only W1,W3]

Implementations are interleaved (NumPy, chainrule, PyTorch, NumPy, ...) after a warm-up round;
each figure is the median of the repeats, with the min-max range. The final losses must agree:
that is the benchmark's own correctness check. The CNN workloads (W5, W6) have no hand-written
NumPy version; their NumPy columns read "-".
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402

import w1_op_by_op  # noqa: E402
import w1_regression  # noqa: E402
import w2_classification  # noqa: E402
import w3_digits  # noqa: E402
import w4_large_mlp  # noqa: E402
import w5_cnn_digits  # noqa: E402
import w6_cnn_mnist  # noqa: E402
from _harness import interleave, machine, match_threads, median  # noqa: E402

ORDER = ["numpy", "chainrule", "torch", "cpugraph"]
# Issue 16's goals for a captured step (CPUGraph), as a ratio to hand-written NumPy.
GRAPH_GOALS = {"W1O": 1.3, "W2": 1.3, "W2L": 1.3, "W3": 1.1, "W4": 1.0}


def workloads():
    yield "W1", w1_regression.NAME, w1_regression.candidates, 1, "run"
    yield "W1O", w1_op_by_op.NAME, w1_op_by_op.candidates, 1, "run"
    yield "W2", w2_classification.NAME, w2_classification.candidates, 1, "run"
    yield (
        "W2L",
        w2_classification.NAME_LOGITS,
        lambda: w2_classification.candidates(logits=True),
        1,
        "run",
    )
    yield "W3", w3_digits.NAME, w3_digits.candidates, w3_digits.EPOCHS, "epoch"
    yield "W4", w4_large_mlp.NAME, w4_large_mlp.candidates, w4_large_mlp.STEPS, "step"
    yield "W5", w5_cnn_digits.NAME, w5_cnn_digits.candidates, w5_cnn_digits.EPOCHS, "epoch"
    yield "W6", w6_cnn_mnist.NAME, w6_cnn_mnist.candidates, w6_cnn_mnist.STEPS, "step"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated workload ids, e.g. W1,W3")
    parser.add_argument(
        "--output",
        type=Path,
        default=None,
        help="where to write the tables (default: bench/RESULTS.md for a full run; a run with "
        "--only prints its figures and writes nothing unless given one)",
    )
    parser.add_argument(
        "--threads",
        default="",
        help="comma-separated BLAS/torch thread counts to run "
        "under, e.g. 2,1 (default: NumPy's own)",
    )
    args = parser.parse_args()
    wanted = {w.strip() for w in args.only.split(",") if w.strip()}
    sections = []
    counts = [int(t) for t in args.threads.split(",") if t.strip()] or [None]
    for count in counts:
        if count is None:
            threads = match_threads()
            sections.append(run_all(wanted, args.repeats, threads))
            continue
        import torch
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=count, user_api="blas"):
            torch.set_num_threads(count)
            sections.append(run_all(wanted, args.repeats, count))
    output = args.output or (None if wanted else HERE / "RESULTS.md")
    if output is not None:
        write(output, sections, args.repeats)


def run_all(wanted: set[str], repeats: int, threads: int):
    print(f"-- {threads} thread(s)", flush=True)
    rows, checks = [], []
    for key, name, make, units, unit in workloads():
        if wanted and key not in wanted:
            continue
        candidates = make()
        results = {k: fn() for k, fn in candidates.items()}  # correctness first (also a warm-up)
        times = interleave(candidates, repeats=repeats, warmup=0)
        per = {k: [t / units for t in v] for k, v in times.items()}
        med = {k: median(v) for k, v in per.items()}
        row = {
            "key": key,
            "name": name,
            "unit": unit,
            "median": med,
            "range": {k: (min(v), max(v)) for k, v in per.items()},
            "results": results,
        }
        rows.append(row)
        losses = {
            k: (v[0] if isinstance(v, tuple) else v) for k, v in results.items() if k in ORDER
        }
        spread = max(losses.values()) - min(losses.values())
        checks.append(
            (key, losses, spread, {k: v[1] for k, v in results.items() if isinstance(v, tuple)})
        )
        print(
            f"{key}: "
            + ", ".join(f"{k} {med[k] * 1e3:.3f} ms/{unit}" for k in med)
            + (
                f" | chainrule/numpy {med['chainrule'] / med['numpy']:.2f}x"
                if "numpy" in med
                else " |"
            )
            + f" chainrule/torch {med['chainrule'] / med['torch']:.2f}x"
            + (
                f" cpugraph/numpy {med['cpugraph'] / med['numpy']:.2f}x"
                if "cpugraph" in med
                else ""
            ),
            flush=True,
        )
    return threads, rows, checks


def write(path: Path, sections, repeats: int) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Measured {date.today().isoformat()} with `python bench/run.py` on: {machine()}. float32 "
        f"throughout. Median of {repeats} interleaved repeats after a warm-up, the implementations "
        f"in a new (seeded) order each round so none always runs right after PyTorch "
        f"(bench/_harness.py says why); the range is min-max. "
        f"Load average when the run started: {os.getloadavg()[0]:.2f} (this machine is shared; "
        f"above about 1.5 other work was running and single figures can swing by 2x or more).",
        "",
        "The CPUGraph column replays a step captured once (`chainrule.CPUGraph`, one capture per "
        "batch shape: W3 has two), the capture counted as the run's first step and each batch "
        "copied into the static inputs; issue 16's goals for it are in brackets, and the final losses "
        "show the replayed runs end on the same numbers as the eager ones. How the figures got "
        "here, change by change, is at the end of this file.",
    ]
    for threads, rows, checks in sections:
        lines += _section(threads, rows, checks)
    # The per-op analysis below the tables is written by hand from overhead.py and
    # callgrind_chain.py; a new run keeps it.
    kept = ""
    if path.exists():
        old = path.read_text()
        start = old.find("\n## Per-op overhead")
        kept = old[start:] if start >= 0 else ""
    path.write_text("\n".join(lines) + "\n" + kept)
    print(f"wrote {path}")


def _section(threads: int, rows, checks) -> list[str]:
    lines = [
        "",
        f"## NumPy BLAS threads = torch threads = {threads}",
        "",
        "| workload | unit | NumPy (ms) | chainrule (ms) | PyTorch (ms) | CPUGraph (ms) | chainrule / NumPy "
        "| chainrule / PyTorch | CPUGraph / NumPy (goal) |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        med, rng = row["median"], row["range"]

        def cell(k, med=med, rng=rng):
            return (
                f"{med[k] * 1e3:.3f} ({rng[k][0] * 1e3:.3f}-{rng[k][1] * 1e3:.3f})"
                if k in med
                else "-"
            )

        vs_numpy = f"{med['chainrule'] / med['numpy']:.2f}x" if "numpy" in med else "-"
        graph = "-"
        if "cpugraph" in med and "numpy" in med:
            goal = GRAPH_GOALS.get(row["key"])
            graph = f"{med['cpugraph'] / med['numpy']:.2f}x" + (f" (<= {goal}x)" if goal else "")
        lines.append(
            f"| {row['name']} | per {row['unit']} | {cell('numpy')} | {cell('chainrule')} | "
            f"{cell('torch')} | {cell('cpugraph')} | {vs_numpy} | {med['chainrule'] / med['torch']:.2f}x "
            f"| {graph} |"
        )
        if "gemm_roofline" in med:
            lines.append(
                f"| {row['name']}: matrix products alone (NumPy) | per {row['unit']} | "
                f"{cell('gemm_roofline')} | | | | chainrule / roofline "
                f"{med['chainrule'] / med['gemm_roofline']:.2f}x | | CPUGraph / roofline "
                f"{med['cpugraph'] / med['gemm_roofline']:.2f}x |"
            )
    lines += [
        "",
        "Correctness check: final training loss of each implementation (they run the same "
        "steps on the same data from the same weights).",
        "",
        "| workload | NumPy | chainrule | PyTorch | CPUGraph | largest difference | test accuracy |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for key, losses, spread, accuracy in checks:
        acc = ", ".join(f"{k} {v:.4f}" for k, v in accuracy.items()) if accuracy else ""
        numpy_loss = f"{losses['numpy']:.6f}" if "numpy" in losses else "-"
        graph_loss = f"{losses['cpugraph']:.6f}" if "cpugraph" in losses else "-"
        lines.append(
            f"| {key} | {numpy_loss} | {losses['chainrule']:.6f} | {losses['torch']:.6f} | "
            f"{graph_loss} | {spread:.2e} | {acc} |"
        )
    return lines


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
