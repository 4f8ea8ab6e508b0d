"""A character-level LSTM language model (the Karpathy char-rnn shape): a two-layer nn.LSTM,
truncated backpropagation through time with the hidden state detached between chunks,
clip_grad_norm_, perplexity from the mean cross-entropy, and greedy generation."""

import math

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 5e-4, 5e-5

TEXT = (
    "the quick brown fox jumps over the lazy dog. "
    "a journey of a thousand miles begins with a single step. "
    "to be or not to be, that is the question. "
) * 3


def main(torch):
    nn = torch.nn
    chars = sorted(set(TEXT))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in TEXT], dtype=torch.long)
    batch, chunk = 4, 16
    usable = (len(data) - 1) // (batch * chunk) * batch * chunk
    inputs = data[:usable].view(batch, -1)
    targets = data[1 : usable + 1].view(batch, -1)

    class CharLM(nn.Module):
        def __init__(self, vocab, hidden=24):
            super().__init__()
            self.embed = nn.Embedding(vocab, 12)
            self.lstm = nn.LSTM(12, hidden, num_layers=2, batch_first=True)
            self.out = nn.Linear(hidden, vocab)

        def forward(self, x, state=None):
            h, state = self.lstm(self.embed(x), state)
            return self.out(h), state

    model = CharLM(len(chars))
    init_from_numpy(torch, model, seed=37, scale=0.2)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    epoch_ppl, norms = [], []
    for epoch in range(4):
        state, total, count = None, 0.0, 0
        for start in range(0, inputs.shape[1], chunk):
            x = inputs[:, start : start + chunk]
            y = targets[:, start : start + chunk]
            if state is not None:
                state = tuple(s.detach() for s in state)
            logits, state = model(x, state)
            loss = nn.functional.cross_entropy(logits.reshape(-1, len(chars)), y.reshape(-1))
            optimizer.zero_grad()
            loss.backward()
            norms.append(float(nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)))
            optimizer.step()
            total += loss.item() * y.numel()
            count += y.numel()
        epoch_ppl.append(math.exp(total / count))
    model.eval()
    with torch.no_grad():
        prompt = torch.tensor([[stoi[c] for c in "the "]])
        logits, state = model(prompt)
        generated = []
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        for _ in range(12):
            generated.append(chars[nxt.item()])
            logits, state = model(nxt, state)
            nxt = logits[:, -1].argmax(-1, keepdim=True)
    return {
        "vocab": len(chars),
        "perplexity": np.array(epoch_ppl),
        "norms_head": np.array(norms[:6]),
        "generated": "".join(generated),
        "state_shapes": [list(s.shape) for s in state],
    }
