"""nn.MultiheadAttention used directly, as in set and sequence models: a learned query attends
over padded sequences with key_padding_mask (attention weights per head and averaged), a causal
attn_mask for self-attention, need_weights=False; F.scaled_dot_product_attention with is_causal
agreeing with the explicit mask; a pooled classifier trained on top."""

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 5e-4, 5e-5


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(41)
    n, length, dim = 64, 7, 8
    x = rng.standard_normal((n, length, dim)).astype(np.float32)
    lengths = rng.integers(2, length + 1, size=n)
    pad = np.arange(length)[None, :] >= lengths[:, None]
    x[pad] = 0.0
    labels = (x[..., 0].sum(1) > 0).astype(np.int64)
    x, pad, labels = torch.from_numpy(x), torch.from_numpy(pad), torch.from_numpy(labels)

    class AttentionPool(nn.Module):
        def __init__(self):
            super().__init__()
            self.query = nn.Parameter(torch.zeros(1, 1, dim))
            self.attn = nn.MultiheadAttention(dim, num_heads=2, batch_first=True)
            self.head = nn.Linear(dim, 2)

        def forward(self, seq, mask):
            q = self.query.expand(seq.shape[0], -1, -1)
            pooled, weights = self.attn(q, seq, seq, key_padding_mask=mask)
            return self.head(pooled.squeeze(1)), weights

    model = AttentionPool()
    init_from_numpy(torch, model, seed=41, scale=0.3)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    losses = []
    for _ in range(30):
        optimizer.zero_grad()
        logits, _ = model(x, pad)
        loss = F.cross_entropy(logits, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        logits, averaged = model(x, pad)
        q = model.query.expand(n, -1, -1)
        _, per_head = model.attn(q, x, x, key_padding_mask=pad, average_attn_weights=False)
        causal = torch.triu(torch.ones(length, length, dtype=torch.bool), diagonal=1)
        self_out, self_weights = model.attn(x, x, x, attn_mask=causal)
        no_weights = model.attn(x, x, x, need_weights=False)[1]
        qh = x.view(n, length, 2, 4).transpose(1, 2)
        sdpa = F.scaled_dot_product_attention(qh, qh, qh, is_causal=True)
        explicit = F.scaled_dot_product_attention(qh, qh, qh, attn_mask=~causal)
    return {
        "losses": np.array(losses[::5]),
        "accuracy": (logits.argmax(1) == labels).float().mean().item(),
        "weights_shape": list(averaged.shape),
        "per_head_shape": list(per_head.shape),
        "masked_weight_max": averaged[pad.unsqueeze(1)].max().item() if pad.any() else 0.0,
        "weights_row_sums": averaged.sum(-1)[:4].numpy().ravel(),
        "first_weights": averaged[0, 0].numpy(),
        "causal_upper_zero": bool((self_weights.triu(1) == 0).all()),
        "self_out_head": self_out[0, :2].numpy(),
        "no_weights": no_weights is None,
        "sdpa_agrees": bool(torch.allclose(sdpa, explicit, atol=1e-5)),
        "sdpa_head": sdpa[0, 0, :2].numpy(),
    }
