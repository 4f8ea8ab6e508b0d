"""A bag-of-words sentiment classifier: a vocabulary built by hand, padded index lists as
torch.tensor(list_of_lists, dtype=torch.long), nn.Embedding(padding_idx=0), a masked mean over
real tokens, F.one_hot targets with BCE, then predictions on new sentences."""

import numpy as np

RTOL, ATOL = 1e-4, 1e-5

POSITIVE = [
    "great movie",
    "loved the acting",
    "a wonderful story",
    "great fun and great cast",
    "really loved it",
    "wonderful and moving",
    "the best film this year",
    "fun story",
]
NEGATIVE = ["terrible movie", "hated the acting", "a boring story", "boring and far too long",
            "really hated it", "the worst film this year", "awful cast", "dull and awful"]  # fmt: skip


def main(torch):
    nn = torch.nn
    F = torch.nn.functional
    sentences = POSITIVE + NEGATIVE
    labels = [1] * len(POSITIVE) + [0] * len(NEGATIVE)
    vocab = {"<pad>": 0, "<unk>": 1}
    for s in sentences:
        for w in s.split():
            vocab.setdefault(w, len(vocab))

    def encode(texts, max_len=6):
        ids = [[vocab.get(w, 1) for w in t.split()][:max_len] for t in texts]
        return torch.tensor([row + [0] * (max_len - len(row)) for row in ids], dtype=torch.long)

    class BagOfWords(nn.Module):
        def __init__(self, vocab_size, dim=8, n_classes=2):
            super().__init__()
            self.embedding = nn.Embedding(vocab_size, dim, padding_idx=0)
            self.fc = nn.Linear(dim, n_classes)

        def forward(self, ids):
            mask = (ids != 0).unsqueeze(-1).float()
            summed = (self.embedding(ids) * mask).sum(dim=1)
            return self.fc(summed / mask.sum(dim=1).clamp(min=1))

    model = BagOfWords(len(vocab))
    rng = np.random.default_rng(22)
    with torch.no_grad():
        model.embedding.weight.copy_(
            torch.from_numpy(rng.normal(0, 1, (len(vocab), 8)).astype(np.float32))
        )
        model.embedding.weight[0].fill_(0)
        model.fc.weight.copy_(torch.from_numpy(rng.normal(0, 0.3, (2, 8)).astype(np.float32)))
        model.fc.bias.zero_()
    X, y = encode(sentences), torch.tensor(labels)
    targets = F.one_hot(y, num_classes=2).float()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    losses = []
    for epoch in range(40):
        optimizer.zero_grad()
        loss = F.binary_cross_entropy_with_logits(model(X), targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())

    new = ["loved the story", "awful and boring", "an unknown word"]
    model.eval()
    with torch.no_grad():
        probs = F.softmax(model(encode(new)), dim=-1)
        train_acc = (model(X).argmax(1) == y).float().mean().item()
    return {
        "vocab_size": len(vocab),
        "X": X.numpy(),
        "X_dtype": str(X.dtype).split(".")[-1],
        "one_hot": targets[:2].numpy(),
        "losses": np.array(losses),
        "pad_row": model.embedding.weight[0].detach().numpy(),
        "pad_grad_zero": bool((model.embedding.weight.grad[0] == 0).all()),
        "probs": probs.numpy(),
        "preds": probs.argmax(dim=-1).tolist(),
        "train_acc": train_acc,
        "one_hot_inferred": list(F.one_hot(torch.tensor([0, 3, 1])).shape),
    }
