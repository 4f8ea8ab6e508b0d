"""A GRU encoder-decoder (seq2seq) learning to reverse digit strings, as in the PyTorch seq2seq
tutorial: variable-length sequences batched with nn.utils.rnn.pad_sequence, Embedding with
padding_idx, teacher forcing from the shifted targets, CrossEntropyLoss(ignore_index=PAD) over the
flattened (N * L, V) logits, clip_grad_norm_, then greedy decoding one step at a time."""

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4

PAD, SOS, EOS = 0, 1, 2


def main(torch):
    nn = torch.nn
    pad_sequence = torch.nn.utils.rnn.pad_sequence
    rng = np.random.default_rng(43)
    vocab, hidden, n = 8, 24, 48
    sources = [rng.integers(3, vocab, size=rng.integers(2, 6)).tolist() for _ in range(n)]
    targets = [s[::-1] + [EOS] for s in sources]
    src = pad_sequence([torch.tensor(s) for s in sources], batch_first=True, padding_value=PAD)
    tgt = pad_sequence([torch.tensor(t) for t in targets], batch_first=True, padding_value=PAD)
    decoder_in = torch.cat([torch.full((n, 1), SOS, dtype=torch.long), tgt[:, :-1]], dim=1)
    decoder_in = decoder_in.masked_fill(decoder_in == EOS, PAD)

    class Seq2Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(vocab, 12, padding_idx=PAD)
            self.encoder = nn.GRU(12, hidden, batch_first=True)
            self.decoder = nn.GRU(12, hidden, batch_first=True)
            self.out = nn.Linear(hidden, vocab)

        def forward(self, source, decoder_input):
            _, state = self.encoder(self.embed(source))
            output, _ = self.decoder(self.embed(decoder_input), state)
            return self.out(output)

        @torch.no_grad()
        def greedy(self, source, steps):
            _, state = self.encoder(self.embed(source))
            token = torch.full((source.shape[0], 1), SOS, dtype=torch.long)
            tokens = []
            for _ in range(steps):
                output, state = self.decoder(self.embed(token), state)
                token = self.out(output).argmax(-1)
                tokens.append(token)
            return torch.cat(tokens, dim=1)

    model = Seq2Seq()
    init_from_numpy(torch, model, seed=43, scale=0.3)
    with torch.no_grad():
        model.embed.weight[PAD].zero_()
    criterion = nn.CrossEntropyLoss(ignore_index=PAD)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses, norms = [], []
    for _ in range(30):
        optimizer.zero_grad()
        logits = model(src, decoder_in)
        loss = criterion(logits.reshape(-1, vocab), tgt.reshape(-1))
        loss.backward()
        norms.append(float(nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)))
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    decoded = model.greedy(src, tgt.shape[1])
    real = tgt != PAD
    token_accuracy = ((decoded == tgt) & real).sum().item() / real.sum().item()
    return {
        "src_shape": list(src.shape),
        "tgt_shape": list(tgt.shape),
        "losses": np.array(losses[::5]),
        "norms": np.array(norms[::5]),
        "pad_row_grad": model.embed.weight.grad[PAD].abs().sum().item(),
        "token_accuracy": token_accuracy,
        "decoded_head": decoded[:3].tolist(),
    }
