"""A tiny causal self-attention language model (nanoGPT-style, one head) on a character string,
with a custom Dataset, a DataLoader collating dicts, a causal mask via tril + masked_fill."""

import math

import numpy as np

RTOL, ATOL = 1e-3, 1e-5

TEXT = "to be or not to be that is the question whether tis nobler in the mind to suffer " * 3


def main(torch):
    nn = torch.nn
    F = torch.nn.functional
    Dataset, DataLoader = torch.utils.data.Dataset, torch.utils.data.DataLoader
    chars = sorted(set(TEXT))
    stoi = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([stoi[c] for c in TEXT], dtype=torch.long)
    block = 8

    class CharDataset(Dataset):
        def __init__(self, data, block_size):
            self.data, self.block_size = data, block_size

        def __len__(self):
            return len(self.data) - self.block_size

        def __getitem__(self, idx):
            chunk = self.data[idx : idx + self.block_size + 1]
            return {"x": chunk[:-1], "y": chunk[1:]}

    class Head(nn.Module):
        def __init__(self, n_embd, head_size):
            super().__init__()
            self.key = nn.Linear(n_embd, head_size, bias=False)
            self.query = nn.Linear(n_embd, head_size, bias=False)
            self.value = nn.Linear(n_embd, head_size, bias=False)
            self.register_buffer("tril", torch.tril(torch.ones(block, block)))

        def forward(self, x):
            B, T, C = x.shape
            k, q = self.key(x), self.query(x)
            wei = q @ k.transpose(-2, -1) * (k.size(-1) ** -0.5)
            wei = wei.masked_fill(self.tril[:T, :T] == 0, float("-inf"))
            wei = F.softmax(wei, dim=-1)
            return wei @ self.value(x)

    class TinyLM(nn.Module):
        def __init__(self, vocab, n_embd=16):
            super().__init__()
            self.tok = nn.Embedding(vocab, n_embd)
            self.pos = nn.Embedding(block, n_embd)
            self.head = Head(n_embd, n_embd)
            self.ln = nn.LayerNorm(n_embd)
            self.lm_head = nn.Linear(n_embd, vocab)

        def forward(self, idx, targets=None):
            B, T = idx.shape
            x = self.tok(idx) + self.pos(torch.arange(T))
            x = x + self.head(self.ln(x))
            logits = self.lm_head(x)
            loss = None
            if targets is not None:
                loss = F.cross_entropy(logits.view(B * T, -1), targets.view(B * T))
            return logits, loss

    model = TinyLM(len(chars))
    rng = np.random.default_rng(16)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.zero_()
            elif "ln" in name:
                p.fill_(1.0)
            else:
                std = 0.02 if "tok" in name or "pos" in name else 1 / math.sqrt(p.shape[-1])
                p.copy_(torch.from_numpy(rng.normal(0, std, tuple(p.shape)).astype(np.float32)))
    loader = DataLoader(CharDataset(data, block), batch_size=32, shuffle=False)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    losses = []
    for epoch in range(2):
        for batch in loader:
            _, loss = model(batch["x"], batch["y"])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            losses.append(loss.item())

    model.eval()
    idx = torch.tensor([[stoi["t"]]])
    with torch.no_grad():
        for _ in range(12):
            logits, _ = model(idx[:, -block:])
            next_id = logits[:, -1, :].argmax(dim=-1, keepdim=True)
            idx = torch.cat((idx, next_id), dim=1)
    return {
        "losses": np.array(losses),
        "n_batches": len(loader),
        "generated": "".join(chars[i] for i in idx[0].tolist()),
        "n_params": sum(p.numel() for p in model.parameters()),
    }
