"""Programs p18-p41 rewritten the way a CUDA-graph user writes them, as test_programs_captured.py
does for p01-p17 (its ``_Steps`` helper: warm-up steps, static inputs fed by ``copy_``, one graph
per batch shape): losses, parameters, buffers, ``.grad`` and optimizer state must match the
same loop run eagerly bit for bit, or the capture must refuse with a clear error.

Programs not here: p20, p27, p29, p32-p34 and p39 (no training loop the others do not cover,
or none at all: initialisation, metrics, hooks on one batch, closed-form linear algebra);
p25's weighted cross-entropy and its ignored labels are refused at capture (tests at the end).
"""

from __future__ import annotations

import os
import tempfile

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.errors import GraphError
from chainrule.nn import functional as F
from tests.programs._weights import init_from_numpy
from tests.programs.p35_unet_autoencoder import tiny_unet
from tests.programs.test_programs_captured import _bits, _same, _state, _Steps

sklearn_datasets = pytest.importorskip("sklearn.datasets")


def _standard(X):
    return cr.tensor(((X - X.mean(0)) / X.std(0)).astype(np.float32))


def _train_step(model, optimizer, criterion):
    def step(x, t):
        optimizer.zero_grad()
        loss = criterion(model(x), t)
        loss.backward()
        optimizer.step()
        return loss

    return step


def _p18_shuffled_dataset_accumulated_backward(captured):
    X, y = sklearn_datasets.load_wine(return_X_y=True)
    X, y = _standard(X), cr.tensor(y).long()

    class WineDataset(cr.utils.data.Dataset):
        def __getitem__(self, index):
            return X[index], y[index], index

        def __len__(self):
            return len(X)

    loader = cr.utils.data.DataLoader(WineDataset(), batch_size=16, shuffle=True, generator=0)
    model = nn.Sequential(nn.Linear(13, 16), nn.Tanh(), nn.Linear(16, 3))
    init_from_numpy(cr, model, seed=18)
    criterion = nn.CrossEntropyLoss(reduction="sum")
    optimizer = cr.optim.SGD(model.parameters(), lr=0.01, momentum=0.5)

    def backward_only(features, labels):  # the backward alone: it adds into .grad
        loss = criterion(model(features), labels) / len(X)
        loss.backward()
        return loss

    run, seen = _Steps(backward_only, captured), []
    for _ in range(5):
        optimizer.zero_grad()
        for features, labels, idx in loader:  # 11 batches of 16, then 2: two graphs
            seen += [_bits(run(features, labels)), _bits(idx)]
        optimizer.step()  # once per epoch, outside the graphs
    return seen + _state(model, optimizer)


def _p19_adamw_decay_groups_onecycle_per_batch(captured):
    X, y = sklearn_datasets.load_breast_cancer(return_X_y=True)
    X, y = _standard(X)[:448], cr.tensor(y[:448].astype(np.float32)).unsqueeze(1)
    model = nn.Sequential(nn.Linear(30, 32), nn.LayerNorm(32), nn.GELU(), nn.Linear(32, 1))
    init_from_numpy(cr, model, seed=19, scale=0.1)
    decay = [p for n, p in model.named_parameters() if n.endswith("weight") and n[0] != "1"]
    no_decay = [p for n, p in model.named_parameters() if not any(p is q for q in decay)]
    optimizer = cr.optim.AdamW(
        [{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
        lr=1e-3,
        betas=(0.9, 0.98),
        eps=1e-6,
    )
    scheduler = cr.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=1e-2, epochs=4, steps_per_epoch=7, pct_start=0.25
    )
    train = _train_step(model, optimizer, nn.BCEWithLogitsLoss())

    def step(x, t):
        loss = train(x, t)
        scheduler.step()  # per batch, inside the step: a replay steps it too
        return loss

    run, seen = _Steps(step, captured), []
    for _ in range(4):
        for s in range(0, 448, 64):
            seen.append(_bits(run(X[s : s + 64], y[s : s + 64])))
            seen.append(repr(optimizer.param_groups[0]["lr"]))
    return seen + _state(model, optimizer)


def _diabetes_run(make_optimizer, criterion, captured):
    X, y = sklearn_datasets.load_diabetes(return_X_y=True)
    X = cr.tensor((X * 10).astype(np.float32))[:350]
    y = cr.tensor(((y - y.mean()) / y.std()).astype(np.float32)).view(-1, 1)[:350]
    model = nn.Sequential(nn.Linear(10, 32), nn.LeakyReLU(0.01), nn.Linear(32, 1))
    init_from_numpy(cr, model, seed=21, scale=0.2)
    optimizer = make_optimizer(model.parameters())
    scheduler = cr.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / 5))
    run, seen = _Steps(_train_step(model, optimizer, criterion), captured), []
    for step in range(30):
        seen.append(_bits(run(X, y)))
        scheduler.step()  # between replays, as is the hand edit below
        if step == 20:
            for group in optimizer.param_groups:
                group["lr"] *= 0.5
    return seen + _state(model, optimizer)


def _p21_rmsprop_centered_momentum_smoothl1(captured):
    def make(p):
        return cr.optim.RMSprop(p, lr=1e-3, alpha=0.9, momentum=0.9, centered=True)

    return _diabetes_run(make, nn.SmoothL1Loss(beta=0.5), captured)


def _p21_adagrad_lr_decay_huber(captured):
    def make(p):
        return cr.optim.Adagrad(p, lr=0.05, lr_decay=1e-3, initial_accumulator_value=0.1)

    return _diabetes_run(make, nn.HuberLoss(delta=1.0), captured)


def _p22_embedding_padding_idx_masked_mean(captured):
    rng = np.random.default_rng(22)
    ids = rng.integers(1, 20, (32, 6))
    ids[np.arange(6)[None, :] >= rng.integers(1, 7, 32)[:, None]] = 0  # padded rows, per batch
    ids = cr.from_numpy(ids)
    targets = F.one_hot(cr.from_numpy(rng.integers(0, 2, 32)), num_classes=2).float()

    class BagOfWords(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.Embedding(20, 8, padding_idx=0)
            self.fc = nn.Linear(8, 2)

        def forward(self, ids):
            mask = (ids != 0).unsqueeze(-1).float()
            summed = (self.embedding(ids) * mask).sum(dim=1)
            return self.fc(summed / mask.sum(dim=1).clamp(min=1))

    model = BagOfWords()
    init_from_numpy(cr, model, seed=22)
    optimizer = cr.optim.Adam(model.parameters(), lr=0.05)
    run = _Steps(_train_step(model, optimizer, F.binary_cross_entropy_with_logits), captured)
    losses = [_bits(run(ids[s : s + 16], targets[s : s + 16])) for _ in range(8) for s in (0, 16)]
    return losses + _state(model, optimizer)


def _signals(n=96, length=32):
    rng = np.random.default_rng(23)
    t = np.linspace(0, 1, length)
    X = np.stack([np.sin(2 * np.pi * rng.uniform(2, 4) * t + i) for i in range(n)])
    X = X + 0.1 * rng.standard_normal(X.shape)
    return cr.from_numpy(X.astype(np.float32)), cr.from_numpy(np.arange(n) % 3)


def _p23_conv1d_maxpool1d_adaptive_pool(captured):
    X, y = _signals()
    model = nn.Sequential(
        nn.Conv1d(1, 8, kernel_size=5, padding=2), nn.ReLU(), nn.MaxPool1d(2),
        nn.Conv1d(8, 16, kernel_size=3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
        nn.Flatten(), nn.Linear(16, 3),
    )  # fmt: skip
    init_from_numpy(cr, model, seed=23, scale=0.3)
    optimizer = cr.optim.Adam(model.parameters(), lr=1e-2)
    run = _Steps(_train_step(model, optimizer, nn.CrossEntropyLoss()), captured)
    pairs = list(zip(X.unsqueeze(1).split(40), y.split(40)))  # 40, 40 and 16: two graphs
    losses = [_bits(run(xb, yb)) for _ in range(4) for xb, yb in pairs]
    return losses + _state(model, optimizer)


def _p23_bidirectional_gru_last_states(captured):
    X, y = _signals(64, 12)

    class GRUNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.gru = nn.GRU(1, 6, batch_first=True, bidirectional=True)
            self.fc = nn.Linear(12, 3)

        def forward(self, x):
            _, h_n = self.gru(x)
            return self.fc(cr.cat([h_n[-2], h_n[-1]], dim=1))

    model = GRUNet()
    init_from_numpy(cr, model, seed=23, scale=0.3)
    optimizer = cr.optim.Adam(model.parameters(), lr=1e-2)
    run = _Steps(_train_step(model, optimizer, nn.CrossEntropyLoss()), captured)
    pairs = list(zip(X.unsqueeze(-1).split(32), y.split(32)))
    losses = [_bits(run(xb, yb)) for _ in range(3) for xb, yb in pairs]
    return losses + _state(model, optimizer)


def _p24_conv2d_batchnorm2d_inplace_relu(captured):
    digits = sklearn_datasets.load_digits()
    images = cr.tensor(digits.images[:160] / 16.0, dtype=cr.float32).unsqueeze(1)
    labels = cr.tensor(digits.target[:160]).long()

    def block(c_in, c_out):
        return nn.Sequential(
            nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out),
            nn.ReLU(inplace=True),
        )  # fmt: skip

    model = nn.Sequential(
        block(1, 4), nn.MaxPool2d(2, 2), block(4, 8), nn.AdaptiveAvgPool2d((1, 1)),
        nn.Flatten(), nn.Dropout(p=0.0), nn.Linear(8, 10),
    )  # fmt: skip
    init_from_numpy(cr, model, seed=24, scale=0.3)
    optimizer = cr.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)

    def step(x, t):
        model.train()
        optimizer.zero_grad()
        outputs = model(x)
        loss = F.cross_entropy(outputs, t)
        loss.backward()
        optimizer.step()
        return loss, (outputs.argmax(1) == t).sum()  # counted after the replay

    run, seen = _Steps(step, captured), []
    for _ in range(3):
        for s in range(0, 160, 64):  # 64, 64 and 32
            loss, correct = run(images[s : s + 64], labels[s : s + 64])
            seen += [_bits(loss), _bits(correct)]
        model.eval()
        with cr.no_grad():
            seen.append(_bits(model(images[:16])))
    return seen + _state(model, optimizer)


def _focal(logits, target, gamma=2.0, alpha=0.25):
    log_pt = F.log_softmax(logits, dim=-1).gather(1, target.unsqueeze(1)).squeeze(1)
    return (-alpha * (1 - log_pt.exp()).pow(gamma) * log_pt).mean()


def _dice(logits, target, eps=1.0):
    probs = cr.softmax(logits, dim=1)
    onehot = F.one_hot(target, probs.shape[1]).float()
    inter = (probs * onehot).sum(0)
    return 1 - ((2 * inter + eps) / (probs.sum(0) + onehot.sum(0) + eps)).mean()


def _smoothed(logits, target, smoothing=0.1):
    log_p = F.log_softmax(logits, dim=-1)
    return (1 - smoothing) * F.nll_loss(log_p, target) - smoothing * log_p.mean(dim=-1).mean()


def _hinge(logits, target):
    margins = cr.clamp(logits - logits.gather(1, target.view(-1, 1)) + 1.0, min=0)
    return margins.masked_fill(F.one_hot(target, 3).bool(), 0.0).sum(dim=1).mean()


def _where_ignored(logits, target):
    target = cr.where(target == 1, cr.full_like(target, -100), target)
    return F.cross_entropy(logits, target, ignore_index=-100)


def _p25_custom_losses(captured):
    X, y = sklearn_datasets.load_iris(return_X_y=True)
    X, y = _standard(X), cr.tensor(y)
    order = cr.from_numpy(np.random.default_rng(25).permutation(150))
    X, y = X[order], y[order]  # batches of 50 that differ in their classes
    seen = []
    for loss_fn in (_focal, _dice, _smoothed, _hinge):
        model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
        init_from_numpy(cr, model, seed=25)
        if loss_fn is _hinge:
            optimizer = cr.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        else:
            optimizer = cr.optim.Adam(model.parameters(), lr=0.02)
        run = _Steps(_train_step(model, optimizer, loss_fn), captured)
        seen += [_bits(run(X[s : s + 50], y[s : s + 50])) for _ in range(5) for s in (0, 50, 100)]
        seen += _state(model, optimizer)
    return seen


def _p26_checkpoint_resume_mid_run(captured):
    X, y = sklearn_datasets.load_wine(return_X_y=True)
    X, y = _standard(X), cr.tensor(y)

    def make():
        model = nn.Sequential(nn.Linear(13, 24), nn.BatchNorm1d(24), nn.ReLU(), nn.Linear(24, 3))
        init_from_numpy(cr, model, seed=26)
        optimizer = cr.optim.Adam(model.parameters(), lr=1e-2, weight_decay=1e-4)
        scheduler = cr.optim.lr_scheduler.StepLR(optimizer, step_size=3, gamma=0.5)
        step = _Steps(_train_step(model, optimizer, F.cross_entropy), captured)
        return model, optimizer, scheduler, step

    def epochs(n, model, optimizer, scheduler, run):
        losses = []
        for _ in range(n):
            losses += [_bits(run(xb, yb)) for xb, yb in zip(X.split(45), y.split(45))]
            scheduler.step()
        return losses

    model, optimizer, scheduler, run = make()
    seen = epochs(4, model, optimizer, scheduler, run)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "checkpoint.pth")
        cr.save(
            {"model": model.state_dict(), "optimizer": optimizer.state_dict(),
             "scheduler": scheduler.state_dict()},
            path,
        )  # fmt: skip
        checkpoint = cr.load(path)
    seen += epochs(1, model, optimizer, scheduler, run)  # the captured objects go on
    fresh = make()  # resumed into fresh objects: new graphs, captured after their warm-up
    fresh[0].load_state_dict(checkpoint["model"])
    fresh[1].load_state_dict(checkpoint["optimizer"])
    fresh[2].load_state_dict(checkpoint["scheduler"])
    seen += epochs(3, *fresh)
    # and back into the first, captured, objects: their graphs must replay from the checkpoint
    model.load_state_dict(checkpoint["model"])
    optimizer.load_state_dict(checkpoint["optimizer"])
    scheduler.load_state_dict(checkpoint["scheduler"])
    seen += epochs(3, model, optimizer, scheduler, run)
    return seen + _state(fresh[0], fresh[1]) + _state(model, optimizer)


def _p28_dropout_batchnorm_train_eval(captured):
    X, y = sklearn_datasets.load_breast_cancer(return_X_y=True)
    X, y = _standard(X), cr.tensor(y.astype(np.float32))
    cr.manual_seed(28)  # dropout's masks come from the global generator, replays included
    model = nn.Sequential(
        nn.Linear(30, 32), nn.BatchNorm1d(32, momentum=0.2), nn.ReLU(), nn.Dropout(0.3),
        nn.Linear(32, 1), nn.Flatten(0),
    )  # fmt: skip
    init_from_numpy(cr, model, seed=28, scale=0.2)
    optimizer = cr.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    train = _train_step(model, optimizer, nn.BCEWithLogitsLoss())

    def step(x, t):
        model.train()
        return train(x, t)

    run, seen = _Steps(step, captured), []
    for _ in range(4):
        seen += [_bits(run(xb, yb)) for xb, yb in zip(X.split(128), y.split(128))]
        model.eval()  # eval between replays: deterministic, reads the replayed running stats
        with cr.no_grad():
            seen.append(_bits(model(X[:64])))
    return seen + _state(model, optimizer)


def _p30_concat_dataset_weighted_sampler(captured):
    data = cr.utils.data
    X, y = sklearn_datasets.load_iris(return_X_y=True)
    full = data.TensorDataset(_standard(X), cr.tensor(y).long())
    rest = data.Subset(full, [i for i in range(150) if i % 5])
    extra = data.TensorDataset(_standard(X)[:10] * 1.01, cr.tensor(y[:10]).long())
    train = data.ConcatDataset([rest, extra])
    sampler = data.WeightedRandomSampler(
        [1.0 + (i % 3) for i in range(len(train))], num_samples=100, generator=0
    )
    loader = data.DataLoader(train, batch_size=32, sampler=sampler)  # 32, 32, 32 and 4
    model = nn.Sequential(nn.Linear(4, 12), nn.ReLU(), nn.Linear(12, 3))
    init_from_numpy(cr, model, seed=30)
    optimizer = cr.optim.SGD(model.parameters(), lr=0.1)
    run = _Steps(_train_step(model, optimizer, nn.CrossEntropyLoss()), captured)
    losses = [_bits(run(xb, yb)) for _ in range(4) for xb, yb in loader]
    return losses + _state(model, optimizer)


def _p31_plateau_and_chained_between_replays(captured):
    X, y = sklearn_datasets.load_diabetes(return_X_y=True)
    X = _standard(X)
    y = cr.tensor(((y - y.mean()) / y.std()).astype(np.float32)).unsqueeze(1)
    model = nn.Sequential(nn.Linear(10, 8), nn.Tanh(), nn.Linear(8, 1))
    init_from_numpy(cr, model, seed=31)
    optimizer = cr.optim.Adam(model.parameters(), lr=0.05)
    sched = cr.optim.lr_scheduler
    plateau = sched.ReduceLROnPlateau(optimizer, factor=0.5, patience=2, min_lr=1e-4)
    chained = sched.ChainedScheduler(
        [sched.ConstantLR(optimizer, factor=0.5, total_iters=3),
         sched.ExponentialLR(optimizer, gamma=0.95)]
    )  # fmt: skip
    train = _train_step(model, optimizer, F.mse_loss)

    def step(x, t):
        model.train()
        return train(x, t)

    run, seen = _Steps(step, captured), []
    for _ in range(30):
        seen.append(_bits(run(X[:300], y[:300])))
        model.eval()
        with cr.no_grad():
            val = F.mse_loss(model(X[300:]), y[300:]).item()
        chained.step()
        plateau.step(val)  # a Python number read between replays, as torch's users do
        seen.append(repr(optimizer.param_groups[0]["lr"]))
    return seen + [repr(plateau.best), plateau.num_bad_epochs] + _state(model, optimizer)


def _p35_unet_interpolate_upsample(captured):
    digits = sklearn_datasets.load_digits()
    clean = cr.tensor(digits.images[:96] / 16.0, dtype=cr.float32).unsqueeze(1)
    noise = np.random.default_rng(35).normal(0, 0.2, size=(96, 1, 8, 8)).astype(np.float32)
    noisy = (clean + cr.from_numpy(noise)).clamp(0, 1)

    model = tiny_unet(cr)  # p35's model
    init_from_numpy(cr, model, seed=35, scale=0.2)
    optimizer = cr.optim.Adam(model.parameters(), lr=1e-2)
    run = _Steps(_train_step(model, optimizer, F.mse_loss), captured)
    losses = [
        _bits(run(noisy[s : s + 32], clean[s : s + 32])) for _ in range(3) for s in (0, 32, 64)
    ]
    return losses + _state(model, optimizer)


def _p36_transformer_encoder_key_padding(captured):
    rng = np.random.default_rng(36)
    tokens = np.zeros((64, 10), dtype=np.int64)
    for i, length in enumerate(rng.integers(3, 11, size=64)):
        tokens[i, :length] = rng.integers(1, 12, size=length)
    labels = cr.from_numpy((tokens == 7).any(axis=1).astype(np.int64))
    tokens = cr.from_numpy(tokens)

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(12, 16, padding_idx=0)
            self.position = nn.Parameter(cr.zeros(1, 10, 16))
            self.encoder = nn.TransformerEncoderLayer(
                16, nhead=2, dim_feedforward=32, dropout=0.0, batch_first=True
            )
            self.head = nn.Linear(16, 2)

        def forward(self, x):
            pad = x == 0  # computed in the step: follows each batch
            h = self.encoder(
                self.embed(x) + self.position[:, : x.shape[1]], src_key_padding_mask=pad
            )
            keep = (~pad).unsqueeze(-1).float()
            return self.head((h * keep).sum(1) / keep.sum(1))

    model = Classifier()
    init_from_numpy(cr, model, seed=36, scale=0.2)
    optimizer = cr.optim.AdamW(model.parameters(), lr=5e-3)
    run = _Steps(_train_step(model, optimizer, F.cross_entropy), captured)
    losses = [_bits(run(tokens[s : s + 32], labels[s : s + 32])) for _ in range(4) for s in (0, 32)]
    return losses + _state(model, optimizer)


def _p37_char_lstm_tbptt_clip(captured):
    text = "the quick brown fox jumps over the lazy dog. to be or not to be. " * 2
    chars = sorted(set(text))
    data = cr.tensor([chars.index(c) for c in text]).long()
    usable = (len(data) - 1) // 32 * 32
    inputs, targets = data[:usable].view(4, -1), data[1 : usable + 1].view(4, -1)
    embed, lstm = nn.Embedding(len(chars), 8), nn.LSTM(8, 12, num_layers=2, batch_first=True)
    out = nn.Linear(12, len(chars))
    model = nn.ModuleList([embed, lstm, out])
    init_from_numpy(cr, model, seed=37, scale=0.2)
    optimizer = cr.optim.Adam(model.parameters(), lr=1e-2)

    def step(x, t, *state):
        h, new_state = lstm(embed(x), state or None)
        loss = F.cross_entropy(out(h).reshape(-1, len(chars)), t.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
        return loss, norm, tuple(s.detach() for s in new_state)

    first, later = _Steps(step, captured), _Steps(step, captured)  # no state, then a state in
    seen = []
    for _ in range(3):
        state = ()
        for s in range(0, inputs.shape[1], 8):
            run = later if state else first
            loss, norm, state = run(inputs[:, s : s + 8], targets[:, s : s + 8], *state)
            state = tuple(t.clone() for t in state)  # a replay writes the next state in place
            seen += [_bits(loss), _bits(norm)]
    return seen + _state(model, optimizer)


def _p38_vae_eps_as_static_input(captured):
    X = cr.tensor(sklearn_datasets.load_digits().data[:192] / 16.0, dtype=cr.float32)
    rng = np.random.default_rng(38)
    fc1, fc_mu, fc_logvar = nn.Linear(64, 32), nn.Linear(32, 2), nn.Linear(32, 2)
    fc3, fc4 = nn.Linear(2, 32), nn.Linear(32, 64)
    model = nn.ModuleList([fc1, fc_mu, fc_logvar, fc3, fc4])
    init_from_numpy(cr, model, seed=38, scale=0.2)
    optimizer = cr.optim.Adam(model.parameters(), lr=1e-2)

    def step(x, eps):
        h = F.relu(fc1(x))
        mu, logvar = fc_mu(h), fc_logvar(h)
        recon = cr.sigmoid(fc4(F.relu(fc3(mu + cr.exp(0.5 * logvar) * eps))))
        bce = F.binary_cross_entropy(recon, x, reduction="sum")
        kld = -0.5 * cr.sum(1 + logvar - mu.pow(2) - logvar.exp())
        optimizer.zero_grad()
        (bce + kld).backward()
        optimizer.step()
        return bce, kld

    run, seen = _Steps(step, captured), []
    for _ in range(3):
        for s in range(0, 192, 64):
            eps = cr.from_numpy(rng.standard_normal((64, 2)).astype(np.float32))
            seen += [_bits(v) for v in run(X[s : s + 64], eps)]
    return seen + _state(model, optimizer)


def _p40_gaussian_nll_softplus_variance(captured):
    rng = np.random.default_rng(40)
    x = np.linspace(-3, 3, 128).astype(np.float32)[:, None]
    y = np.sin(x) + (0.1 + 0.3 * np.abs(x)) * rng.standard_normal(x.shape).astype(np.float32)
    x, y = cr.from_numpy(x), cr.from_numpy(y.astype(np.float32))
    body = nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh())
    mean_head, var_head = nn.Linear(16, 1), nn.Linear(16, 1)
    model = nn.ModuleList([body, mean_head, var_head])
    init_from_numpy(cr, model, seed=40)
    optimizer = cr.optim.Adam(model.parameters(), lr=1e-2)
    criterion = nn.GaussianNLLLoss()

    def step(inputs, t):
        h = body(inputs)
        loss = criterion(mean_head(h), t, F.softplus(var_head(h)) + 1e-4)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss

    run = _Steps(step, captured)
    losses = [_bits(run(x[s : s + 64], y[s : s + 64])) for _ in range(6) for s in (0, 64)]
    return losses + _state(model, optimizer)


def _p41_attention_pool_key_padding_mask(captured):
    rng = np.random.default_rng(41)
    x = rng.standard_normal((64, 7, 8)).astype(np.float32)
    pad = np.arange(7)[None, :] >= rng.integers(2, 8, size=64)[:, None]
    x[pad] = 0.0
    labels = cr.from_numpy((x[..., 0].sum(1) > 0).astype(np.int64))
    x, pad = cr.from_numpy(x), cr.from_numpy(pad)
    query = nn.Parameter(cr.zeros(1, 1, 8))
    attn, head = nn.MultiheadAttention(8, num_heads=2, batch_first=True), nn.Linear(8, 2)
    model = nn.ModuleList([attn, head])
    model.query = query
    init_from_numpy(cr, model, seed=41, scale=0.3)
    optimizer = cr.optim.Adam(model.parameters(), lr=1e-2)

    def step(seq, mask, t):  # the mask is a static input, copied in with each batch
        pooled, weights = attn(query.expand(seq.shape[0], -1, -1), seq, seq, key_padding_mask=mask)
        loss = F.cross_entropy(head(pooled.squeeze(1)), t)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        return loss, weights

    run, seen = _Steps(step, captured), []
    for _ in range(4):
        for s in (0, 32):
            loss, weights = run(x[s : s + 32], pad[s : s + 32], labels[s : s + 32])
            seen += [_bits(loss), _bits(weights)]
    return seen + _state(model, optimizer)


def _maximize_all_four(captured):
    """The ``maximize`` option of Adam, AdamW, RMSprop and Adagrad: climbing -loss."""
    X, y = sklearn_datasets.load_iris(return_X_y=True)
    X, y = _standard(X), cr.tensor(y)
    seen = []
    for make in (
        lambda p: cr.optim.Adam(p, lr=1e-2, maximize=True, amsgrad=True),
        lambda p: cr.optim.AdamW(p, lr=1e-2, maximize=True, weight_decay=0.1),
        lambda p: cr.optim.RMSprop(p, lr=1e-3, maximize=True, momentum=0.5, centered=True),
        lambda p: cr.optim.Adagrad(p, lr=0.05, maximize=True, lr_decay=1e-3),
    ):
        model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3))
        init_from_numpy(cr, model, seed=42)
        optimizer = make(model.parameters())
        run = _Steps(_train_step(model, optimizer, lambda z, t: -F.cross_entropy(z, t)), captured)
        seen += [_bits(run(X[s : s + 75], y[s : s + 75])) for _ in range(4) for s in (0, 75)]
        seen += _state(model, optimizer)
    return seen


def test_p25_class_weight_is_refused_at_capture_with_a_hint():
    """p25's weighted cross-entropy: ``weight=`` converts the targets in Python first."""
    model = nn.Linear(4, 3)
    x, t = cr.ones(5, 4), cr.tensor([0, 1, 2, 0, 1])
    with pytest.raises(GraphError, match=r"(?s)class weights.*Hint: "):
        with cr.graph(cr.CPUGraph()):
            F.cross_entropy(model(x), t, weight=cr.tensor([1.0, 2.0, 0.5])).backward()


def test_p25_labels_ignored_in_the_captured_batch_are_refused():
    """p25's ``where(target == 1, -100, target)`` then ``ignore_index=-100``."""
    model = nn.Linear(4, 3)
    x, t = cr.ones(5, 4), cr.tensor([0, 1, 2, 0, 1])
    with pytest.raises(GraphError, match=r"(?s)ignore_index.*Hint: "):
        with cr.graph(cr.CPUGraph()):
            _where_ignored(model(x), t).backward()


def test_p31_plateau_given_a_tensor_inside_the_capture_is_refused():
    w = nn.Parameter(cr.ones(2))
    optimizer = cr.optim.SGD([w], lr=0.1)
    plateau = cr.optim.lr_scheduler.ReduceLROnPlateau(optimizer)
    with pytest.raises(GraphError, match=r"(?s)ReduceLROnPlateau.step.*Hint: "):
        with cr.graph(cr.CPUGraph()):
            loss = (w**2).sum()
            loss.backward()
            optimizer.step()
            plateau.step(loss)


CASES = [v for k, v in sorted(globals().items()) if k.startswith(("_p", "_max")) and callable(v)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__[1:])
def test_program_loop_captured_is_bit_identical_to_eager(case):
    _same(case)
