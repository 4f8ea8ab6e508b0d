"""makemore-style character model: bigram counts, then an Embedding + MLP over 3-char contexts."""

import numpy as np

RTOL, ATOL = 1e-4, 1e-5

WORDS = "emma olivia ava isabella sophia charlotte mia amelia harper evelyn abigail emily".split()


def main(torch):
    nn = torch.nn
    F = torch.nn.functional
    chars = sorted(set("".join(WORDS)))
    stoi = {s: i + 1 for i, s in enumerate(chars)}
    stoi["."] = 0
    itos = {i: s for s, i in stoi.items()}
    vocab = len(stoi)

    # bigram counts, the way the lecture builds them
    N = torch.zeros((vocab, vocab), dtype=torch.int32)
    for w in WORDS:
        chs = ["."] + list(w) + ["."]
        for ch1, ch2 in zip(chs, chs[1:]):
            N[stoi[ch1], stoi[ch2]] += 1
    P = (N + 1).float()
    P /= P.sum(1, keepdim=True)
    xs, ys = [], []
    for w in WORDS:
        chs = ["."] + list(w) + ["."]
        for ch1, ch2 in zip(chs, chs[1:]):
            xs.append(stoi[ch1])
            ys.append(stoi[ch2])
    xs, ys = torch.tensor(xs), torch.tensor(ys)
    bigram_nll = -P[xs, ys].log().mean().item()
    xenc = F.one_hot(xs, num_classes=vocab).float()

    block_size = 3
    X, Y = [], []
    for w in WORDS:
        context = [0] * block_size
        for ch in w + ".":
            ix = stoi[ch]
            X.append(context)
            Y.append(ix)
            context = context[1:] + [ix]
    X, Y = torch.tensor(X), torch.tensor(Y)

    class CharMLP(nn.Module):
        def __init__(self, vocab, n_embd=8, n_hidden=32):
            super().__init__()
            self.emb = nn.Embedding(vocab, n_embd)
            self.hidden = nn.Linear(block_size * n_embd, n_hidden)
            self.out = nn.Linear(n_hidden, vocab)

        def forward(self, idx):
            emb = self.emb(idx)
            h = torch.tanh(self.hidden(emb.view(emb.shape[0], -1)))
            return self.out(h)

    model = CharMLP(vocab)
    rng = np.random.default_rng(6)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.tensor(rng.normal(0, 0.2, tuple(p.shape)), dtype=torch.float32))
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.01, weight_decay=0.01)
    for step in range(80):
        logits = model(X)
        loss = F.cross_entropy(logits, Y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    # greedy decoding, no sampling, so both libraries produce the same names
    names = []
    with torch.no_grad():
        for start in ["e", "s", "a"]:
            context = [0, 0, stoi[start]]
            out = [start]
            for _ in range(8):
                logits = model(torch.tensor([context]))
                probs = F.softmax(logits, dim=1)
                ix = torch.argmax(probs, dim=1).item()
                context = context[1:] + [ix]
                if ix == 0:
                    break
                out.append(itos[ix])
            names.append("".join(out))
    return {
        "counts_total": N.sum().item(),
        "bigram_nll": bigram_nll,
        "onehot_shape": list(xenc.shape),
        "loss": loss.item(),
        "names": names,
        "embedding_norm": model.emb.weight.norm().item(),
    }
