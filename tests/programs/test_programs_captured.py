"""The training loops of tests/programs/ rewritten the way a CUDA-graph user writes them: warm-up
steps, static inputs fed by ``copy_``, one graph per batch shape, schedulers between or inside
replays. Each must leave the losses, parameters, buffers, ``.grad`` and optimizer state bit for
bit as the same loop run eagerly (chainrule against itself: torch is the oracle of test_programs).

Programs not here: p09 (schedulers alone, no step to capture), p10 and p13 (no training loop),
p14's second loop (``autograd.grad`` plus ``.data`` updates: see the test at the end).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.errors import GraphError
from chainrule.nn import functional as F
from tests.programs._weights import init_from_numpy

sklearn_datasets = pytest.importorskip("sklearn.datasets")


class _Steps:
    """``step(*batch)`` eagerly, or as a CUDA-graph user runs it: ``warmup`` eager steps per batch
    shape, one capture on static clones, then ``copy_`` of each batch and a replay."""

    made: list[_Steps] = []

    def __init__(self, step, captured: bool, warmup: int = 1):
        self.step, self.captured, self.warmup = step, captured, warmup
        self.seen: dict = {}
        self.graphs: dict = {}
        self.replays = 0
        _Steps.made.append(self)

    def __call__(self, *batch):
        if not self.captured:
            return self.step(*batch)
        key = tuple((tuple(b.shape), str(b.dtype)) for b in batch)
        if key in self.graphs:
            graph, statics, out = self.graphs[key]
            for static, b in zip(statics, batch):
                static.copy_(b)
            graph.replay()
            self.replays += 1
            return out
        self.seen[key] = self.seen.get(key, 0) + 1
        if self.seen[key] <= self.warmup:
            return self.step(*batch)
        statics = [b.clone() for b in batch]
        graph = cr.CPUGraph()
        with cr.graph(graph):
            out = self.step(*statics)
        self.graphs[key] = (graph, statics, out)
        return out


def _bits(t):
    return None if t is None else (t.detach().numpy().dtype.str, t.detach().numpy().tobytes())


def _state(model, optimizer=None):
    """Every parameter, its .grad, every buffer and the optimizer's state, as bytes."""
    out = [(n, _bits(p), _bits(p.grad)) for n, p in model.named_parameters()]
    out += [(n, _bits(b)) for n, b in model.named_buffers()]
    if optimizer is not None:
        for key, values in sorted(optimizer.state_dict()["state"].items()):
            for name, v in sorted(values.items()):
                out.append((key, name, _bits(v) if isinstance(v, cr.Tensor) else repr(v)))
        out.append(repr([g["lr"] for g in optimizer.param_groups]))
    return out


def _same(case):
    eager = case(False)
    _Steps.made.clear()
    captured = case(True)
    assert all(run.replays for run in _Steps.made), "the captured loop never replayed"
    assert len(eager) == len(captured)
    differ = [i for i, (a, b) in enumerate(zip(eager, captured)) if a != b]
    assert not differ, f"captured differs from eager at {differ[:5]}"


def _digits(n):
    digits = sklearn_datasets.load_digits()
    X = cr.tensor(digits.data[:n] / 16.0, dtype=cr.float32)
    return X, cr.tensor(digits.target[:n]).long()


def _p01_iris_adam(captured):
    data = sklearn_datasets.load_iris()
    X = cr.tensor(data.data, dtype=cr.float32)
    X = (X - X.mean(dim=0)) / X.std(dim=0)
    y = cr.tensor(data.target).long()
    model = nn.Sequential(
        nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 3)
    )
    init_from_numpy(cr, model, seed=1)
    optimizer = cr.optim.Adam(model.parameters(), lr=0.01)

    def step(x, t):
        optimizer.zero_grad()
        loss = nn.CrossEntropyLoss()(model(x), t)
        loss.backward()
        optimizer.step()
        return loss

    run = _Steps(step, captured, warmup=3)
    losses = [_bits(run(X, y)) for _ in range(20)]
    return losses + _state(model, optimizer)


def _p02_digits_cnn_momentum(captured):
    images, labels = _digits(192)
    images = images.view(-1, 1, 8, 8)
    net = nn.Sequential(
        nn.Conv2d(1, 8, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10),
    )  # fmt: skip
    init_from_numpy(cr, net, seed=2, scale=0.2)
    loader = cr.utils.data.DataLoader(
        cr.utils.data.TensorDataset(images, labels), batch_size=64, shuffle=False
    )
    optimizer = cr.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)

    def step(x, t):
        optimizer.zero_grad()
        loss = nn.CrossEntropyLoss()(net(x), t)
        loss.backward()
        optimizer.step()
        return loss

    run = _Steps(step, captured)
    losses = [_bits(run(x, t)) for _ in range(2) for x, t in loader]
    return losses + _state(net, optimizer)


def _p03_logistic_pos_weight(captured):
    X, y = sklearn_datasets.load_breast_cancer(return_X_y=True)
    X = cr.tensor(((X - X.mean(0)) / X.std(0)).astype(np.float32))
    y = cr.tensor(y.astype(np.float32)).unsqueeze(1)
    model = nn.Linear(30, 1)
    with cr.no_grad():
        model.weight.fill_(0.01)
        model.bias.zero_()
    n_pos = y.sum()
    criterion = nn.BCEWithLogitsLoss(pos_weight=cr.tensor([((len(y) - n_pos) / n_pos).item()]))
    optimizer = cr.optim.SGD(model.parameters(), lr=0.1)

    def step(x, t):
        optimizer.zero_grad()
        loss = criterion(model(x), t)
        loss.backward()
        optimizer.step()
        return loss

    run = _Steps(step, captured, warmup=0)
    return [_bits(run(X, y)) for _ in range(15)] + _state(model, optimizer)


def _p04_regression_steplr_between_epochs(captured):
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, size=(200, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.3 + 0.1 * rng.standard_normal(200)
    dataset = cr.utils.data.TensorDataset(
        cr.from_numpy(X).float(), cr.from_numpy(y).float().view(-1, 1)
    )
    model = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 1))
    init_from_numpy(cr, model, seed=3)
    loader = cr.utils.data.DataLoader(dataset, batch_size=32, shuffle=False, drop_last=True)
    optimizer = cr.optim.SGD(model.parameters(), lr=0.05)
    scheduler = cr.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)

    def step(x, t):
        loss = nn.MSELoss()(model(x), t)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    run, losses = _Steps(step, captured), []
    for _ in range(5):
        losses += [_bits(run(xb, yb)) for xb, yb in loader]
        scheduler.step()
    return losses + _state(model, optimizer)


def _p05_autoencoder_cosine_sum_loss(captured):
    X, _ = _digits(300)

    class AutoEncoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 4))
            self.decoder = nn.Sequential(
                nn.Linear(4, 32), nn.ReLU(), nn.Linear(32, 64), nn.Sigmoid()
            )

        def forward(self, x):
            z = self.encoder(x)
            return self.decoder(z), z

    model = AutoEncoder()
    init_from_numpy(cr, model, seed=4, scale=0.2)
    optimizer = cr.optim.Adam(model.parameters(), lr=1e-2, betas=(0.9, 0.99))
    scheduler = cr.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=6, eta_min=1e-4)

    def step(batch):
        recon, _ = model(batch)
        loss = nn.MSELoss(reduction="sum")(recon, batch) / batch.shape[0]
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    run, losses = _Steps(step, captured), []
    for _ in range(6):
        losses += [_bits(run(b)) for b in cr.split(X, 100)]
        scheduler.step()
    return losses + _state(model, optimizer)


def _p07_early_stopping_bn_nesterov(captured):
    X, y = sklearn_datasets.load_wine(return_X_y=True)
    X = cr.tensor(((X - X.mean(0)) / X.std(0))[:120], dtype=cr.float32)
    X_va, y_va = X[100:].clone(), cr.tensor(y[100:120])
    X, y = X[:100].clone(), cr.tensor(y[:100])
    model = nn.Sequential(nn.Linear(13, 32), nn.BatchNorm1d(32), nn.ReLU(), nn.Linear(32, 3))
    init_from_numpy(cr, model, seed=7)
    optimizer = cr.optim.SGD(model.parameters(), lr=0.2, momentum=0.9, nesterov=True)
    criterion = nn.CrossEntropyLoss()  # p07's label_smoothing=0.1 is refused: see below

    def step(x, t):
        model.train()
        optimizer.zero_grad()
        criterion(model(x), t).backward()
        optimizer.step()

    run, val = _Steps(step, captured), []
    for _ in range(12):
        run(X, y)
        model.eval()  # between replays: eval runs eagerly and reads the replayed running stats
        with cr.no_grad():
            val.append(_bits(criterion(model(X_va), y_va)))
    return val + _state(model, optimizer)


def _p08_frozen_backbone_adamw_groups(captured):
    model = nn.Sequential(
        nn.Linear(10, 32), nn.GELU(), nn.Linear(32, 16), nn.GELU(approximate="tanh"),
        nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 4),
    )  # fmt: skip
    init_from_numpy(cr, model, seed=8)
    for p in model[:4].parameters():
        p.requires_grad_(False)
    optimizer = cr.optim.AdamW(
        [{"params": model[4].parameters(), "lr": 1e-3}, {"params": model[6].parameters()}],
        lr=1e-2,
        weight_decay=0.05,
    )
    rng = np.random.default_rng(8)
    X = cr.from_numpy(rng.standard_normal((64, 10)).astype(np.float32))
    y = cr.from_numpy(rng.integers(0, 4, 64))

    def step(x, t):
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), t)
        loss.backward()
        optimizer.step()
        return loss

    run = _Steps(step, captured)
    return [_bits(run(X, y)) for _ in range(8)] + _state(model, optimizer)


def _p11_buffer_counter_in_forward(captured):
    class Counted(nn.Module):
        def __init__(self):
            super().__init__()
            self.trunk = nn.ModuleList([nn.Linear(6, 8), nn.Linear(8, 8)])
            self.heads = nn.ModuleDict({t: nn.Linear(8, 1) for t in ("age", "income")})
            self.scales = nn.ParameterList([nn.Parameter(cr.ones(1)) for _ in range(2)])
            self.register_buffer("calls", cr.zeros((), dtype=cr.long))

        def forward(self, x):
            for layer in self.trunk:
                x = cr.relu(layer(x))
            self.calls += 1  # a buffer counted in place on every forward, replays included
            return {k: h(x) * s for (k, h), s in zip(self.heads.items(), self.scales)}

    model = Counted()
    init_from_numpy(cr, model, seed=11)
    rng = np.random.default_rng(11)
    X = cr.from_numpy(rng.standard_normal((32, 6)).astype(np.float32))
    targets = {k: cr.from_numpy(rng.standard_normal((32, 1)).astype(np.float32)) for k in "ab"}
    optimizer = cr.optim.RMSprop(model.parameters(), lr=1e-2)

    def step(x, ta, tb):
        preds = model(x)
        loss = F.mse_loss(preds["age"], ta) + F.mse_loss(preds["income"], tb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    run = _Steps(step, captured)
    return [_bits(run(X, targets["a"], targets["b"])) for _ in range(6)] + _state(model, optimizer)


def _p12_clip_norm_layers(captured):
    X, y = _digits(128)
    model = nn.Sequential(
        nn.Linear(64, 64), nn.BatchNorm1d(64), nn.LeakyReLU(0.1),
        nn.Linear(64, 32), nn.LayerNorm(32), nn.ELU(), nn.Linear(32, 10), nn.LogSoftmax(dim=1),
    )  # fmt: skip
    init_from_numpy(cr, model, seed=12, scale=0.2)
    optimizer = cr.optim.Adam(model.parameters(), lr=3e-3, weight_decay=1e-4)

    def step(x, t):
        optimizer.zero_grad()
        loss = F.nll_loss(model(x), t)
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        nn.utils.clip_grad_value_(model.parameters(), clip_value=0.5)
        optimizer.step()
        return loss, norm  # read after the replay: float(norm) inside would be refused

    run, seen = _Steps(step, captured), []
    for _ in range(8):
        loss, norm = run(X, y)
        seen += [_bits(loss), _bits(norm)]
    return seen + _state(model, optimizer)


def _p14_scratch_gd(captured):
    rng = np.random.default_rng(14)
    x = cr.from_numpy(rng.uniform(0, 1, (100, 1)).astype(np.float32))
    y = 3 * x + 2
    w = cr.tensor([[0.1]], requires_grad=True)
    b = cr.zeros(1, requires_grad=True)

    def step(x, t):
        nonlocal w, b  # the program's `w -= lr * w.grad` at top level, as written
        loss = ((x @ w + b - t) ** 2).mean()
        loss.backward()
        with cr.no_grad():
            w -= 0.5 * w.grad
            b -= 0.5 * b.grad
        w.grad.zero_()
        b.grad.zero_()
        return loss

    run = _Steps(step, captured)
    return [_bits(run(x, y)) for _ in range(20)] + [_bits(w), _bits(b), _bits(w.grad)]


def _p15_distillation_onecycle_inside(captured):
    X, y = _digits(100)
    teacher = nn.Sequential(
        nn.Linear(64, 32), nn.SiLU(), nn.Linear(32, 16), nn.Mish(), nn.Linear(16, 10)
    )
    student = nn.Sequential(nn.Linear(64, 16), nn.ReLU6(), nn.Linear(16, 10))
    init_from_numpy(cr, teacher, seed=15)
    init_from_numpy(cr, student, seed=16)
    teacher.eval()
    for p in teacher.parameters():
        p.requires_grad = False
    optimizer = cr.optim.Adam(student.parameters(), lr=5e-3)
    scheduler = cr.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1e-2, total_steps=12)
    kl = nn.KLDivLoss(reduction="batchmean")

    def step(x, t):
        with cr.no_grad():
            soft = F.softmax(teacher(x) / 3.0, dim=-1)
        logits = student(x)
        loss = 0.7 * kl(F.log_softmax(logits / 3.0, dim=-1), soft) * 9.0
        loss = loss + 0.3 * F.cross_entropy(logits, t)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()  # inside the step: recorded, so it steps on every replay
        return loss

    run = _Steps(step, captured)
    return [_bits(run(X, y)) for _ in range(10)] + _state(student, optimizer)


def _p16_tiny_attention_two_shapes(captured):
    text = "to be or not to be that is the question " * 2
    chars = sorted(set(text))
    data = cr.tensor([chars.index(c) for c in text]).long()
    block = 8
    xs = cr.stack([data[i : i + block] for i in range(len(data) - block)])
    ys = cr.stack([data[i + 1 : i + block + 1] for i in range(len(data) - block)])
    tok, pos = nn.Embedding(len(chars), 16), nn.Embedding(block, 16)
    ln, attn = nn.LayerNorm(16), nn.MultiheadAttention(16, 2, batch_first=True)
    head = nn.Linear(16, len(chars))
    model = nn.ModuleList([tok, pos, ln, attn, head])
    init_from_numpy(cr, model, seed=16, scale=0.2)
    mask = cr.triu(cr.ones(block, block, dtype=cr.bool), diagonal=1)
    optimizer = cr.optim.AdamW(model.parameters(), lr=3e-3)

    def step(x, t):
        h = tok(x) + pos(cr.arange(block))
        a, _ = attn(ln(h), ln(h), ln(h), attn_mask=mask, need_weights=False)
        loss = F.cross_entropy(head(h + a).view(-1, len(chars)), t.view(-1))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss

    run, losses = _Steps(step, captured), []
    for _ in range(3):  # 72 windows: batches of 32, 32 and 8, so two graphs
        losses += [_bits(run(xs[i : i + 32], ys[i : i + 32])) for i in range(0, len(xs), 32)]
    return losses + _state(model, optimizer)


def _p17_lstm_grucell_two_shapes(captured):
    rng = np.random.default_rng(17)
    t = np.arange(100, dtype=np.float32) * 0.15
    wave = np.sin(t) + 0.05 * rng.standard_normal(t.shape).astype(np.float32)
    X = cr.tensor(np.stack([wave[i : i + 12] for i in range(88)])).unsqueeze(-1)
    Y = cr.tensor(wave[12:]).unsqueeze(-1)

    class Forecaster(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(1, 16, num_layers=2, batch_first=True)
            self.cell = nn.GRUCell(16, 16)
            self.head = nn.Linear(16, 1)

        def forward(self, x):
            out, (h_n, _) = self.lstm(x)
            return self.head(cr.tanh(self.cell(out[:, -1, :], h_n[-1])))

    model = Forecaster()
    init_from_numpy(cr, model, seed=17, scale=1 / math.sqrt(16))
    optimizer = cr.optim.Adam(model.parameters(), lr=1e-2)

    def step(x, t):
        loss = F.mse_loss(model(x), t)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
        return loss

    run, losses = _Steps(step, captured), []
    for _ in range(3):  # 88 windows: 64 then 24
        losses += [_bits(run(X[s : s + 64], Y[s : s + 64])) for s in range(0, 88, 64)]
    return losses + _state(model, optimizer)


def test_label_smoothing_is_refused_at_capture_with_a_hint():
    model = nn.Linear(4, 3)
    x, t = cr.ones(5, 4), cr.tensor([0, 1, 2, 0, 1])
    with pytest.raises(GraphError, match=r"(?s)label smoothing.*Hint: "):
        with cr.graph(cr.CPUGraph()):
            nn.CrossEntropyLoss(label_smoothing=0.1)(model(x), t).backward()


def test_p14_autograd_grad_and_data_updates_replay_or_refuse():
    """p14's second loop: ``autograd.grad`` then ``w.data -= lr * g`` and ``b.data.sub_``."""
    x = cr.from_numpy(np.random.default_rng(14).uniform(0, 1, (50, 1)).astype(np.float32))
    results = []
    for captured in (False, True):
        w = cr.full((1, 1), 0.1, requires_grad=True)
        b = cr.zeros(1, requires_grad=True)

        def step(x, t, w=w, b=b):
            loss = cr.mean((x.mm(w) + b - t).pow(2))
            grad_w, grad_b = cr.autograd.grad(loss, [w, b])
            w.data -= 0.5 * grad_w
            b.data.sub_(0.5 * grad_b)
            return loss

        run = _Steps(step, captured)
        results.append([_bits(run(x, 3 * x + 2)) for _ in range(8)] + [_bits(w), _bits(b)])
    assert results[0] == results[1]


CASES = [v for k, v in sorted(globals().items()) if k.startswith("_p") and callable(v)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__[1:])
def test_program_loop_captured_is_bit_identical_to_eager(case):
    _same(case)
