"""A sequence classifier as in Transformer tutorials: token embedding with padding_idx,
learned positions, one nn.TransformerEncoderLayer(batch_first=True) with src_key_padding_mask,
masked mean pooling, a linear head; the task is whether a token appears in the sequence."""

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 5e-4, 5e-5


def _data(n=96, vocab=12, max_len=10, seed=36):
    rng = np.random.default_rng(seed)
    tokens = np.zeros((n, max_len), dtype=np.int64)
    lengths = rng.integers(3, max_len + 1, size=n)
    for i, length in enumerate(lengths):
        tokens[i, :length] = rng.integers(1, vocab, size=length)
    labels = (tokens == 7).any(axis=1).astype(np.int64)
    return tokens, labels


def main(torch):
    nn = torch.nn
    tokens, labels = _data()
    tokens, labels = torch.from_numpy(tokens), torch.from_numpy(labels)

    class Classifier(nn.Module):
        def __init__(self, vocab=12, d_model=16, max_len=10):
            super().__init__()
            self.embed = nn.Embedding(vocab, d_model, padding_idx=0)
            self.position = nn.Parameter(torch.zeros(1, max_len, d_model))
            self.encoder = nn.TransformerEncoderLayer(
                d_model, nhead=2, dim_feedforward=32, dropout=0.0, batch_first=True
            )
            self.head = nn.Linear(d_model, 2)

        def forward(self, x):
            pad = x == 0
            h = self.encoder(
                self.embed(x) + self.position[:, : x.shape[1]], src_key_padding_mask=pad
            )
            keep = (~pad).unsqueeze(-1).float()
            pooled = (h * keep).sum(1) / keep.sum(1)
            return self.head(pooled)

    model = Classifier()
    init_from_numpy(torch, model, seed=36, scale=0.2)
    with torch.no_grad():
        model.embed.weight[0].zero_()
    names = [name for name, _ in model.named_parameters()]
    optimizer = torch.optim.AdamW(model.parameters(), lr=5e-3)
    losses = []
    for epoch in range(8):
        for start in range(0, 96, 32):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(
                model(tokens[start : start + 32]), labels[start : start + 32]
            )
            loss.backward()
            optimizer.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        logits = model(tokens)
        accuracy = (logits.argmax(1) == labels).float().mean().item()
    return {
        "names": names,
        "losses": np.array(losses),
        "logits_head": logits[:4].numpy(),
        "accuracy": accuracy,
        "pad_row_grad_zero": bool((model.embed.weight[0] == 0).all()),
    }
