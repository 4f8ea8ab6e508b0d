"""How much of W4's CPUGraph-to-NumPy ratio is building the model rather than training it.

    python bench/w4_setup_share.py [rounds]

run.py times each candidate's whole run: chainrule's builds an nn.Sequential of Linear layers
(each draws Kaiming-uniform weights that load_state_dict then overwrites) before its 30 steps,
where the NumPy loop only copies the weight arrays. This times the two parts apart, NumPy and
CPUGraph alternating, by process CPU time at one BLAS thread, and prints both ratios.
"""

import statistics
import sys
import time

from threadpoolctl import threadpool_limits

import chainrule as cr
import w4_large_mlp as w4
from _loops import relu_mlp, run_graph
from _numpy_mlp import sgd_step


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    X, y, weights = w4.setup()

    def numpy_build():
        return [(w.copy(), b.copy()) for w, b in weights]

    def numpy_train(params):
        for x, t in zip(X, y):
            sgd_step(params, x, t, w4.LR)

    def graph_build():
        model = relu_mlp(cr, weights)
        return model, cr.optim.SGD(model.parameters(), lr=w4.LR)

    def graph_train(state):
        model, optimizer = state
        run_graph(cr, model, cr.nn.CrossEntropyLoss(), optimizer, zip(X, y))

    pairs = {"numpy": (numpy_build, numpy_train), "cpugraph": (graph_build, graph_train)}
    steps = {name: [] for name in pairs}
    whole = {name: [] for name in pairs}
    with threadpool_limits(limits=1, user_api="blas"):
        for i in range(rounds):
            for name in list(pairs)[:: 1 if i % 2 else -1]:
                build, train = pairs[name]
                start = time.process_time()
                state = build()
                built = time.process_time()
                train(state)
                end = time.process_time()
                steps[name].append(end - built)
                whole[name].append(end - start)
    for label, times in (("steps only", steps), ("build + steps", whole)):
        low = min(times["cpugraph"]) / min(times["numpy"])
        mid = statistics.median(times["cpugraph"]) / statistics.median(times["numpy"])
        print(f"W4 CPUGraph / NumPy, {label}: {low:.3f}x min, {mid:.3f}x median ({rounds} rounds)")


if __name__ == "__main__":
    main()
