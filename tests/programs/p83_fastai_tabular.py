"""fastai v1's tabular model as its source and the Rossmann lesson write it, on sklearn's diabetes
(unscaled): the FillMissing / Categorify / Normalize procs done by hand on numpy columns (median
fill plus a `_na` flag column, category codes from np.unique with 0 kept for #na#, the train
set's mean and std), emb_sz_rule, TabularModel with an nn.ModuleList of embeddings
trunc_normal_-initialised by normal_().fmod_(2).mul_(std).add_(mean), embedding dropout,
BatchNorm1d on the continuous columns, bn_drop_lin blocks (BatchNorm1d, Dropout, Linear,
ReLU(inplace=True)), y_range through a sigmoid, a log target, exp_rmspe as the metric,
fit_one_cycle as OneCycleLR with cycled betas on AdamW, get_preds by torch.cat under no_grad,
and the learned embeddings compared by cosine similarity. Dropout is built (and printed) as
fastai builds it, then set to p=0 for training, since the two libraries' masks differ."""

import math

import numpy as np
from sklearn.datasets import load_diabetes

RTOL, ATOL = 2e-3, 2e-4


def emb_sz_rule(n_cat):
    return min(600, round(1.6 * n_cat**0.56))


def _procs():
    """The table after FillMissing, Categorify and Normalize, fitted on the train rows only."""
    data = load_diabetes(scaled=False)
    X, y = data.data.astype(np.float64), data.target.astype(np.float64)
    names = list(data.feature_names)
    columns = {name: X[:, i].copy() for i, name in enumerate(names)}
    columns["bmi"][::17] = np.nan  # a few missing values for FillMissing to find
    columns["s3"][5::23] = np.nan
    columns["age_band"] = np.floor(columns.pop("age") / 10.0)
    columns["s4_round"] = np.round(columns.pop("s4"))
    n = len(y)
    valid_idx = np.arange(n - 82, n)
    train_mask = np.ones(n, bool)
    train_mask[valid_idx] = False

    cat_names = ["sex", "age_band", "s4_round"]
    cont_names = ["bmi", "bp", "s1", "s2", "s3", "s5", "s6"]
    for name in list(cont_names):
        missing = np.isnan(columns[name])
        if missing.any():
            columns[name] = np.where(
                missing, np.nanmedian(columns[name][train_mask]), columns[name]
            )
            columns[f"{name}_na"] = missing.astype(np.float64)
            cat_names.append(f"{name}_na")
    codes, classes = [], {}
    for name in cat_names:
        seen = np.unique(columns[name][train_mask])
        classes[name] = ["#na#"] + [str(v) for v in seen]
        index = np.searchsorted(seen, columns[name])
        known = (index < len(seen)) & (seen[np.minimum(index, len(seen) - 1)] == columns[name])
        codes.append(np.where(known, index + 1, 0))
    x_cat = np.stack(codes, 1).astype(np.int64)
    cont = np.stack([columns[name] for name in cont_names], 1)
    means, stds = cont[train_mask].mean(0), cont[train_mask].std(0)
    x_cont = ((cont - means) / (1e-7 + stds)).astype(np.float32)
    log_y = np.log(y).astype(np.float32)[:, None]
    return x_cat, x_cont, log_y, train_mask, classes, cat_names


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    x_cat, x_cont, log_y, train_mask, classes, cat_names = _procs()

    def trunc_normal_(x, mean=0.0, std=1.0):
        return x.normal_().fmod_(2).mul_(std).add_(mean)

    def embedding(ni, nf):
        emb = nn.Embedding(ni, nf)
        with torch.no_grad():
            trunc_normal_(emb.weight, std=0.01)
        return emb

    def bn_drop_lin(n_in, n_out, bn=True, p=0.0, actn=None):
        layers = [nn.BatchNorm1d(n_in)] if bn else []
        if p != 0:
            layers.append(nn.Dropout(p))
        layers.append(nn.Linear(n_in, n_out))
        if actn is not None:
            layers.append(actn)
        return layers

    class TabularModel(nn.Module):
        def __init__(
            self, emb_szs, n_cont, out_sz, layers, ps=None, emb_drop=0.0, y_range=None,
            use_bn=True, bn_final=False,
        ):  # fmt: skip
            super().__init__()
            ps = [0] * len(layers) if ps is None else ps
            self.embeds = nn.ModuleList([embedding(ni, nf) for ni, nf in emb_szs])
            self.emb_drop = nn.Dropout(emb_drop)
            self.bn_cont = nn.BatchNorm1d(n_cont)
            n_emb = sum(e.embedding_dim for e in self.embeds)
            self.n_emb, self.n_cont, self.y_range = n_emb, n_cont, y_range
            sizes = self.get_sizes(layers, out_sz)
            actns = [nn.ReLU(inplace=True) for _ in range(len(sizes) - 2)] + [None]
            layers = []
            for i, (n_in, n_out, dp, act) in enumerate(
                zip(sizes[:-1], sizes[1:], [0.0] + ps, actns)
            ):
                layers += bn_drop_lin(n_in, n_out, bn=use_bn and i != 0, p=dp, actn=act)
            if bn_final:
                layers.append(nn.BatchNorm1d(sizes[-1]))
            self.layers = nn.Sequential(*layers)

        def get_sizes(self, layers, out_sz):
            return [self.n_emb + self.n_cont] + layers + [out_sz]

        def forward(self, x_cat, x_cont):
            if self.n_emb != 0:
                x = [e(x_cat[:, i]) for i, e in enumerate(self.embeds)]
                x = torch.cat(x, 1)
                x = self.emb_drop(x)
            if self.n_cont != 0:
                x_cont = self.bn_cont(x_cont)
                x = torch.cat([x, x_cont], 1) if self.n_emb != 0 else x_cont
            x = self.layers(x)
            if self.y_range is not None:
                x = (self.y_range[1] - self.y_range[0]) * torch.sigmoid(x) + self.y_range[0]
            return x

    def exp_rmspe(pred, targ):
        pred, targ = torch.exp(pred), torch.exp(targ)
        pct_var = (targ - pred) / targ
        return torch.sqrt((pct_var**2).mean())

    emb_szs = [(len(classes[name]), emb_sz_rule(len(classes[name]))) for name in cat_names]
    max_log_y = float(np.max(log_y[train_mask]))
    y_range = torch.tensor([0, max_log_y * 1.2])
    model = TabularModel(
        emb_szs, x_cont.shape[1], 1, [32, 16], ps=[0.001, 0.01], emb_drop=0.04, y_range=y_range
    )
    out = {"emb_szs": [list(e) for e in emb_szs], "model": str(model)}
    out["trunc_normal_bounded"] = bool(
        all(float(e.weight.detach().abs().max()) <= 0.02 + 1e-7 for e in model.embeds)
    )
    rng = np.random.default_rng(0)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "embeds" in name:
                p.copy_(torch.from_numpy(rng.normal(0, 0.01, tuple(p.shape)).astype(np.float32)))
            elif name.endswith("bias"):
                p.zero_()
            elif p.dim() == 2:
                bound = 1 / math.sqrt(p.shape[1])
                p.copy_(torch.from_numpy(rng.uniform(-bound, bound, p.shape).astype(np.float32)))
    for module in model.modules():
        if isinstance(module, nn.Dropout):
            module.p = 0.0
    out["n_params"] = sum(p.numel() for p in model.parameters())

    Dataset, DataLoader = torch.utils.data.TensorDataset, torch.utils.data.DataLoader
    t_cat, t_cont, t_y = torch.from_numpy(x_cat), torch.from_numpy(x_cont), torch.from_numpy(log_y)
    train = np.flatnonzero(train_mask)
    valid = np.flatnonzero(~train_mask)
    train_ds = Dataset(t_cat[train], t_cont[train], t_y[train])
    valid_ds = Dataset(t_cat[valid], t_cont[valid], t_y[valid])
    train_dl = DataLoader(train_ds, batch_size=64, shuffle=False, drop_last=True)
    valid_dl = DataLoader(valid_ds, batch_size=128)

    epochs, max_lr = 5, 1e-2
    opt = torch.optim.AdamW(model.parameters(), lr=max_lr, betas=(0.9, 0.99), weight_decay=0.01)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=max_lr, epochs=epochs, steps_per_epoch=len(train_dl), pct_start=0.25,
        div_factor=25.0, final_div_factor=1e4, base_momentum=0.85, max_momentum=0.95,
    )  # fmt: skip
    loss_func = nn.MSELoss()

    def get_preds(dl):
        model.eval()
        preds, targs = [], []
        with torch.no_grad():
            for xc, xn, yb in dl:
                preds.append(model(xc, xn))
                targs.append(yb)
        return torch.cat(preds), torch.cat(targs)

    history = []
    for epoch in range(epochs):
        model.train()
        train_loss = 0.0
        for xc, xn, yb in train_dl:
            loss = loss_func(model(xc, xn), yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
            sched.step()
            train_loss += loss.item()
        preds, targs = get_preds(valid_dl)
        history.append(
            [
                train_loss / len(train_dl),
                F.mse_loss(preds, targs).item(),
                exp_rmspe(preds, targs).item(),
                opt.param_groups[0]["lr"],
                opt.param_groups[0]["betas"][0],
            ]
        )
    out["history"] = history
    preds, _ = get_preds(valid_dl)
    out["preds_in_range"] = bool(((preds > 0) & (preds < max_log_y * 1.2)).all())
    out["first_preds"] = torch.exp(preds[:6, 0]).tolist()
    out["bn_cont_running_mean"] = model.bn_cont.running_mean.tolist()
    out["bn_cont_batches"] = int(model.bn_cont.num_batches_tracked)
    ages = F.normalize(model.embeds[1].weight[1:].detach(), dim=1)
    out["age_band_cosine"] = (ages @ ages.t()).tolist()
    return out
