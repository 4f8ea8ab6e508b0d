"""The stateful calls hostile10 fuzzes: optimizers' steps over odd param groups, DataLoader and
samplers over odd sizes, and state_dict round trips with missing, extra and mis-shaped keys.
Each generator returns (fn, args, kwargs, label) for harness.compare. Holds no tests."""

from __future__ import annotations

import numpy as np

OPTIMIZERS = [
    ("SGD", {"lr": 0.1}), ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.1, "momentum": 0.5, "dampening": 0.5, "weight_decay": 0.1}),
    ("SGD", {"lr": 0.0}), ("SGD", {"lr": -0.1}), ("SGD", {"lr": 0.1, "nesterov": True}),
    ("SGD", {"lr": 0.1, "maximize": True}), ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "amsgrad": True, "weight_decay": 0.1}), ("Adam", {"betas": (1.0, 0.9)}),
    ("Adam", {"eps": -1.0}), ("AdamW", {"lr": 0.01}), ("RMSprop", {"lr": 0.01, "centered": True}),
    ("Adagrad", {"lr": 0.1, "lr_decay": 0.01}), ("Adamax", {}), ("NAdam", {}), ("RAdam", {}),
    ("Adadelta", {}), ("Rprop", {}), ("ASGD", {}), ("Adam", {"lr": 0.01, "maximize": True}),
]  # fmt: skip
PARAM_SHAPES = [(2, 3), (3,), (), (0,), (1, 1), (0, 2)]


def optimizer_case(rng: np.random.Generator):
    """Params of odd shapes (0-d, empty), some with no grad, split into groups (one of them
    maybe empty or with its own lr), three steps; the params and the state_dict's step."""
    name, config = OPTIMIZERS[int(rng.integers(len(OPTIMIZERS)))]
    count = int(rng.integers(1, 4))
    shapes = [PARAM_SHAPES[int(rng.integers(len(PARAM_SHAPES)))] for _ in range(count)]
    values = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    grads = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    no_grad = [bool(rng.integers(4) == 0) for _ in shapes]
    layout = int(rng.integers(4))  # 0: a list, 1: one group, 2: two groups, 3: plus an empty one
    group_lr = float(rng.choice([0.5, 0.0, 1e-3]))

    def fn(lib):
        params = [lib.nn.Parameter(lib.tensor(v.copy())) for v in values]
        if layout == 0:
            groups = params
        elif layout == 1:
            groups = [{"params": params}]
        else:
            groups = [{"params": params[:1]}, {"params": params[1:], "lr": group_lr}]
            if layout == 3:
                groups.append({"params": []})
        opt = getattr(lib.optim, name)(groups, **config)
        for _ in range(3):
            for p, g, skip in zip(params, grads, no_grad):
                p.grad = None if skip else lib.tensor(g.copy())
            opt.step()
        return [p.detach() for p in params] + [len(opt.param_groups)]

    label = f"optim.{name}({config}, shapes={shapes}, layout={layout}, no_grad={no_grad})"
    return fn, [], {}, label


def loader_case(rng: np.random.Generator):
    """A TensorDataset of 0 to 7 rows through DataLoader or a BatchSampler: every batch."""
    n = int(rng.integers(0, 8))
    batch = int(rng.choice([1, 2, 3, 8, 0, -1])) if rng.integers(6) else None
    drop_last = bool(rng.integers(2))
    kind = int(rng.integers(3))
    x = np.arange(n * 2, dtype=np.float32).reshape(n, 2)
    y = np.arange(n, dtype=np.int64)

    def fn(lib):
        data = lib.utils.data
        dataset = data.TensorDataset(lib.tensor(x), lib.tensor(y))
        if kind == 0:
            loader = data.DataLoader(dataset, batch_size=batch, drop_last=drop_last)
            return [list(b) for b in loader] + [len(loader)]
        if kind == 1:
            sampler = data.BatchSampler(data.SequentialSampler(dataset), batch or 1, drop_last)
            return [list(b) for b in sampler] + [len(sampler)]
        loader = data.DataLoader(dataset, batch_sampler=data.BatchSampler(
            data.SequentialSampler(range(n)), batch or 1, drop_last))  # fmt: skip
        return [list(b) for b in loader] + [len(loader)]

    return fn, [], {}, f"loader(n={n}, batch={batch}, drop_last={drop_last}, kind={kind})"


STATE_LAYERS = [
    ("Linear", (3, 2)), ("Conv1d", (2, 3, 2)), ("BatchNorm1d", (3,)), ("LayerNorm", (3,)),
    ("Embedding", (4, 2)), ("GRU", (2, 3)), ("LSTM", (2, 3, 2)), ("GroupNorm", (1, 2)),
    ("PReLU", ()), ("Bilinear", (2, 2, 1)), ("InstanceNorm1d", (2, 1e-5, 0.1, True)),
]  # fmt: skip


def state_case(rng: np.random.Generator):
    """load_state_dict of a state with a key dropped, an extra key or a mis-shaped value,
    strict or not: the keys torch reports, and the layer keeps its weights when it raises."""
    name, config = STATE_LAYERS[int(rng.integers(len(STATE_LAYERS)))]
    fault = str(rng.choice(["none", "missing", "extra", "shape", "dtype", "0-d"]))
    strict = bool(rng.integers(2))
    pick = int(rng.integers(100))

    def fn(lib):
        lib.manual_seed(0)
        layer = getattr(lib.nn, name)(*config)
        state = {k: v.clone() for k, v in layer.state_dict().items()}
        keys = sorted(state)
        key = keys[pick % len(keys)] if keys else None
        if key is not None and fault == "missing":
            del state[key]
        elif fault == "extra":
            state["extra.weight"] = lib.ones(1)
        elif key is not None and fault == "shape":
            state[key] = lib.ones(*(tuple(state[key].shape) + (2,)))
        elif key is not None and fault == "dtype" and state[key].dtype != lib.int64:
            state[key] = state[key].double()
        elif key is not None and fault == "0-d" and state[key].numel() == 1:
            state[key] = state[key].reshape(())
        before = {k: v.clone() for k, v in layer.state_dict().items()}
        for k in state:
            if k in before and state[k].shape == before[k].shape and state[k].is_floating_point():
                state[k] = state[k] + 1  # loaded values differ from the old ones
        try:
            result = layer.load_state_dict(state, strict=strict)
        except Exception:
            if lib.__name__ != "chainrule":
                raise  # torch copies the good keys before it reports the bad ones
            after = layer.state_dict()
            for k, v in before.items():  # nothing half-loaded
                if not bool((after[k] == v).all()):
                    raise AssertionError(f"{k} changed although load_state_dict raised") from None
            raise
        return [sorted(result.missing_keys), sorted(result.unexpected_keys), keys]

    return fn, [], {}, f"nn.{name}{config}.load_state_dict(fault={fault}, strict={strict})"


FAMILIES = {"optimizer": optimizer_case, "loader": loader_case, "state": state_case}
