"""Karpathy's makemore part 5 ("Building a WaveNet") as written in the lecture, on a few dozen
names: build_dataset with block_size = 8 after random.seed(42) / random.shuffle, the
torch.nn-like classes written by hand (Linear with x @ weight then self.out += bias, a
BatchNorm1d that reduces over dim = (0, 1) for 3-d input with mean / var(keepdim=True) and
running statistics replaced under no_grad, Tanh, Embedding by self.weight[IX],
FlattenConsecutive by x.view(B, T // n, C * n) and squeeze(1), a Sequential whose parameters()
is a nested list comprehension), the hierarchical model with the last layer's weight *= 0.1
under no_grad, sum(p.nelement() ...), the loop with p.grad = None and p.data += -lr * p.grad,
lossi of loss.log10().item() averaged by torch.tensor(lossi).view(-1, k).mean(1), the shape
trace printed by layer.__class__.__name__, the lecture's check that view equals
torch.cat([e[:, ::2, :], e[:, 1::2, :]], dim=2), split_loss under @torch.no_grad() with every
layer's training flag off, and sampling from torch.tensor([context]) with torch.multinomial
(checked by range; the names compared are decoded greedily). Initial weights and mini-batch
indices come from numpy (torch.Generator's draws differ)."""

import random

import numpy as np

RTOL, ATOL = 2e-3, 2e-5

WORDS = (
    "noah liam jacob mason william ethan michael alexander james elijah benjamin daniel aiden "
    "logan jayden matthew lucas david jackson joseph anthony samuel joshua gabriel andrew john "
    "christopher oliver dylan carter isaac luke henry owen ryan nathan wyatt caleb sebastian jack"
).split()


def main(torch):
    F = torch.nn.functional
    rng = np.random.default_rng(89)
    words = list(WORDS)
    chars = sorted(list(set("".join(words))))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi["."] = 0
    itos = {i: s for s, i in stoi.items()}
    vocab_size = len(itos)
    block_size = 8
    out = {}

    def build_dataset(words):
        X, Y = [], []
        for w in words:
            context = [0] * block_size
            for ch in w + ".":
                ix = stoi[ch]
                X.append(context)
                Y.append(ix)
                context = context[1:] + [ix]  # crop and append
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
    out["shapes"] = [list(Xtr.shape), list(Ytr.shape), list(Xdev.shape), list(Xte.shape)]

    def randn(*shape):  # torch.randn((fan_in, fan_out)) in the lecture
        return torch.from_numpy(rng.standard_normal(shape).astype(np.float32))

    class Linear:
        def __init__(self, fan_in, fan_out, bias=True):
            self.weight = randn(fan_in, fan_out) / fan_in**0.5  # note: kaiming init
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
            # parameters (trained with backprop)
            self.gamma = torch.ones(dim)
            self.beta = torch.zeros(dim)
            # buffers (trained with a running 'momentum update')
            self.running_mean = torch.zeros(dim)
            self.running_var = torch.ones(dim)

        def __call__(self, x):
            if self.training:
                if x.ndim == 2:
                    dim = 0
                elif x.ndim == 3:
                    dim = (0, 1)
                xmean = x.mean(dim, keepdim=True)  # batch mean
                xvar = x.var(dim, keepdim=True)  # batch variance
            else:
                xmean = self.running_mean
                xvar = self.running_var
            xhat = (x - xmean) / torch.sqrt(xvar + self.eps)  # normalize to unit variance
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

    class Embedding:
        def __init__(self, num_embeddings, embedding_dim):
            self.weight = randn(num_embeddings, embedding_dim)

        def __call__(self, IX):
            self.out = self.weight[IX]
            return self.out

        def parameters(self):
            return [self.weight]

    class FlattenConsecutive:
        def __init__(self, n):
            self.n = n

        def __call__(self, x):
            B, T, C = x.shape
            x = x.view(B, T // self.n, C * self.n)
            if x.shape[1] == 1:
                x = x.squeeze(1)
            self.out = x
            return self.out

        def parameters(self):
            return []

    class Sequential:
        def __init__(self, layers):
            self.layers = layers

        def __call__(self, x):
            for layer in self.layers:
                x = layer(x)
            self.out = x
            return self.out

        def parameters(self):
            # get parameters of all layers and stretch them out into one list
            return [p for layer in self.layers for p in layer.parameters()]

    # the lecture's check that FlattenConsecutive's view pairs neighbours
    e = randn(4, 8, 10)
    explicit = torch.cat([e[:, ::2, :], e[:, 1::2, :]], dim=2)
    out["view_is_pairs"] = bool((explicit == e.view(4, 4, 20)).all())
    out["explicit_shape"] = list(explicit.shape)

    n_embd = 10  # the dimensionality of the character embedding vectors
    n_hidden = 32  # the number of neurons in the hidden layer of the MLP
    model = Sequential(
        [
            Embedding(vocab_size, n_embd),
            FlattenConsecutive(2),
            Linear(n_embd * 2, n_hidden, bias=False),
            BatchNorm1d(n_hidden),
            Tanh(),
            FlattenConsecutive(2),
            Linear(n_hidden * 2, n_hidden, bias=False),
            BatchNorm1d(n_hidden),
            Tanh(),
            FlattenConsecutive(2),
            Linear(n_hidden * 2, n_hidden, bias=False),
            BatchNorm1d(n_hidden),
            Tanh(),
            Linear(n_hidden, vocab_size),
        ]
    )

    # parameter init
    with torch.no_grad():
        model.layers[-1].weight *= 0.1  # last layer make less confident

    parameters = model.parameters()
    out["n_params"] = sum(p.nelement() for p in parameters)
    for p in parameters:
        p.requires_grad = True

    max_steps = 80
    batch_size = 32
    lossi = []
    for i in range(max_steps):
        # minibatch construct
        ix = torch.from_numpy(rng.integers(0, Xtr.shape[0], (batch_size,)))
        Xb, Yb = Xtr[ix], Ytr[ix]  # batch X,Y

        # forward pass
        logits = model(Xb)
        loss = F.cross_entropy(logits, Yb)  # loss function

        # backward pass
        for p in parameters:
            p.grad = None
        loss.backward()

        # update: simple SGD
        lr = 0.1 if i < 60 else 0.01  # step learning rate decay
        for p in parameters:
            p.data += -lr * p.grad

        lossi.append(loss.log10().item())
    out["lossi"] = lossi
    out["lossi_mean"] = torch.tensor(lossi).view(-1, 20).mean(1).tolist()

    out["trace"] = [
        f"{layer.__class__.__name__} : {tuple(layer.out.shape)}" for layer in model.layers
    ]
    out["running_mean"] = model.layers[3].running_mean.numpy()
    out["running_var_shape"] = list(model.layers[3].running_var.shape)

    # put layers into eval mode (needed for batchnorm especially)
    for layer in model.layers:
        layer.training = False

    # evaluate the loss
    @torch.no_grad()  # this decorator disables gradient tracking inside pytorch
    def split_loss(split):
        x, y = {
            "train": (Xtr, Ytr),
            "val": (Xdev, Ydev),
            "test": (Xte, Yte),
        }[split]
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        return f"{split} {loss.item():.4f}", loss.item()

    for split in ("train", "val"):
        line, value = split_loss(split)
        out[f"{split}_loss"] = value
        out[f"{split}_line_len"] = len(line)

    # sample from the model
    names, sampled_ok = [], True
    for _ in range(5):
        greedy, drawn = [], []
        context = [0] * block_size  # initialize with all ...
        while True:
            # forward pass the neural net
            logits = model(torch.tensor([context]))
            probs = F.softmax(logits, dim=1)
            # sample from the distribution
            draw = torch.multinomial(probs, num_samples=1).item()
            sampled_ok = sampled_ok and isinstance(draw, int) and 0 <= draw < vocab_size
            drawn.append(draw)
            ix = int(probs.argmax(dim=1))
            # shift the context window and track the samples
            context = context[1:] + [ix]
            greedy.append(ix)
            # if we sample the special '.' token, break
            if ix == 0 or len(greedy) > 10:
                break
        names.append("".join(itos[i] for i in greedy))
        context = [0] * block_size
    out["greedy_names"] = names
    out["sampled_ok"] = sampled_ok
    return out
