"""fast.ai's "Deep Learning from the Foundations" (2019 part 2) notebooks 04-07 as written, on
sklearn's digits: DataBunch and Learner, a Runner whose callbacks are found by name
(camel2snake, __getattr__ falling through to the runner, _order sorting), TrainEvalCallback,
AvgStatsCallback with AvgStats accumulating run.loss * bn, a Recorder reading
opt.param_groups[-1]['lr'], ParamScheduler driven by combine_scheds of sched_cos pieces
(torch.cumsum over the percentages, (pos >= pcts).nonzero().max() to pick a piece), the
CancelTrainException an LR_Find raises, BatchTransformXCallback with view_tfm, conv_layer
+ GeneralRelu (leaky_relu, sub_, clamp_max_), init_cnn with kaiming_normal_(a=0.1), Lambda(flatten),
Hook / Hooks on register_forward_hook collecting means, stds and histc(40, 0, 10) of each
layer, get_min from torch.stack(...).t(), and the hand-written BatchNorm (lerp_ of running
means / vars under no_grad) and RunningBatchNorm (detach_ of buffers, new_tensor, debiasing).
The course's shuffled train loader is unshuffled here (the two libraries' shuffles differ) and
the kaiming draws are replaced by numpy draws of the same scale after init_cnn runs."""

import math
import re
from functools import partial

import numpy as np
from sklearn.datasets import load_digits

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    out = {}
    out.update(_callbacks(torch))
    out.update(_hooks_and_batchnorm(torch))
    return out


def listify(o):
    if o is None:
        return []
    if isinstance(o, list):
        return o
    if isinstance(o, str):
        return [o]
    if hasattr(o, "__iter__"):
        return list(o)
    return [o]


_camel_re1 = re.compile("(.)([A-Z][a-z]+)")
_camel_re2 = re.compile("([a-z0-9])([A-Z])")


def camel2snake(name):
    s1 = re.sub(_camel_re1, r"\1_\2", name)
    return re.sub(_camel_re2, r"\1_\2", s1).lower()


class CancelTrainException(Exception):
    pass


class CancelEpochException(Exception):
    pass


class CancelBatchException(Exception):
    pass


def _framework(torch):
    """The course's classes, built against whichever library `torch` is."""
    tensor = torch.tensor

    class Dataset:
        def __init__(self, x, y):
            self.x, self.y = x, y

        def __len__(self):
            return len(self.x)

        def __getitem__(self, i):
            return self.x[i], self.y[i]

    class DataBunch:
        def __init__(self, train_dl, valid_dl, c=None):
            self.train_dl, self.valid_dl, self.c = train_dl, valid_dl, c

        @property
        def train_ds(self):
            return self.train_dl.dataset

        @property
        def valid_ds(self):
            return self.valid_dl.dataset

    class Learner:
        def __init__(self, model, opt, loss_func, data):
            self.model, self.opt, self.loss_func, self.data = model, opt, loss_func, data

    class Callback:
        _order = 0

        def set_runner(self, run):
            self.run = run

        def __getattr__(self, k):
            return getattr(self.run, k)

        @property
        def name(self):
            name = re.sub(r"Callback$", "", self.__class__.__name__)
            return camel2snake(name or "callback")

        def __call__(self, cb_name):
            f = getattr(self, cb_name, None)
            if f and f():
                return True
            return False

    class TrainEvalCallback(Callback):
        def begin_fit(self):
            self.run.n_epochs = 0.0
            self.run.n_iter = 0

        def after_batch(self):
            if not self.in_train:
                return
            self.run.n_epochs += 1.0 / self.iters
            self.run.n_iter += 1

        def begin_epoch(self):
            self.run.n_epochs = self.epoch
            self.model.train()
            self.run.in_train = True

        def begin_validate(self):
            self.model.eval()
            self.run.in_train = False

    class Runner:
        def __init__(self, cbs=None, cb_funcs=None):
            cbs = listify(cbs)
            for cbf in listify(cb_funcs):
                cb = cbf()
                setattr(self, cb.name, cb)
                cbs.append(cb)
            self.stop, self.cbs = False, [TrainEvalCallback()] + cbs

        @property
        def opt(self):
            return self.learn.opt

        @property
        def model(self):
            return self.learn.model

        @property
        def loss_func(self):
            return self.learn.loss_func

        @property
        def data(self):
            return self.learn.data

        def one_batch(self, xb, yb):
            try:
                self.xb, self.yb = xb, yb
                self("begin_batch")
                self.pred = self.model(self.xb)
                self("after_pred")
                self.loss = self.loss_func(self.pred, self.yb)
                self("after_loss")
                if not self.in_train:
                    return
                self.loss.backward()
                self("after_backward")
                self.opt.step()
                self("after_step")
                self.opt.zero_grad()
            except CancelBatchException:
                self("after_cancel_batch")
            finally:
                self("after_batch")

        def all_batches(self, dl):
            self.iters = len(dl)
            try:
                for xb, yb in dl:
                    self.one_batch(xb, yb)
            except CancelEpochException:
                self("after_cancel_epoch")

        def fit(self, epochs, learn):
            self.epochs, self.learn, self.loss = epochs, learn, tensor(0.0)
            try:
                for cb in self.cbs:
                    cb.set_runner(self)
                self("begin_fit")
                for epoch in range(epochs):
                    self.epoch = epoch
                    if not self("begin_epoch"):
                        self.all_batches(self.data.train_dl)
                    with torch.no_grad():
                        if not self("begin_validate"):
                            self.all_batches(self.data.valid_dl)
                    self("after_epoch")
            except CancelTrainException:
                self("after_cancel_train")
            finally:
                self("after_fit")
                self.learn = None

        def __call__(self, cb_name):
            res = False
            for cb in sorted(self.cbs, key=lambda x: x._order):
                res = cb(cb_name) or res
            return res

    class AvgStats:
        def __init__(self, metrics, in_train):
            self.metrics, self.in_train = listify(metrics), in_train

        def reset(self):
            self.tot_loss, self.count = 0.0, 0
            self.tot_mets = [0.0] * len(self.metrics)

        @property
        def all_stats(self):
            return [self.tot_loss.item()] + self.tot_mets

        @property
        def avg_stats(self):
            return [o / self.count for o in self.all_stats]

        def __repr__(self):
            if not self.count:
                return ""
            return f"{'train' if self.in_train else 'valid'}: {self.avg_stats}"

        def accumulate(self, run):
            bn = run.xb.shape[0]
            self.tot_loss += run.loss * bn
            self.count += bn
            for i, m in enumerate(self.metrics):
                self.tot_mets[i] += m(run.pred, run.yb) * bn

    class AvgStatsCallback(Callback):
        def __init__(self, metrics):
            self.train_stats, self.valid_stats = AvgStats(metrics, True), AvgStats(metrics, False)
            self.log = []

        def begin_epoch(self):
            self.train_stats.reset()
            self.valid_stats.reset()

        def after_loss(self):
            stats = self.train_stats if self.in_train else self.valid_stats
            with torch.no_grad():
                stats.accumulate(self.run)

        def after_epoch(self):
            self.log.append([float(v) for v in self.train_stats.avg_stats])
            self.log.append([float(v) for v in self.valid_stats.avg_stats])

    class Recorder(Callback):
        def begin_fit(self):
            self.lrs, self.losses = [], []

        def after_batch(self):
            if not self.in_train:
                return
            self.lrs.append(self.opt.param_groups[-1]["lr"])
            self.losses.append(self.loss.detach().cpu())

    class ParamScheduler(Callback):
        _order = 1

        def __init__(self, pname, sched_func):
            self.pname, self.sched_func = pname, sched_func

        def set_param(self):
            for pg in self.opt.param_groups:
                pg[self.pname] = self.sched_func(self.n_epochs / self.epochs)

        def begin_batch(self):
            if self.in_train:
                self.set_param()

    class LR_Find(Callback):
        _order = 1

        def __init__(self, max_iter=100, min_lr=1e-6, max_lr=10):
            self.max_iter, self.min_lr, self.max_lr = max_iter, min_lr, max_lr
            self.best_loss = 1e9

        def begin_batch(self):
            if not self.in_train:
                return
            pos = self.n_iter / self.max_iter
            lr = self.min_lr * (self.max_lr / self.min_lr) ** pos
            for pg in self.opt.param_groups:
                pg["lr"] = lr

        def after_step(self):
            if self.n_iter >= self.max_iter or self.loss > self.best_loss * 10:
                raise CancelTrainException()
            if self.loss < self.best_loss:
                self.best_loss = self.loss

    class BatchTransformXCallback(Callback):
        _order = 2

        def __init__(self, tfm):
            self.tfm = tfm

        def begin_batch(self):
            self.run.xb = self.tfm(self.xb)

    return dict(
        Dataset=Dataset,
        DataBunch=DataBunch,
        Learner=Learner,
        Runner=Runner,
        AvgStatsCallback=AvgStatsCallback,
        Recorder=Recorder,
        ParamScheduler=ParamScheduler,
        LR_Find=LR_Find,
        BatchTransformXCallback=BatchTransformXCallback,
    )


def annealer(f):
    def _inner(start, end):
        return partial(f, start, end)

    return _inner


@annealer
def sched_lin(start, end, pos):
    return start + pos * (end - start)


@annealer
def sched_cos(start, end, pos):
    return start + (1 + math.cos(math.pi * (1 - pos))) * (end - start) / 2


def _combine_scheds(torch):
    def combine_scheds(pcts, scheds):
        assert sum(pcts) == 1.0
        pcts = torch.tensor([0] + listify(pcts))
        assert torch.all(pcts >= 0)
        pcts = torch.cumsum(pcts, 0)

        def _inner(pos):
            idx = (pos >= pcts).nonzero().max()
            actual_pos = (pos - pcts[idx]) / (pcts[idx + 1] - pcts[idx])
            return scheds[idx](actual_pos)

        return _inner

    return combine_scheds


def _data(torch, fw, bs=64):
    digits = load_digits()
    x = digits.data.astype(np.float32) / 16.0
    y = digits.target.astype(np.int64)
    x_train, y_train, x_valid, y_valid = map(
        torch.tensor, (x[:640], y[:640], x[640:900], y[640:900])
    )
    train_mean, train_std = x_train.mean(), x_train.std()
    x_train = (x_train - train_mean) / train_std
    x_valid = (x_valid - train_mean) / train_std
    DataLoader = torch.utils.data.DataLoader
    train_ds, valid_ds = fw["Dataset"](x_train, y_train), fw["Dataset"](x_valid, y_valid)
    c = int(y_train.max().item()) + 1
    return fw["DataBunch"](
        DataLoader(train_ds, batch_size=bs, shuffle=False),
        DataLoader(valid_ds, batch_size=bs * 2),
        c,
    )


def accuracy(out, yb):
    return (out.argmax(dim=1) == yb).float().mean()


def _numpy_weights(torch, model, seed):
    """Kaiming-scaled normal weights from numpy, so both libraries start the same."""
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias") or name.endswith("adds"):
                p.zero_()
            elif name.endswith("mults"):
                p.fill_(1.0)
            else:
                fan_in = int(np.prod(p.shape[1:]))
                std = math.sqrt(2.0 / (1 + 0.1**2) / fan_in)
                draw = rng.normal(0.0, std, tuple(p.shape)).astype(np.float32)
                p.copy_(torch.from_numpy(draw))


def _callbacks(torch):
    nn, optim = torch.nn, torch.optim
    fw = _framework(torch)
    data = _data(torch, fw)
    combine_scheds = _combine_scheds(torch)

    def get_model(data, lr=0.5, nh=50):
        m = data.train_ds.x.shape[1]
        model = nn.Sequential(nn.Linear(m, nh), nn.ReLU(), nn.Linear(nh, data.c))
        return model, optim.SGD(model.parameters(), lr=lr)

    def get_learner(model_func, loss_func, data):
        return fw["Learner"](*model_func(data), loss_func, data)

    out = {}
    learn = get_learner(get_model, nn.functional.cross_entropy, data)
    _numpy_weights(torch, learn.model, 0)
    sched = combine_scheds([0.3, 0.7], [sched_cos(0.3, 0.6), sched_cos(0.6, 0.2)])
    stats = partial(fw["AvgStatsCallback"], accuracy)
    run = fw["Runner"](cb_funcs=[fw["Recorder"], partial(fw["ParamScheduler"], "lr", sched), stats])
    run.fit(3, learn)
    out["cb_names"] = sorted(cb.name for cb in run.cbs)
    out["avg_stats"] = run.avg_stats.log
    out["recorded_lrs"] = [float(lr) for lr in run.recorder.lrs]
    out["recorded_losses"] = [float(v) for v in run.recorder.losses]
    out["n_epochs_at_end"] = float(run.n_epochs)
    out["sched_points"] = [float(sched(p)) for p in (0.0, 0.15, 0.3, 0.31, 0.8, 0.99)]
    out["sched_lin"] = [sched_lin(1.0, 2.0)(0.25)]

    learn = get_learner(get_model, nn.functional.cross_entropy, data)
    _numpy_weights(torch, learn.model, 1)
    run = fw["Runner"](cb_funcs=[partial(fw["LR_Find"], max_iter=40), fw["Recorder"]])
    run.fit(4, learn)
    out["lr_find_iters"] = run.n_iter
    out["lr_find_lrs"] = [float(lr) for lr in run.recorder.lrs]
    return out


def _hooks_and_batchnorm(torch):
    nn, optim, F, init = torch.nn, torch.optim, torch.nn.functional, torch.nn.init
    fw = _framework(torch)
    data = _data(torch, fw)

    class Lambda(nn.Module):
        def __init__(self, func):
            super().__init__()
            self.func = func

        def forward(self, x):
            return self.func(x)

    def flatten(x):
        return x.view(x.shape[0], -1)

    def view_tfm(*size):
        def _inner(x):
            return x.view(*((-1,) + size))

        return _inner

    class GeneralRelu(nn.Module):
        def __init__(self, leak=None, sub=None, maxv=None):
            super().__init__()
            self.leak, self.sub, self.maxv = leak, sub, maxv

        def forward(self, x):
            x = F.leaky_relu(x, self.leak) if self.leak is not None else F.relu(x)
            if self.sub is not None:
                x.sub_(self.sub)
            if self.maxv is not None:
                x.clamp_max_(self.maxv)
            return x

    class BatchNorm(nn.Module):
        def __init__(self, nf, mom=0.1, eps=1e-5):
            super().__init__()
            self.mom, self.eps = mom, eps
            self.mults = nn.Parameter(torch.ones(nf, 1, 1))
            self.adds = nn.Parameter(torch.zeros(nf, 1, 1))
            self.register_buffer("vars", torch.ones(1, nf, 1, 1))
            self.register_buffer("means", torch.zeros(1, nf, 1, 1))

        def update_stats(self, x):
            m = x.mean((0, 2, 3), keepdim=True)
            v = x.var((0, 2, 3), keepdim=True)
            self.means.lerp_(m, self.mom)
            self.vars.lerp_(v, self.mom)
            return m, v

        def forward(self, x):
            if self.training:
                with torch.no_grad():
                    m, v = self.update_stats(x)
            else:
                m, v = self.means, self.vars
            x = (x - m) / (v + self.eps).sqrt()
            return x * self.mults + self.adds

    class RunningBatchNorm(nn.Module):
        def __init__(self, nf, mom=0.1, eps=1e-5):
            super().__init__()
            self.mom, self.eps = mom, eps
            self.mults = nn.Parameter(torch.ones(nf, 1, 1))
            self.adds = nn.Parameter(torch.zeros(nf, 1, 1))
            self.register_buffer("sums", torch.zeros(1, nf, 1, 1))
            self.register_buffer("sqrs", torch.zeros(1, nf, 1, 1))
            self.register_buffer("batch", torch.tensor(0.0))
            self.register_buffer("count", torch.tensor(0.0))
            self.register_buffer("step", torch.tensor(0.0))
            self.register_buffer("dbias", torch.tensor(0.0))

        def update_stats(self, x):
            bs, nc, *_ = x.shape
            self.sums.detach_()
            self.sqrs.detach_()
            dims = (0, 2, 3)
            s = x.sum(dims, keepdim=True)
            ss = (x * x).sum(dims, keepdim=True)
            c = self.count.new_tensor(x.numel() / nc)
            mom1 = 1 - (1 - self.mom) / math.sqrt(bs - 1)
            self.mom1 = self.dbias.new_tensor(mom1)
            self.sums.lerp_(s, self.mom1)
            self.sqrs.lerp_(ss, self.mom1)
            self.count.lerp_(c, self.mom1)
            self.dbias = self.dbias * (1 - self.mom1) + self.mom1
            self.batch += bs
            self.step += 1

        def forward(self, x):
            if self.training:
                self.update_stats(x)
            sums = self.sums
            sqrs = self.sqrs
            c = self.count
            if self.step < 100:
                sums = sums / self.dbias
                sqrs = sqrs / self.dbias
                c = c / self.dbias
            means = sums / c
            vars = (sqrs / c).sub_(means * means)
            if bool(self.batch < 20):
                vars.clamp_min_(0.01)
            x = (x - means).div_((vars.add_(self.eps)).sqrt())
            return x.mul_(self.mults).add_(self.adds)

    def conv_layer(ni, nf, ks=3, stride=2, bn=None, **kwargs):
        layers = [nn.Conv2d(ni, nf, ks, padding=ks // 2, stride=stride, bias=bn is None)]
        if bn is not None:
            layers.append(bn(nf))
        layers.append(GeneralRelu(**kwargs))
        return nn.Sequential(*layers)

    def get_cnn_layers(data, nfs, layer, **kwargs):
        nfs = [1] + nfs
        return [
            layer(nfs[i], nfs[i + 1], 5 if i == 0 else 3, **kwargs) for i in range(len(nfs) - 1)
        ] + [nn.AdaptiveAvgPool2d(1), Lambda(flatten), nn.Linear(nfs[-1], data.c)]

    def get_cnn_model(data, nfs, layer, **kwargs):
        return nn.Sequential(*get_cnn_layers(data, nfs, layer, **kwargs))

    def init_cnn(m, uniform=False):
        f = init.kaiming_uniform_ if uniform else init.kaiming_normal_
        for l in m:
            if isinstance(l, nn.Sequential):
                f(l[0].weight, a=0.1)
                if l[0].bias is not None:
                    l[0].bias.data.zero_()

    class Hook:
        def __init__(self, m, f):
            self.hook = m.register_forward_hook(partial(f, self))

        def remove(self):
            self.hook.remove()

    class Hooks:
        def __init__(self, ms, f):
            self.items = [Hook(m, f) for m in ms]

        def __getitem__(self, i):
            return self.items[i]

        def __iter__(self):
            return iter(self.items)

        def __len__(self):
            return len(self.items)

        def __enter__(self, *args):
            return self

        def __exit__(self, *args):
            self.remove()

        def remove(self):
            for h in self:
                h.remove()

    def append_stats(hook, mod, inp, outp):
        if not hasattr(hook, "stats"):
            hook.stats = ([], [], [])
        means, stds, hists = hook.stats
        if mod.training:
            means.append(outp.data.mean().cpu())
            stds.append(outp.data.std().cpu())
            hists.append(outp.data.cpu().histc(40, 0, 10))

    def get_hist(h):
        return torch.stack(h.stats[2]).t().float().log1p()

    def get_min(h):
        h1 = torch.stack(h.stats[2]).t().float()
        return h1[:2].sum(0) / h1.sum(0)

    mnist_view = view_tfm(1, 8, 8)
    nfs = [8, 16, 32]
    out = {}
    for label, kwargs in [
        ("plain", dict(leak=0.1, sub=0.4, maxv=6.0)),
        ("batchnorm", dict(bn=BatchNorm, leak=0.1, sub=0.4)),
        ("running_bn", dict(bn=RunningBatchNorm)),
    ]:
        model = get_cnn_model(data, nfs, conv_layer, **kwargs)
        init_cnn(model)
        std_after_init = float(model[1][0].weight.data.std())
        _numpy_weights(torch, model, 2)
        learn = fw["Learner"](model, optim.SGD(model.parameters(), lr=0.1), F.cross_entropy, data)
        cbfs = [
            fw["Recorder"],
            partial(fw["AvgStatsCallback"], accuracy),
            partial(fw["BatchTransformXCallback"], mnist_view),
        ]
        run = fw["Runner"](cb_funcs=cbfs)
        with Hooks(model, append_stats) as hooks:
            run.fit(2, learn)
            means = [[float(v) for v in h.stats[0]] for h in hooks[:3]]
            stds = [[float(v) for v in h.stats[1]] for h in hooks[:3]]
            mins = [get_min(h).tolist() for h in hooks[:3]]
            hist_shape = list(get_hist(hooks[0]).shape)
        hook_count = len(model[0]._forward_hooks)
        out[f"{label}_init_std_ok"] = bool(0.02 < std_after_init < 0.2)
        out[f"{label}_avg_stats"] = run.avg_stats.log
        out[f"{label}_losses"] = [float(v) for v in run.recorder.losses]
        out[f"{label}_hook_means"] = means
        out[f"{label}_hook_stds"] = stds
        out[f"{label}_hook_mins"] = mins
        out[f"{label}_hist_shape"] = hist_shape
        out[f"{label}_hooks_left"] = hook_count
        if label != "plain":
            bn = model[0][1]
            buffers = {k: v.clone() for k, v in bn.named_buffers()}
            out[f"{label}_buffers"] = {k: v.reshape(-1).tolist() for k, v in buffers.items()}
    return out
