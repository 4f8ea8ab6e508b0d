"""Karpathy's makemore parts 3 and 4 as written in the lectures, on a few dozen names: build_dataset
with a sliding context after random.seed(42) / random.shuffle, hand-written Linear / BatchNorm1d /
Tanh classes (weights / fan_in**0.5, running statistics updated under no_grad, `self.out` kept
for retain_grad), gamma scaled by 0.1 in place under no_grad, `p.requires_grad = True` on plain
tensors, the loop with p.grad = None and p.data += -lr * p.grad, the update-to-data ratios
((lr * p.grad).std() / p.data.std()).log10(), activation statistics printed with '%+.2f' % a
0-d tensor and torch.histogram(density=True), split_loss under @torch.no_grad() with
training flags switched off, sampling with torch.multinomial; then "becoming a backprop ninja":
the forward pass broken into atoms, every intermediate's retain_grad(), each gradient written by
hand (one_hot of max indices, broadcasting sums, dC by a double loop of index +=) and compared
with cmp()'s exact / allclose / maxdiff, plus the fused cross-entropy and batch-norm backward.
Initial weights and mini-batch indices come from numpy (torch.Generator's draws differ)."""

import random

import numpy as np

RTOL, ATOL = 2e-3, 2e-5

WORDS = (
    "emma olivia ava isabella sophia charlotte mia amelia harper evelyn abigail emily elizabeth "
    "mila ella avery sofia camila aria scarlett victoria madison luna grace chloe penelope layla "
    "riley zoey nora lily eleanor hannah lillian addison aubrey ellie stella natalie zoe leah "
    "hazel violet aurora savannah audrey brooklyn bella claire skylar lucy paisley everly anna"
).split()


def main(torch):
    F = torch.nn.functional
    words = list(WORDS)
    chars = sorted(list(set("".join(words))))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi["."] = 0
    itos = {i: s for s, i in stoi.items()}
    vocab_size = len(itos)
    block_size = 3
    out = {}

    def build_dataset(words):
        X, Y = [], []
        for w in words:
            context = [0] * block_size
            for ch in w + ".":
                ix = stoi[ch]
                X.append(context)
                Y.append(ix)
                context = context[1:] + [ix]
        X = torch.tensor(X)
        Y = torch.tensor(Y)
        return X, Y

    random.seed(42)
    random.shuffle(words)
    n1 = int(0.8 * len(words))
    n2 = int(0.9 * len(words))
    Xtr, Ytr = build_dataset(words[:n1])
    Xdev, Ydev = build_dataset(words[n1:n2])
    Xte, Yte = build_dataset(words[n2:])
    out["splits"] = [list(Xtr.shape), list(Xdev.shape), list(Xte.shape), Xtr.dtype == torch.int64]

    draws = np.random.default_rng(78)
    g = torch.Generator().manual_seed(2147483647)
    out["generator_shape"] = list(torch.randn((3, 4), generator=g).shape)

    def randn(*shape):
        return torch.from_numpy(draws.standard_normal(shape).astype(np.float32))

    class Linear:
        def __init__(self, fan_in, fan_out, bias=True):
            self.weight = randn(fan_in, fan_out) / fan_in**0.5
            self.bias = torch.zeros(fan_out) if bias else None

        def __call__(self, x):
            self.out = x @ self.weight
            if self.bias is not None:
                self.out += self.bias
            return self.out

        def parameters(self):
            return [self.weight] + ([] if self.bias is None else [self.bias])

    class BatchNorm1d:
        def __init__(self, dim, eps=1e-5, momentum=0.1):
            self.eps = eps
            self.momentum = momentum
            self.training = True
            self.gamma = torch.ones(dim)
            self.beta = torch.zeros(dim)
            self.running_mean = torch.zeros(dim)
            self.running_var = torch.ones(dim)

        def __call__(self, x):
            if self.training:
                xmean = x.mean(0, keepdim=True)
                xvar = x.var(0, keepdim=True)
            else:
                xmean = self.running_mean
                xvar = self.running_var
            xhat = (x - xmean) / torch.sqrt(xvar + self.eps)
            self.out = self.gamma * xhat + self.beta
            if self.training:
                with torch.no_grad():
                    self.running_mean = (
                        1 - self.momentum
                    ) * self.running_mean + self.momentum * xmean
                    self.running_var = (1 - self.momentum) * self.running_var + self.momentum * xvar
            return self.out

        def parameters(self):
            return [self.gamma, self.beta]

    class Tanh:
        def __call__(self, x):
            self.out = torch.tanh(x)
            return self.out

        def parameters(self):
            return []

    n_embd, n_hidden = 10, 32
    C = randn(vocab_size, n_embd)
    layers = [
        Linear(n_embd * block_size, n_hidden, bias=False),
        BatchNorm1d(n_hidden),
        Tanh(),
        Linear(n_hidden, n_hidden, bias=False),
        BatchNorm1d(n_hidden),
        Tanh(),
        Linear(n_hidden, vocab_size, bias=False),
        BatchNorm1d(vocab_size),
    ]
    with torch.no_grad():
        layers[-1].gamma *= 0.1
        for layer in layers[:-1]:
            if isinstance(layer, Linear):
                layer.weight *= 5 / 3
    parameters = [C] + [p for layer in layers for p in layer.parameters()]
    out["n_params"] = sum(p.nelement() for p in parameters)
    for p in parameters:
        p.requires_grad = True

    max_steps, batch_size = 60, 32
    lossi, ud, printed = [], [], []
    for i in range(max_steps):
        ix = torch.from_numpy(draws.integers(0, Xtr.shape[0], (batch_size,)))
        Xb, Yb = Xtr[ix], Ytr[ix]
        emb = C[Xb]
        x = emb.view(emb.shape[0], -1)
        for layer in layers:
            x = layer(x)
        loss = F.cross_entropy(x, Yb)
        for layer in layers:
            layer.out.retain_grad()
        for p in parameters:
            p.grad = None
        loss.backward()
        lr = 0.1 if i < 40 else 0.01
        for p in parameters:
            p.data += -lr * p.grad
        if i % 20 == 0:
            printed.append(f"{i:7d}/{max_steps:7d}: {loss.item():.4f}")
        lossi.append(loss.log10().item())
        with torch.no_grad():
            ud.append([((lr * p.grad).std() / p.data.std()).log10().item() for p in parameters])
    out["printed"], out["lossi"], out["ud_last"] = printed, lossi, ud[-1]

    activations, gradients = [], []
    for i, layer in enumerate(layers[:-1]):
        if isinstance(layer, Tanh):
            t = layer.out.detach()  # '%f' % t.mean() warns in torch 2.x while t requires grad
            activations.append(
                "layer %d (%10s): mean %+.2f, std %.2f, saturated: %.2f%%"
                % (
                    i,
                    layer.__class__.__name__,
                    t.mean(),
                    t.std(),
                    (t.abs() > 0.97).float().mean() * 100,
                )
            )
            hy, hx = torch.histogram(t, density=True)
            out[f"hist_{i}"] = [len(hy), len(hx), round(float((hy * (hx[1:] - hx[:-1])).sum()), 4)]
            gt = layer.out.grad
            gradients.append([gt.mean().item(), gt.std().item()])
    out["activations"], out["tanh_grads"] = activations, gradients
    weight_grads = []
    for p in parameters:
        if p.ndim == 2:
            t = p.grad
            line = "weight %10s | mean %+f | std %e | grad:data ratio %e" % (
                tuple(p.shape), t.mean(), t.std(), t.std() / p.data.std()
            )  # fmt: skip
            weight_grads.append([line.split("|")[0], t.std().item(), (t.std() / p.std()).item()])
    out["weight_grads"] = weight_grads

    @torch.no_grad()
    def split_loss(split):
        x, y = {"train": (Xtr, Ytr), "val": (Xdev, Ydev), "test": (Xte, Yte)}[split]
        emb = C[x]
        x = emb.view(emb.shape[0], -1)
        for layer in layers:
            x = layer(x)
        loss = F.cross_entropy(x, y)
        return loss.item()

    for layer in layers:
        layer.training = False
    out["split_losses"] = [split_loss("train"), split_loss("val")]
    out["running_mean"] = layers[1].running_mean[0, :5].numpy()

    g = torch.Generator().manual_seed(2147483647 + 10)
    names = []
    for _ in range(5):
        sample = []
        context = [0] * block_size
        while True:
            emb = C[torch.tensor([context])]
            x = emb.view(emb.shape[0], -1)
            for layer in layers:
                x = layer(x)
            logits = x
            probs = F.softmax(logits, dim=1)
            ix = torch.multinomial(probs, num_samples=1, generator=g).item()
            context = context[1:] + [ix]
            sample.append(ix)
            if ix == 0 or len(sample) > 30:
                break
        names.append("".join(itos[i] for i in sample))
    out["samples_ok"] = all(all(ch in stoi for ch in name) for name in names)

    # becoming a backprop ninja: a two-layer net split into atoms
    n = batch_size
    W1 = randn(n_embd * block_size, 24) * (5 / 3) / ((n_embd * block_size) ** 0.5)
    b1 = randn(24) * 0.1
    W2 = randn(24, vocab_size) * 0.1
    b2 = randn(vocab_size) * 0.1
    bngain = randn(1, 24) * 0.1 + 1.0
    bnbias = randn(1, 24) * 0.1
    C2 = randn(vocab_size, n_embd)
    parameters = [C2, W1, b1, W2, b2, bngain, bnbias]
    for p in parameters:
        p.requires_grad = True
    ix = torch.from_numpy(draws.integers(0, Xtr.shape[0], (n,)))
    Xb, Yb = Xtr[ix], Ytr[ix]

    emb = C2[Xb]
    embcat = emb.view(emb.shape[0], -1)
    hprebn = embcat @ W1 + b1
    bnmeani = 1 / n * hprebn.sum(0, keepdim=True)
    bndiff = hprebn - bnmeani
    bndiff2 = bndiff**2
    bnvar = 1 / (n - 1) * (bndiff2).sum(0, keepdim=True)
    bnvar_inv = (bnvar + 1e-5) ** -0.5
    bnraw = bndiff * bnvar_inv
    hpreact = bngain * bnraw + bnbias
    h = torch.tanh(hpreact)
    logits = h @ W2 + b2
    logit_maxes = logits.max(1, keepdim=True).values
    norm_logits = logits - logit_maxes
    counts = norm_logits.exp()
    counts_sum = counts.sum(1, keepdims=True)
    counts_sum_inv = counts_sum**-1
    probs = counts * counts_sum_inv
    logprobs = probs.log()
    loss = -logprobs[range(n), Yb].mean()
    for p in parameters:
        p.grad = None
    for t in [logprobs, probs, counts, counts_sum, counts_sum_inv, norm_logits, logit_maxes,
              logits, h, hpreact, bnraw, bnvar_inv, bnvar, bndiff2, bndiff, hprebn, bnmeani,
              embcat, emb]:  # fmt: skip
        t.retain_grad()
    loss.backward()
    out["ninja_loss"] = loss.item()

    report = {}

    def cmp(s, dt, t):
        ex = torch.all(dt == t.grad).item()
        app = torch.allclose(dt, t.grad)
        maxdiff = (dt - t.grad).abs().max().item()
        report[s] = [app, maxdiff < 1e-6, isinstance(ex, bool)]

    dlogprobs = torch.zeros_like(logprobs)
    dlogprobs[range(n), Yb] = -1.0 / n
    dprobs = (1.0 / probs) * dlogprobs
    dcounts_sum_inv = (counts * dprobs).sum(1, keepdim=True)
    dcounts = counts_sum_inv * dprobs
    dcounts_sum = (-(counts_sum**-2)) * dcounts_sum_inv
    dcounts += torch.ones_like(counts) * dcounts_sum
    dnorm_logits = counts * dcounts
    dlogits = dnorm_logits.clone()
    dlogit_maxes = (-dnorm_logits).sum(1, keepdim=True)
    dlogits += F.one_hot(logits.max(1).indices, num_classes=logits.shape[1]) * dlogit_maxes
    dh = dlogits @ W2.T
    dW2 = h.T @ dlogits
    db2 = dlogits.sum(0)
    dhpreact = (1.0 - h**2) * dh
    dbngain = (bnraw * dhpreact).sum(0, keepdim=True)
    dbnraw = bngain * dhpreact
    dbnbias = dhpreact.sum(0, keepdim=True)
    dbndiff = bnvar_inv * dbnraw
    dbnvar_inv = (bndiff * dbnraw).sum(0, keepdim=True)
    dbnvar = (-0.5 * (bnvar + 1e-5) ** -1.5) * dbnvar_inv
    dbndiff2 = (1.0 / (n - 1)) * torch.ones_like(bndiff2) * dbnvar
    dbndiff += (2 * bndiff) * dbndiff2
    dhprebn = dbndiff.clone()
    dbnmeani = (-dbndiff).sum(0)
    dhprebn += 1.0 / n * (torch.ones_like(hprebn) * dbnmeani)
    dembcat = dhprebn @ W1.T
    dW1 = embcat.T @ dhprebn
    db1 = dhprebn.sum(0)
    demb = dembcat.view(emb.shape)
    dC = torch.zeros_like(C2)
    for k in range(Xb.shape[0]):
        for j in range(Xb.shape[1]):
            ix = Xb[k, j]
            dC[ix] += demb[k, j]

    cmp("logprobs", dlogprobs, logprobs)
    cmp("probs", dprobs, probs)
    cmp("counts_sum_inv", dcounts_sum_inv, counts_sum_inv)
    cmp("counts_sum", dcounts_sum, counts_sum)
    cmp("counts", dcounts, counts)
    cmp("norm_logits", dnorm_logits, norm_logits)
    cmp("logit_maxes", dlogit_maxes, logit_maxes)
    cmp("logits", dlogits, logits)
    cmp("h", dh, h)
    cmp("W2", dW2, W2)
    cmp("b2", db2, b2)
    cmp("hpreact", dhpreact, hpreact)
    cmp("bngain", dbngain, bngain)
    cmp("bnbias", dbnbias, bnbias)
    cmp("bnraw", dbnraw, bnraw)
    cmp("bnvar_inv", dbnvar_inv, bnvar_inv)
    cmp("bnvar", dbnvar, bnvar)
    cmp("bndiff2", dbndiff2, bndiff2)
    cmp("bndiff", dbndiff, bndiff)
    cmp("bnmeani", dbnmeani, bnmeani)
    cmp("hprebn", dhprebn, hprebn)
    cmp("embcat", dembcat, embcat)
    cmp("W1", dW1, W1)
    cmp("b1", db1, b1)
    cmp("emb", demb, emb)
    cmp("C", dC, C2)

    loss_fast = F.cross_entropy(logits, Yb)
    out["loss_fast_diff"] = (loss_fast - loss).abs().item() < 1e-6
    dlogits = F.softmax(logits, 1)
    dlogits[range(n), Yb] -= 1
    dlogits /= n
    cmp("logits_fused", dlogits, logits)
    hpreact_fast = (
        bngain
        * (hprebn - hprebn.mean(0, keepdim=True))
        / torch.sqrt(hprebn.var(0, keepdim=True, unbiased=True) + 1e-5)
        + bnbias
    )
    out["hpreact_fast_diff"] = (hpreact_fast - hpreact).abs().max().item() < 1e-5
    dhprebn = (
        bngain
        * bnvar_inv
        / n
        * (n * dhpreact - dhpreact.sum(0) - n / (n - 1) * bnraw * (dhpreact * bnraw).sum(0))
    )
    cmp("hprebn_fused", dhprebn, hprebn)
    out["cmp"] = report
    out["grads"] = {"W1": dW1[:2, :4].detach().numpy(), "C": dC[:3, :4].detach().numpy()}
    return out
