"""A speech-recognition-shaped toy as CTC tutorials write it: variable-length feature sequences
(each "phoneme" a noisy one-hot frame held for a few steps) padded at the end by pad_sequence and
run through a forward-only nn.LSTM (without packing, which chainrule refuses: padding after
the last real frame cannot reach a forward LSTM's earlier outputs), log_softmax(2) in (T, N, C)
order for nn.CTCLoss(blank=0, zero_infinity=True) whose input_lengths cut the padded tail off,
concatenated 1-D targets split by target_lengths;
AdamW with clip_grad_norm_, then greedy decoding by argmax, unique_consecutive and dropping
blanks, scored by edit distance."""

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4

N_SYMBOLS = 5  # labels 1..5, 0 is CTC's blank


def _utterances(n=24, seed=98):
    rng = np.random.default_rng(seed)
    feats, labels = [], []
    for _ in range(n):
        label = rng.integers(1, N_SYMBOLS + 1, size=rng.integers(2, 5))
        frames = []
        for symbol in label:
            for _ in range(rng.integers(2, 4)):
                frame = rng.normal(0.0, 0.3, size=N_SYMBOLS + 1)
                frame[symbol] += 1.0
                frames.append(frame)
            frames.append(rng.normal(0.0, 0.3, size=N_SYMBOLS + 1))  # a silent gap
        feats.append(np.array(frames, dtype=np.float32))
        labels.append(label)
    return feats, labels


def _edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, y in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (x != y))
    return row[-1]


def main(torch):
    nn = torch.nn
    from_np_feats, np_labels = _utterances()
    feats = [torch.from_numpy(f) for f in from_np_feats]
    input_lengths = torch.tensor([len(f) for f in feats], dtype=torch.long)
    targets = torch.cat([torch.tensor(lab, dtype=torch.long) for lab in np_labels])
    target_lengths = torch.tensor([len(lab) for lab in np_labels], dtype=torch.long)
    padded = nn.utils.rnn.pad_sequence(feats, batch_first=True)

    class Recognizer(nn.Module):
        def __init__(self, hidden=12):
            super().__init__()
            self.rnn = nn.LSTM(N_SYMBOLS + 1, hidden, num_layers=2, batch_first=True)
            self.out = nn.Linear(hidden, N_SYMBOLS + 1)

        def forward(self, x, lengths):
            out, _ = self.rnn(x)
            return self.out(out), lengths

    model = Recognizer()
    init_from_numpy(torch, model, seed=98, scale=0.25)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.03, weight_decay=0.01)
    losses = []
    for _ in range(25):
        optimizer.zero_grad()
        logits, out_lengths = model(padded, input_lengths)
        log_probs = logits.log_softmax(2).transpose(0, 1)  # CTC wants (T, N, C)
        loss = ctc(log_probs, targets, out_lengths, target_lengths)
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=5.0)
        optimizer.step()
        losses.append(loss.item())

    model.eval()
    with torch.no_grad():
        logits, out_lengths = model(padded, input_lengths)
        best = logits.argmax(-1)
        decoded = []
        for i in range(len(feats)):
            path = torch.unique_consecutive(best[i, : out_lengths[i]])
            decoded.append([int(s) for s in path if s != 0])
        per_sample = nn.functional.ctc_loss(
            logits.log_softmax(2).transpose(0, 1),
            targets,
            input_lengths,
            target_lengths,
            reduction="none",
        )
    errors = sum(_edit_distance(d, list(lab)) for d, lab in zip(decoded, np_labels))
    return {
        "padded_shape": list(padded.shape),
        "out_lengths": out_lengths.numpy(),
        "losses": np.array(losses),
        "last_norm": float(norm),
        "per_sample": per_sample.numpy(),
        "decoded": decoded[:6],
        "char_error_rate": errors / int(target_lengths.sum()),
    }
