"""nanoGPT's model.py and the core of train.py as written, at a tiny size on a character string: a
GPTConfig dataclass, a LayerNorm with an optional bias through F.layer_norm, CausalSelfAttention
splitting c_attn's output into q, k, v and calling F.scaled_dot_product_attention(is_causal=True)
when torch has it (with the masked_fill fallback beside it), a GELU MLP, a GPT whose lm_head
shares wte's weight, _init_weights through self.apply and the scaled c_proj init, get_num_params,
crop_block_size, configure_optimizers splitting parameters by p.dim() >= 2 into decay / no-decay
groups and asking inspect.signature(torch.optim.AdamW) whether `fused` exists, the cosine
get_lr with warm-up written into every param_group, clip_grad_norm_, estimate_loss under
@torch.no_grad() with model.eval() / train(), and generate() with top-k and torch.multinomial.
The library's own random init is checked by its statistics and then replaced from numpy."""

import inspect
import math
from dataclasses import dataclass

import numpy as np

RTOL, ATOL = 2e-3, 2e-4

TEXT = (
    "first citizen before we proceed any further hear me speak all speak speak first citizen "
    "you are all resolved rather to die than to famish all resolved resolved "
) * 2


def main(torch):
    nn = torch.nn
    F = torch.nn.functional
    out = {}

    @dataclass
    class GPTConfig:
        block_size: int = 16
        vocab_size: int = 32
        n_layer: int = 2
        n_head: int = 2
        n_embd: int = 16
        dropout: float = 0.0
        bias: bool = True

    class LayerNorm(nn.Module):
        """LayerNorm but with an optional bias. PyTorch doesn't support simply bias=False"""

        def __init__(self, ndim, bias):
            super().__init__()
            self.weight = nn.Parameter(torch.ones(ndim))
            self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

        def forward(self, input):
            return F.layer_norm(input, self.weight.shape, self.weight, self.bias, 1e-5)

    class CausalSelfAttention(nn.Module):
        def __init__(self, config, flash=True):
            super().__init__()
            assert config.n_embd % config.n_head == 0
            self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
            self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
            self.attn_dropout = nn.Dropout(config.dropout)
            self.resid_dropout = nn.Dropout(config.dropout)
            self.n_head = config.n_head
            self.n_embd = config.n_embd
            self.dropout = config.dropout
            self.flash = flash and hasattr(torch.nn.functional, "scaled_dot_product_attention")
            if not self.flash:
                self.register_buffer(
                    "bias",
                    torch.tril(torch.ones(config.block_size, config.block_size)).view(
                        1, 1, config.block_size, config.block_size
                    ),
                )

        def forward(self, x):
            B, T, C = x.size()
            q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
            k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
            q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
            v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
            if self.flash:
                y = torch.nn.functional.scaled_dot_product_attention(
                    q,
                    k,
                    v,
                    attn_mask=None,
                    dropout_p=self.dropout if self.training else 0,
                    is_causal=True,
                )
            else:
                att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
                att = att.masked_fill(self.bias[:, :, :T, :T] == 0, float("-inf"))
                att = F.softmax(att, dim=-1)
                att = self.attn_dropout(att)
                y = att @ v
            y = y.transpose(1, 2).contiguous().view(B, T, C)
            y = self.resid_dropout(self.c_proj(y))
            return y

    class MLP(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
            self.gelu = nn.GELU()
            self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)
            self.dropout = nn.Dropout(config.dropout)

        def forward(self, x):
            return self.dropout(self.c_proj(self.gelu(self.c_fc(x))))

    class Block(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.ln_1 = LayerNorm(config.n_embd, bias=config.bias)
            self.attn = CausalSelfAttention(config)
            self.ln_2 = LayerNorm(config.n_embd, bias=config.bias)
            self.mlp = MLP(config)

        def forward(self, x):
            x = x + self.attn(self.ln_1(x))
            x = x + self.mlp(self.ln_2(x))
            return x

    class GPT(nn.Module):
        def __init__(self, config):
            super().__init__()
            assert config.vocab_size is not None
            assert config.block_size is not None
            self.config = config
            self.transformer = nn.ModuleDict(
                dict(
                    wte=nn.Embedding(config.vocab_size, config.n_embd),
                    wpe=nn.Embedding(config.block_size, config.n_embd),
                    drop=nn.Dropout(config.dropout),
                    h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
                    ln_f=LayerNorm(config.n_embd, bias=config.bias),
                )
            )
            self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
            self.transformer.wte.weight = self.lm_head.weight
            self.apply(self._init_weights)
            for pn, p in self.named_parameters():
                if pn.endswith("c_proj.weight"):
                    torch.nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layer))

        def get_num_params(self, non_embedding=True):
            n_params = sum(p.numel() for p in self.parameters())
            if non_embedding:
                n_params -= self.transformer.wpe.weight.numel()
            return n_params

        def _init_weights(self, module):
            if isinstance(module, nn.Linear):
                torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)
                if module.bias is not None:
                    torch.nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Embedding):
                torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

        def forward(self, idx, targets=None):
            device = idx.device
            b, t = idx.size()
            assert t <= self.config.block_size, f"Cannot forward sequence of length {t}"
            pos = torch.arange(0, t, dtype=torch.long, device=device)
            tok_emb = self.transformer.wte(idx)
            pos_emb = self.transformer.wpe(pos)
            x = self.transformer.drop(tok_emb + pos_emb)
            for block in self.transformer.h:
                x = block(x)
            x = self.transformer.ln_f(x)
            if targets is not None:
                logits = self.lm_head(x)
                loss = F.cross_entropy(
                    logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1
                )
            else:
                logits = self.lm_head(x[:, [-1], :])
                loss = None
            return logits, loss

        def crop_block_size(self, block_size):
            assert block_size <= self.config.block_size
            self.config.block_size = block_size
            self.transformer.wpe.weight = nn.Parameter(self.transformer.wpe.weight[:block_size])
            for block in self.transformer.h:
                if hasattr(block.attn, "bias"):
                    block.attn.bias = block.attn.bias[:, :, :block_size, :block_size]

        def configure_optimizers(self, weight_decay, learning_rate, betas, device_type):
            param_dict = {pn: p for pn, p in self.named_parameters()}
            param_dict = {pn: p for pn, p in param_dict.items() if p.requires_grad}
            decay_params = [p for n, p in param_dict.items() if p.dim() >= 2]
            nodecay_params = [p for n, p in param_dict.items() if p.dim() < 2]
            optim_groups = [
                {"params": decay_params, "weight_decay": weight_decay},
                {"params": nodecay_params, "weight_decay": 0.0},
            ]
            num_decay_params = sum(p.numel() for p in decay_params)
            num_nodecay_params = sum(p.numel() for p in nodecay_params)
            out["decay"] = [len(decay_params), num_decay_params]
            out["nodecay"] = [len(nodecay_params), num_nodecay_params]
            fused_available = "fused" in inspect.signature(torch.optim.AdamW).parameters
            use_fused = fused_available and device_type == "cuda"
            extra_args = dict(fused=True) if use_fused else dict()
            optimizer = torch.optim.AdamW(optim_groups, lr=learning_rate, betas=betas, **extra_args)
            out["fused_available"] = fused_available
            return optimizer

        @torch.no_grad()
        def generate(self, idx, max_new_tokens, temperature=1.0, top_k=None):
            for _ in range(max_new_tokens):
                idx_cond = (
                    idx
                    if idx.size(1) <= self.config.block_size
                    else idx[:, -self.config.block_size :]
                )
                logits, _ = self(idx_cond)
                logits = logits[:, -1, :] / temperature
                if top_k is not None:
                    v, _ = torch.topk(logits, min(top_k, logits.size(-1)))
                    logits[logits < v[:, [-1]]] = -float("Inf")
                probs = F.softmax(logits, dim=-1)
                idx_next = torch.multinomial(probs, num_samples=1)
                idx = torch.cat((idx, idx_next), dim=1)
            return idx

    chars = sorted(set(TEXT))
    stoi = {ch: i for i, ch in enumerate(chars)}
    itos = {i: ch for i, ch in enumerate(chars)}
    data = np.array([stoi[c] for c in TEXT], dtype=np.uint16)
    n = int(0.9 * len(data))
    train_data, val_data = data[:n], data[n:]
    config = GPTConfig(vocab_size=len(chars))
    torch.manual_seed(1337)
    model = GPT(config)
    out["tied"] = model.transformer.wte.weight is model.lm_head.weight
    out["num_params"] = [model.get_num_params(), model.get_num_params(False)]
    with torch.no_grad():
        stds = {}
        for pn, p in model.named_parameters():
            if pn.endswith("c_proj.weight"):
                stds[pn] = p.std().item()
            if pn.endswith(".bias"):
                assert p.abs().max().item() == 0.0, pn
        out["c_proj_std_ok"] = all(
            abs(s / (0.02 / math.sqrt(4)) - 1) < 0.3 for k, s in stds.items() if "c_proj" in k
        )
        out["wte_std_ok"] = abs(model.lm_head.weight.std().item() / 0.02 - 1) < 0.3
        out["param_names"] = [pn for pn, _ in model.named_parameters()][:4]
        rng = np.random.default_rng(74)
        for pn, p in model.named_parameters():
            if p.dim() >= 2:
                p.copy_(torch.from_numpy(rng.normal(0, 0.1, tuple(p.shape)).astype(np.float32)))

    batch_size, block_size = 8, config.block_size
    starts = np.random.default_rng(7).integers(0, len(train_data) - block_size, (20, batch_size))

    def get_batch(split, it):
        d = train_data if split == "train" else val_data
        ix = starts[it] % (len(d) - block_size)
        x = torch.stack([torch.from_numpy((d[i : i + block_size]).astype(np.int64)) for i in ix])
        y = torch.stack(
            [torch.from_numpy((d[i + 1 : i + 1 + block_size]).astype(np.int64)) for i in ix]
        )
        return x, y

    eval_iters = 2

    @torch.no_grad()
    def estimate_loss():
        res = {}
        model.eval()
        for split in ["train", "val"]:
            losses = torch.zeros(eval_iters)
            for k in range(eval_iters):
                X, Y = get_batch(split, k)
                logits, loss = model(X, Y)
                losses[k] = loss.item()
            res[split] = losses.mean()
        model.train()
        return res

    learning_rate, warmup_iters, lr_decay_iters, min_lr = 1e-2, 3, 12, 1e-3

    def get_lr(it):
        if it < warmup_iters:
            return learning_rate * (it + 1) / (warmup_iters + 1)
        if it > lr_decay_iters:
            return min_lr
        decay_ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
        assert 0 <= decay_ratio <= 1
        coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
        return min_lr + coeff * (learning_rate - min_lr)

    optimizer = model.configure_optimizers(0.1, learning_rate, (0.9, 0.95), "cpu")
    grad_clip, gradient_accumulation_steps = 1.0, 2
    lrs, losses, norms, evals = [], [], [], []
    X, Y = get_batch("train", 0)
    for iter_num in range(14):
        lr = get_lr(iter_num)
        for param_group in optimizer.param_groups:
            param_group["lr"] = lr
        if iter_num % 5 == 0:
            est = estimate_loss()
            evals.append([est["train"].item(), est["val"].item()])
        for micro_step in range(gradient_accumulation_steps):
            logits, loss = model(X, Y)
            loss = loss / gradient_accumulation_steps
            X, Y = get_batch("train", (2 * iter_num + micro_step + 1) % 20)
            loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        lrs.append(optimizer.param_groups[1]["lr"])
        losses.append(loss.item() * gradient_accumulation_steps)
        norms.append(norm.item())
    out["lrs"], out["losses"], out["grad_norms"], out["evals"] = lrs, losses, norms, evals

    model.eval()
    fallback = CausalSelfAttention(config, flash=False)
    fallback.load_state_dict(model.transformer.h[0].attn.state_dict(), strict=False)
    x = torch.from_numpy(rng.standard_normal((2, 5, config.n_embd)).astype(np.float32))
    with torch.no_grad():
        flash_y = model.transformer.h[0].attn(x)
        out["sdpa_vs_mask"] = (flash_y - fallback(x)).abs().max().item() < 1e-5
    context = torch.tensor([[stoi["f"], stoi["i"]]], dtype=torch.long)
    greedy = model.generate(context, max_new_tokens=20, top_k=1)
    out["greedy"] = "".join(itos[i] for i in greedy[0].tolist())
    torch.manual_seed(0)
    sampled = model.generate(context.repeat(3, 1), max_new_tokens=20, temperature=0.8, top_k=5)
    out["sampled_shape"] = list(sampled.shape)
    with torch.no_grad():
        logits, _ = model(sampled[:, -config.block_size - 1 : -1])
    out["sampled_within_top5"] = bool(
        (logits[:, -1, :].topk(5).indices == sampled[:, -1:]).any(dim=1).all().item()
    )
    model.crop_block_size(8)
    out["cropped"] = list(model.transformer.wpe.weight.shape)
    logits, loss = model(X[:, :8].contiguous(), Y[:, :8].contiguous())
    out["cropped_loss"] = loss.item()
    return out
