"""Random training steps for the CPUGraph fuzz tests: one seed, one program, built twice.

A program is a recipe (plain data drawn from a seeded NumPy Generator) that ``build`` turns
into parameters, static inputs, an optimizer and a step body. The eager run and the captured
run each build it afresh, so they start from the same bits and share nothing.

The ops mix those that replay as bare NumPy calls (+ - * x**2 mean() linear relu sigmoid bce
cross_entropy) with those that replay in Python (/ x**3 exp tanh sum mean(dim) views), over
every kind of broadcast the base shape (4, 3) allows, 0-d and size-1 dims included.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

import chainrule as cr
from chainrule import functional as F

ROWS, COLS = 4, 3
SHAPES = [(), (1,), (COLS,), (1, COLS), (ROWS, 1), (ROWS, COLS), (1, 1)]
UNARY = ["exp_tanh", "tanh", "sigmoid", "relu", "square", "cube", "neg", "scale", "rsub", "rdiv"]
BINARY = ["add", "sub", "mul", "div", "radd"]
REDUCE = ["mean", "sum", "mean0", "mean1k", "sum1"]
VIEWS = ["T", "row", "cols", "reshape", "unsqueeze"]
UPDATES = ["sgd", "momentum", "nesterov_wd", "adam", "amsgrad", "adamw", "rmsprop", "adagrad"]
UPDATES += ["manual", "add_alpha", "mul"]  # in-place updates under no_grad, no optimizer


@dataclass
class Recipe:
    """What a seed draws: everything ``build`` needs, nothing built yet."""

    dtype: Any
    params: list  # shapes
    inputs: list  # (shape, "float" | "int")
    # ("unary", name, i) / ("binary", name, i, j) / ("view", name, i) /
    # ("linear", i, with_bias, tied): tied reuses the first linear op's weight and bias
    ops: list
    heads: list  # how the nodes become one or two losses
    zero: str  # "opt" | "opt_keep" | "none_each" | "model_keep"
    update: str  # "sgd" | "momentum" | "nesterov_wd" | "adam" | "manual" | "add_alpha" | "mul"
    backward: str  # "one" | "two" | "retain" | "gradient"
    warmup: int  # eager steps before the capture
    clip: bool  # clip_grad_norm_ before the update
    root_grad: Any = None  # the gradient a non-scalar root starts from (a constant)
    batches: list = field(default_factory=list)


def draw(seed: int, steps: int = 5, leaf_on_loss: bool = False) -> Recipe:
    """``leaf_on_loss``: add a parameter straight onto the loss (loss = ... + b), so the root's
    gradient reaches a leaf through Add alone (a bug today: test_replay_attacks.py)."""
    rng = np.random.default_rng(seed)
    dtype = np.float32 if rng.random() < 0.7 else np.float64
    params = [SHAPES[rng.integers(len(SHAPES))] for _ in range(rng.integers(1, 4))]
    inputs = [(SHAPES[rng.integers(len(SHAPES))], "float") for _ in range(rng.integers(1, 3))]
    if rng.random() < 0.3:
        inputs.append(((ROWS, COLS), "int"))
    leaves = len(params) + len(inputs)
    ops: list = []
    for _ in range(rng.integers(2, 9)):
        nodes = leaves + len(ops)
        kind = rng.choice(["unary", "binary", "binary", "view", "linear"])
        i, j = int(rng.integers(nodes)), int(rng.integers(nodes))
        if kind == "unary":
            ops.append(("unary", str(rng.choice(UNARY)), i))
        elif kind == "binary":
            ops.append(("binary", str(rng.choice(BINARY)), i, j))
        elif kind == "view":
            ops.append(("view", str(rng.choice(VIEWS)), i))
        else:
            ops.append(("linear", i, bool(rng.random() < 0.5), bool(rng.random() < 0.3)))
    nodes = leaves + len(ops)
    heads = [("reduce", str(rng.choice(REDUCE)), int(rng.integers(leaves, nodes)))]
    if rng.random() < 0.5:  # a second term: a leaf or node on one more path
        heads.append(("reduce", str(rng.choice(REDUCE)), int(rng.integers(nodes))))
    if leaf_on_loss:
        heads.append(("leaf", int(rng.integers(len(params)))))
    r = rng.random()
    if r < 0.15:
        heads.append(("bce", int(rng.integers(nodes)), bool(rng.random() < 0.5)))
    elif r < 0.3:
        heads.append(("ce", int(rng.integers(nodes)), str(rng.choice(["mean", "sum"]))))
    zero = str(rng.choice(["opt", "opt", "opt_keep", "none_each", "model_keep"]))
    # grads kept between steps (zeroed, not None) are only there after one eager step
    warmup = 1 if zero in ("opt_keep", "model_keep") or rng.random() < 0.2 else 0
    update = str(rng.choice(UPDATES))
    clip = bool(rng.random() < 0.2)
    backward = str(rng.choice(["one", "one", "two", "retain", "gradient"]))
    recipe = Recipe(dtype, params, inputs, ops, heads, zero, update, backward, warmup, clip)
    recipe.root_grad = rng.standard_normal((ROWS, COLS)).astype(dtype)
    for _ in range(steps):
        batch = []
        for shape, kind in inputs:
            if kind == "int":
                batch.append(rng.integers(0, 4, shape).astype(np.int64))
            else:
                batch.append(rng.standard_normal(shape).astype(dtype))
        batch.append((rng.random((ROWS, 1)) > 0.5).astype(dtype))  # bce targets
        batch.append(rng.integers(0, COLS, ROWS))  # class labels, new each batch
        recipe.batches.append(batch)
    return recipe


def _to_matrix(t: Any) -> Any:
    """Any node as a (ROWS, COLS) tensor, so a head can take it (broadcast by adding zeros)."""
    return t + cr.zeros((ROWS, COLS), dtype=t.dtype) if tuple(t.shape) != (ROWS, COLS) else t


def _unary(name: str, x: Any) -> Any:
    if name == "exp_tanh":
        return F.tanh(x).exp()
    if name == "tanh":
        return F.tanh(x)
    if name == "sigmoid":
        return F.sigmoid(x)
    if name == "relu":
        return F.relu(x)
    if name == "square":
        return x**2
    if name == "cube":
        return F.tanh(x) ** 3
    if name == "neg":
        return -x
    if name == "scale":
        return x * 0.5
    if name == "rsub":
        return 1.0 - x
    return 2.0 / (x * x + 1.0)  # rdiv: a Python number on the left, never a zero below


def _binary(name: str, a: Any, b: Any) -> Any:
    if name == "add":
        return a + b
    if name == "sub":
        return a - b
    if name == "mul":
        return a * b
    if name == "div":
        return a / (b * b + 1.0)
    return 3 + a  # radd: an int on the left


def _view(name: str, x: Any) -> Any:
    """A view whose shape still broadcasts against (ROWS, COLS)."""
    if x.ndim < 2:
        return x.reshape(-1)[:1] if name == "row" and x.numel() else x.reshape(x.shape)
    if name == "T":
        return x.T.T if name == "T" and x.shape[0] != x.shape[1] else x.T
    if name == "row":
        return x[0]
    if name == "cols":
        return x[:, :1]
    if name == "reshape":
        return x.reshape(-1).reshape(x.shape)
    return x[..., None].squeeze(-1)


def _reduce(name: str, x: Any) -> Any:
    if name == "mean" or x.ndim == 0:
        return x.mean()
    if name == "sum":
        return x.sum()
    if name == "mean0":
        return x.mean(dim=0).sum()
    if name == "mean1k":
        return x.mean(dim=-1, keepdim=True).mean()
    return x.sum(dim=-1).mean()


@dataclass
class Program:
    params: list
    statics: list
    optimizer: Any
    body: Any
    recipe: Recipe


def build(recipe: Recipe) -> Program:
    """Parameters, static tensors, optimizer and step body, from the recipe alone."""
    rng = np.random.default_rng(len(recipe.params) * 7 + len(recipe.ops))
    dtype = recipe.dtype
    params = [
        cr.tensor(rng.standard_normal(s).astype(dtype), requires_grad=True) for s in recipe.params
    ]
    weights = [  # one (COLS, COLS) weight and bias per linear op, drawn in recipe order
        (
            cr.tensor(rng.standard_normal((COLS, COLS)).astype(dtype), requires_grad=True),
            cr.tensor(rng.standard_normal(COLS).astype(dtype), requires_grad=True),
        )
        for op in recipe.ops
        if op[0] == "linear"
    ]
    params += [p for pair in weights for p in pair]
    statics = [cr.tensor(np.array(a, copy=True)) for a in recipe.batches[0]]
    optimizer = _optimizer(recipe.update, params)
    lr = 0.05

    def forward() -> list:
        nodes = params[: len(recipe.params)] + statics[: len(recipe.inputs)]
        linear_at = 0
        for op in recipe.ops:
            if op[0] == "unary":
                nodes.append(_unary(op[1], nodes[op[2]]))
            elif op[0] == "binary":
                nodes.append(_binary(op[1], nodes[op[2]], nodes[op[3]]))
            elif op[0] == "view":
                nodes.append(_view(op[1], nodes[op[2]]))
            else:
                w, b = weights[0 if op[3] else linear_at]
                linear_at += 1
                x = _to_matrix(
                    nodes[op[1]].to(dtype) if nodes[op[1]].dtype != dtype else nodes[op[1]]
                )
                nodes.append(F.linear(x, w, b if op[2] else None))
        terms = []
        for head in recipe.heads:
            x = nodes[head[-1] if head[0] == "reduce" else head[1]]
            if x.dtype != dtype:
                x = x.to(dtype)
            if head[0] == "reduce":
                terms.append(_reduce(head[1], x))
            elif head[0] == "leaf":
                terms.append(x if x.ndim == 0 else x.sum())
            elif head[0] == "bce":
                logits = _to_matrix(x)[:, :1]
                if head[2]:
                    terms.append(F.binary_cross_entropy(F.sigmoid(logits), statics[-2]))
                else:
                    terms.append(F.binary_cross_entropy_with_logits(logits, statics[-2]))
            else:
                terms.append(F.cross_entropy(_to_matrix(x), statics[-1], reduction=head[2]))
        if not any(t.requires_grad for t in terms):  # a loss must reach some parameter
            terms.append((params[0] * 0.5).mean())
        return terms, nodes

    def zero() -> None:
        if recipe.zero == "opt" and optimizer is not None:
            optimizer.zero_grad()
        elif recipe.zero == "opt_keep" and optimizer is not None:
            optimizer.zero_grad(set_to_none=False)
        elif recipe.zero in ("none_each", "opt", "opt_keep"):
            for p in params:
                p.grad = None
        else:
            for p in params:
                if p.grad is not None:
                    p.grad.mul_(0.0)  # (the product keeps -0.0 where zero_() would not)

    def backward(terms: list, nodes: list) -> None:
        loss = terms[0]
        for t in terms[1:]:
            loss = loss + t
        if recipe.backward == "one":
            loss.backward()
        elif recipe.backward == "two":
            live = [t for t in terms if t.requires_grad]
            live[0].backward(retain_graph=True)
            if len(live) > 1:
                rest = live[1]
                for t in live[2:]:
                    rest = rest + t
                rest.backward()
        elif recipe.backward == "retain":
            loss.backward(retain_graph=True)
            (loss * 0.5).backward()  # the same graph again, its grads added
        else:  # a non-scalar root and a given gradient
            root = _to_matrix(nodes[-1].to(dtype) if nodes[-1].dtype != dtype else nodes[-1])
            if not root.requires_grad:
                loss.backward()
            else:
                (root * 1.0).backward(cr.tensor(recipe.root_grad), retain_graph=True)
                live = [t for t in terms if t.requires_grad]
                for k, t in enumerate(live):
                    t.backward(retain_graph=k < len(live) - 1)
        return loss

    def update() -> None:
        if recipe.clip:
            cr.nn.utils.clip_grad_norm_([p for p in params if p.grad is not None], 0.5)
        if optimizer is not None:
            optimizer.step()
            return
        with cr.no_grad():
            for p in params:
                if p.grad is None:
                    continue
                if recipe.update == "manual":
                    p -= lr * p.grad
                elif recipe.update == "add_alpha":
                    p.add_(p.grad, alpha=-lr)
                else:
                    p.mul_(0.99)
                    p.sub_(p.grad * lr)

    def body() -> Any:
        zero()
        terms, nodes = forward()
        loss = backward(terms, nodes)
        update()
        return loss

    return Program(params, statics, optimizer, body, recipe)


def _optimizer(update: str, params: list) -> Any:
    if update == "sgd":
        return cr.optim.SGD(params, lr=0.05)
    if update == "momentum":
        return cr.optim.SGD(params, lr=0.05, momentum=0.9)
    if update == "nesterov_wd":
        return cr.optim.SGD(params, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)
    if update == "adam":
        return cr.optim.Adam(params, lr=0.01)
    if update == "amsgrad":
        return cr.optim.Adam(params, lr=0.01, amsgrad=True, weight_decay=0.01)
    if update == "adamw":
        return cr.optim.AdamW(params, lr=0.01)
    if update == "rmsprop":
        return cr.optim.RMSprop(params, lr=0.01, momentum=0.5)
    if update == "adagrad":
        return cr.optim.Adagrad(params, lr=0.05)
    return None


def snapshot(program: Program, loss: Any) -> list:
    """Every array a step leaves behind, as bytes (grads that are None stay None)."""
    out = [loss.detach().numpy().tobytes(), str(loss.detach().numpy().dtype)]
    for p in program.params:
        out.append(p.detach().numpy().tobytes())
        out.append(None if p.grad is None else p.grad.numpy().tobytes())
    if program.optimizer is not None:
        for p in program.params:
            state = program.optimizer.state.get(id(p), {})
            out += [(k, np.asarray(v).tobytes()) for k, v in sorted(state.items())]
    return out


def run(recipe: Recipe, captured: bool) -> list:
    """The per-step snapshots of eager steps, or of one capture and replays."""
    program = build(recipe)
    history, graph = [], None
    for i, batch in enumerate(recipe.batches):
        for tensor, array in zip(program.statics, batch):
            tensor.copy_(cr.tensor(array))
        if graph is not None:
            graph.replay()
        elif captured and i == recipe.warmup:
            graph = cr.CPUGraph()
            with cr.graph(graph):
                loss = program.body()
        else:
            loss = program.body()
        history.append(snapshot(program, loss))
    return history
