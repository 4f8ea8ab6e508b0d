"""Word embeddings two ways. Skip-gram with negative sampling (word2vec): centre and context
nn.Embedding tables, the scores of one positive and k negative contexts by torch.bmm, the loss
from F.logsigmoid, sparse-looking updates by SGD; then nearest words by cosine similarity.
Then the PyTorch text-classification tutorial's model: nn.EmbeddingBag(mode="mean") over a flat
token tensor with offsets, trained as a tiny topic classifier."""

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4

CORPUS = (
    "the cat sat on the mat the dog sat on the rug the cat chased the dog "
    "a king rules the land a queen rules the land the king and the queen sat "
    "the dog ate the bone the cat ate the fish a king wore the crown"
).split()


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(44)
    words = sorted(set(CORPUS))
    index = {w: i + 1 for i, w in enumerate(words)}  # 0 is padding
    vocab = len(words) + 1
    ids = [index[w] for w in CORPUS]
    pairs = [
        (ids[i], ids[j])
        for i in range(len(ids))
        for j in (i - 2, i - 1, i + 1, i + 2)
        if 0 <= j < len(ids)
    ]
    centres = torch.tensor([c for c, _ in pairs])
    contexts = torch.tensor([o for _, o in pairs])
    negatives = torch.from_numpy(rng.integers(1, vocab, size=(len(pairs), 5)))

    class SkipGram(nn.Module):
        def __init__(self, dim=10):
            super().__init__()
            self.centre = nn.Embedding(vocab, dim, padding_idx=0)
            self.context = nn.Embedding(vocab, dim, padding_idx=0)

        def forward(self, centre, context, negative):
            c = self.centre(centre).unsqueeze(2)  # (B, D, 1)
            candidates = torch.cat([context.unsqueeze(1), negative], dim=1)
            scores = torch.bmm(self.context(candidates), c).squeeze(2)  # (B, 1 + k)
            signs = torch.ones_like(scores)
            signs[:, 1:] = -1.0
            return -F.logsigmoid(signs * scores).sum(1).mean()

    model = SkipGram()
    init_from_numpy(torch, model, seed=44, scale=0.2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    losses = []
    for epoch in range(15):
        for start in range(0, len(pairs), 64):
            part = slice(start, start + 64)
            optimizer.zero_grad()
            loss = model(centres[part], contexts[part], negatives[part])
            loss.backward()
            optimizer.step()
        losses.append(loss.item())
    with torch.no_grad():
        table = F.normalize(model.centre.weight[1:], dim=1)
        king = table[index["king"] - 1]
        similarity = F.cosine_similarity(table, king.unsqueeze(0), dim=1)
        nearest = similarity.topk(3).indices.tolist()

    # EmbeddingBag classifier: sentences about animals (0) or royalty (1)
    sentences = [
        ("the cat sat on the mat", 0),
        ("the dog ate the bone", 0),
        ("a king wore the crown", 1),
        ("the queen rules the land", 1),
        ("the cat chased the dog", 0),
        ("the king and the queen", 1),
        ("the dog sat on the rug", 0),
        ("a queen rules", 1),
    ]
    flat, offsets, labels = [], [], []
    for text, label in sentences:
        offsets.append(len(flat))
        flat.extend(index[w] for w in text.split())
        labels.append(label)
    flat, offsets, labels = torch.tensor(flat), torch.tensor(offsets), torch.tensor(labels)

    class TextClassifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.embedding = nn.EmbeddingBag(vocab, 8, mode="mean")
            self.fc = nn.Linear(8, 2)

        def forward(self, text, offsets):
            return self.fc(self.embedding(text, offsets))

    classifier = TextClassifier()
    init_from_numpy(torch, classifier, seed=45, scale=0.3)
    opt = torch.optim.SGD(classifier.parameters(), lr=1.0)
    class_losses = []
    for _ in range(20):
        opt.zero_grad()
        loss = F.cross_entropy(classifier(flat, offsets), labels)
        loss.backward()
        opt.step()
        class_losses.append(loss.item())
    bag = classifier.embedding
    with torch.no_grad():
        summed = F.embedding_bag(flat, bag.weight, offsets, mode="sum")
        maxed = F.embedding_bag(flat, bag.weight, offsets, mode="max")
        two_d = bag(flat[:10].view(2, 5))
        weighted = nn.EmbeddingBag.from_pretrained(bag.weight, mode="sum")(
            flat, offsets, per_sample_weights=torch.linspace(0.5, 1.5, len(flat))
        )
        predictions = classifier(flat, offsets).argmax(1)
    return {
        "pairs": len(pairs),
        "losses": np.array(losses[::3]),
        "nearest_to_king": [words[i] for i in nearest],
        "king_similarity": similarity.sort(descending=True).values[:3].numpy(),
        "padding_row": model.centre.weight[0].abs().sum().item(),
        "class_losses": np.array(class_losses[::4]),
        "accuracy": (predictions == labels).float().mean().item(),
        "bag_grad_rows": int((bag.weight.grad.abs().sum(1) > 0).sum()),
        "summed": summed[:2].numpy(),
        "maxed": maxed[:2].numpy(),
        "two_d": two_d.numpy(),
        "weighted": weighted[:2].numpy(),
    }
