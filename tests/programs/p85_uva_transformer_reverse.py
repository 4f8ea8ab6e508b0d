"""The UvA Deep Learning course's Tutorial 6 ("Transformers and Multi-Head Attention", Phillip
Lippe) as written, with its Lightning module turned into a plain loop: scaled_dot_product with
masked_fill(mask == 0, -9e15), expand_mask, a MultiheadAttention whose qkv_proj output is
reshaped to heads, permuted and split by chunk(3, dim=-1), xavier_uniform_ with bias.data.fill_(0),
EncoderBlock (Dropout, ReLU(inplace=True), two LayerNorms, post-norm residuals), a
TransformerEncoder keeping its blocks in an nn.ModuleList with get_attention_maps, the sin/cos
PositionalEncoding in a non-persistent buffer, CosineWarmupScheduler subclassing
optim.lr_scheduler._LRScheduler with get_lr reading self.last_epoch and self.base_lrs, and the
ReverseDataset task: F.one_hot inputs, labels by torch.flip(inp_data, dims=(0,)), cross-entropy
over preds.view(-1, preds.size(-1)), gradient clipping at 5 as Lightning's gradient_clip_val.
The dataset's torch.randint is drawn by numpy, and the initial weights are copied in from numpy,
so both libraries see the same numbers."""

import math

import numpy as np

RTOL, ATOL = 2e-3, 3e-4


def main(torch):
    nn, F, optim, data = torch.nn, torch.nn.functional, torch.optim, torch.utils.data

    def scaled_dot_product(q, k, v, mask=None):
        d_k = q.size()[-1]
        attn_logits = torch.matmul(q, k.transpose(-2, -1))
        attn_logits = attn_logits / math.sqrt(d_k)
        if mask is not None:
            attn_logits = attn_logits.masked_fill(mask == 0, -9e15)
        attention = F.softmax(attn_logits, dim=-1)
        values = torch.matmul(attention, v)
        return values, attention

    def expand_mask(mask):
        assert mask.ndim >= 2, "Mask must be >= 2-dim. with seq_length x seq_length"
        if mask.ndim == 3:
            mask = mask.unsqueeze(1)
        while mask.ndim < 4:
            mask = mask.unsqueeze(0)
        return mask

    class MultiheadAttention(nn.Module):
        def __init__(self, input_dim, embed_dim, num_heads):
            super().__init__()
            assert embed_dim % num_heads == 0, (
                "Embedding dimension must be 0 modulo number of heads."
            )
            self.embed_dim = embed_dim
            self.num_heads = num_heads
            self.head_dim = embed_dim // num_heads
            self.qkv_proj = nn.Linear(input_dim, 3 * embed_dim)
            self.o_proj = nn.Linear(embed_dim, embed_dim)
            self._reset_parameters()

        def _reset_parameters(self):
            nn.init.xavier_uniform_(self.qkv_proj.weight)
            self.qkv_proj.bias.data.fill_(0)
            nn.init.xavier_uniform_(self.o_proj.weight)
            self.o_proj.bias.data.fill_(0)

        def forward(self, x, mask=None, return_attention=False):
            batch_size, seq_length, _ = x.size()
            if mask is not None:
                mask = expand_mask(mask)
            qkv = self.qkv_proj(x)
            qkv = qkv.reshape(batch_size, seq_length, self.num_heads, 3 * self.head_dim)
            qkv = qkv.permute(0, 2, 1, 3)
            q, k, v = qkv.chunk(3, dim=-1)
            values, attention = scaled_dot_product(q, k, v, mask=mask)
            values = values.permute(0, 2, 1, 3)
            values = values.reshape(batch_size, seq_length, self.embed_dim)
            o = self.o_proj(values)
            if return_attention:
                return o, attention
            else:
                return o

    class EncoderBlock(nn.Module):
        def __init__(self, input_dim, num_heads, dim_feedforward, dropout=0.0):
            super().__init__()
            self.self_attn = MultiheadAttention(input_dim, input_dim, num_heads)
            self.linear_net = nn.Sequential(
                nn.Linear(input_dim, dim_feedforward),
                nn.Dropout(dropout),
                nn.ReLU(inplace=True),
                nn.Linear(dim_feedforward, input_dim),
            )
            self.norm1 = nn.LayerNorm(input_dim)
            self.norm2 = nn.LayerNorm(input_dim)
            self.dropout = nn.Dropout(dropout)

        def forward(self, x, mask=None):
            attn_out = self.self_attn(x, mask=mask)
            x = x + self.dropout(attn_out)
            x = self.norm1(x)
            linear_out = self.linear_net(x)
            x = x + self.dropout(linear_out)
            x = self.norm2(x)
            return x

    class TransformerEncoder(nn.Module):
        def __init__(self, num_layers, **block_args):
            super().__init__()
            self.layers = nn.ModuleList([EncoderBlock(**block_args) for _ in range(num_layers)])

        def forward(self, x, mask=None):
            for l in self.layers:
                x = l(x, mask=mask)
            return x

        def get_attention_maps(self, x, mask=None):
            attention_maps = []
            for l in self.layers:
                _, attn_map = l.self_attn(x, mask=mask, return_attention=True)
                attention_maps.append(attn_map)
                x = l(x)
            return attention_maps

    class PositionalEncoding(nn.Module):
        def __init__(self, d_model, max_len=5000):
            super().__init__()
            pe = torch.zeros(max_len, d_model)
            position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
            div_term = torch.exp(
                torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model)
            )
            pe[:, 0::2] = torch.sin(position * div_term)
            pe[:, 1::2] = torch.cos(position * div_term)
            pe = pe.unsqueeze(0)
            self.register_buffer("pe", pe, persistent=False)

        def forward(self, x):
            x = x + self.pe[:, : x.size(1)]
            return x

    class CosineWarmupScheduler(optim.lr_scheduler._LRScheduler):
        def __init__(self, optimizer, warmup, max_iters):
            self.warmup = warmup
            self.max_num_iters = max_iters
            super().__init__(optimizer)

        def get_lr(self):
            lr_factor = self.get_lr_factor(epoch=self.last_epoch)
            return [base_lr * lr_factor for base_lr in self.base_lrs]

        def get_lr_factor(self, epoch):
            lr_factor = 0.5 * (1 + np.cos(np.pi * epoch / self.max_num_iters))
            if epoch <= self.warmup:
                lr_factor *= epoch * 1.0 / self.warmup
            return lr_factor

    class ReverseDataset(data.Dataset):
        def __init__(self, num_categories, seq_len, size, seed):
            super().__init__()
            self.num_categories = num_categories
            self.seq_len = seq_len
            self.size = size
            draws = np.random.default_rng(seed).integers(num_categories, size=(size, seq_len))
            self.data = torch.from_numpy(draws)

        def __len__(self):
            return self.size

        def __getitem__(self, idx):
            inp_data = self.data[idx]
            labels = torch.flip(inp_data, dims=(0,))
            return inp_data, labels

    class ReversePredictor(nn.Module):
        def __init__(self, input_dim, model_dim, num_classes, num_heads, num_layers, dropout=0.0,
                     input_dropout=0.0):  # fmt: skip
            super().__init__()
            self.num_classes = num_classes
            self.input_net = nn.Sequential(
                nn.Dropout(input_dropout), nn.Linear(input_dim, model_dim)
            )
            self.positional_encoding = PositionalEncoding(d_model=model_dim)
            self.transformer = TransformerEncoder(
                num_layers=num_layers, input_dim=model_dim, dim_feedforward=2 * model_dim,
                num_heads=num_heads, dropout=dropout,
            )  # fmt: skip
            self.output_net = nn.Sequential(
                nn.Linear(model_dim, model_dim),
                nn.LayerNorm(model_dim),
                nn.ReLU(inplace=True),
                nn.Dropout(dropout),
                nn.Linear(model_dim, num_classes),
            )

        def forward(self, x, mask=None, add_positional_encoding=True):
            x = self.input_net(x)
            if add_positional_encoding:
                x = self.positional_encoding(x)
            x = self.transformer(x, mask=mask)
            x = self.output_net(x)
            return x

        def _calculate_loss(self, batch):
            inp_data, labels = batch
            inp_data = F.one_hot(inp_data, num_classes=self.num_classes).float()
            preds = self.forward(inp_data, add_positional_encoding=True)
            loss = F.cross_entropy(preds.view(-1, preds.size(-1)), labels.view(-1))
            acc = (preds.argmax(dim=-1) == labels).float().mean()
            return loss, acc

    out = {}
    # the tutorial's first check: attention over a tiny q, k, v
    qkv = np.random.default_rng(42).standard_normal((3, 3, 2)).astype(np.float32)
    q, k, v = (torch.from_numpy(a) for a in qkv)
    values, attention = scaled_dot_product(q, k, v)
    out["sdp_values"] = values.tolist()
    causal = torch.tril(torch.ones(3, 3))
    out["sdp_causal"] = scaled_dot_product(q, k, v, mask=causal)[1].tolist()

    num_categories, seq_len = 10, 8
    train_loader = data.DataLoader(
        ReverseDataset(num_categories, seq_len, 256, seed=0), batch_size=64, shuffle=False,
        drop_last=True,
    )  # fmt: skip
    val_loader = data.DataLoader(
        ReverseDataset(num_categories, seq_len, 128, seed=1), batch_size=64
    )
    inp_data, labels = next(iter(val_loader))
    out["first_pair"] = [inp_data[0].tolist(), labels[0].tolist()]

    model = ReversePredictor(
        input_dim=num_categories, model_dim=32, num_heads=2, num_classes=num_categories,
        num_layers=1, dropout=0.0,
    )  # fmt: skip
    out["buffers_saved"] = [k for k in model.state_dict() if "pe" in k.split(".")]
    out["xavier_bound_ok"] = bool(
        model.transformer.layers[0].self_attn.qkv_proj.weight.detach().abs().max()
        <= math.sqrt(6 / (32 + 96)) + 1e-6
    )
    rng = np.random.default_rng(3)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 2:
                bound = math.sqrt(6 / sum(p.shape))
                p.copy_(torch.from_numpy(rng.uniform(-bound, bound, p.shape).astype(np.float32)))
            elif name.endswith("bias"):
                p.zero_()

    epochs = 6
    max_iters = epochs * len(train_loader)
    optimizer = optim.Adam(model.parameters(), lr=5e-3)
    lr_scheduler = CosineWarmupScheduler(optimizer, warmup=5, max_iters=max_iters)
    lrs, history = [], []
    for epoch in range(epochs):
        model.train()
        for batch in train_loader:
            loss, acc = model._calculate_loss(batch)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimizer.step()
            lr_scheduler.step()
            lrs.append(float(lr_scheduler.get_last_lr()[0]))
        model.eval()
        with torch.no_grad():
            val = [model._calculate_loss(b) for b in val_loader]
        history.append(
            [loss.item(), acc.item()] + [sum(float(x[i]) for x in val) / len(val) for i in (0, 1)]
        )
    out["lrs"] = lrs
    out["history"] = history

    inp = F.one_hot(inp_data[:2], num_classes=num_categories).float()
    with torch.no_grad():
        x = model.positional_encoding(model.input_net(inp))
        maps = model.transformer.get_attention_maps(x)
        masked = model.transformer.get_attention_maps(
            x, mask=torch.tril(torch.ones(seq_len, seq_len))
        )
    out["attention_shape"] = list(maps[0].shape)
    out["attention_rows_sum"] = maps[0].sum(-1).mean().item()
    out["attention_first"] = maps[0][0, 0, :3].tolist()
    out["causal_upper_zero"] = bool((masked[0][..., 0, 1:] == 0).all())
    out["pe_first"] = model.positional_encoding.pe[0, 1, :6].tolist()
    return out
