"""Model plumbing from research repos: a tied-embedding language model (decoder.weight =
encoder.weight), heads in nn.ModuleDict, per-task scales in nn.ParameterDict, a non-persistent
buffer, model.apply(init_fn), named_modules() / named_parameters() filters, and a mean-teacher
made by copy.deepcopy(model) whose weights follow the student by an EMA under torch.no_grad()."""

import copy

import numpy as np

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(48)
    vocab, dim, length = 12, 8, 6
    tokens = torch.from_numpy(rng.integers(0, vocab, size=(32, length + 1)))

    class TiedLM(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = nn.Embedding(vocab, dim)
            self.body = nn.Sequential(nn.Linear(dim, dim), nn.Tanh())
            self.decoder = nn.Linear(dim, vocab)
            self.decoder.weight = self.encoder.weight
            self.heads = nn.ModuleDict({"next": nn.Identity(), "parity": nn.Linear(dim, 2)})
            self.scales = nn.ParameterDict({"next": nn.Parameter(torch.ones(1))})
            self.scales["parity"] = nn.Parameter(torch.full((1,), 0.5))
            self.register_buffer(
                "position", torch.arange(length).float() / length, persistent=False
            )
            self.register_buffer("steps", torch.zeros((), dtype=torch.long))

        def forward(self, x):
            h = self.body(self.encoder(x) + self.position.unsqueeze(-1))
            logits = self.decoder(self.heads["next"](h)) * self.scales["next"]
            parity = self.heads["parity"](h.mean(1)) * self.scales["parity"]
            return logits, parity

    def init_fn(module):
        if isinstance(module, nn.Linear):
            with torch.no_grad():
                fan_out, fan_in = module.weight.shape
                grid = torch.arange(fan_out * fan_in, dtype=torch.float32).reshape(fan_out, fan_in)
                module.weight.copy_(torch.sin(grid) * 0.3)
                if module.bias is not None:
                    nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            with torch.no_grad():
                grid = torch.arange(vocab * dim, dtype=torch.float32).reshape(vocab, dim)
                module.weight.copy_(torch.cos(grid * 0.7) * 0.5)

    student = TiedLM()
    student.apply(init_fn)
    teacher = copy.deepcopy(student)
    for p in teacher.parameters():
        p.requires_grad_(False)
    decay_names = [n for n, p in student.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in student.named_parameters() if p.dim() < 2]
    linear_names = [n for n, m in student.named_modules() if isinstance(m, nn.Linear)]
    optimizer = torch.optim.AdamW(
        [
            {
                "params": [p for n, p in student.named_parameters() if n in decay_names],
                "weight_decay": 0.05,
            },
            {"params": no_decay, "weight_decay": 0.0},
        ],
        lr=1e-2,
    )
    x, target = tokens[:, :-1], tokens[:, 1:]
    parity = tokens.sum(1) % 2
    losses, consistency = [], []
    for _ in range(20):
        optimizer.zero_grad()
        logits, parity_logits = student(x)
        with torch.no_grad():
            teacher_logits, _ = teacher(x)
        cons = F.mse_loss(F.softmax(logits, -1), F.softmax(teacher_logits, -1))
        loss = (
            F.cross_entropy(logits.reshape(-1, vocab), target.reshape(-1))
            + F.cross_entropy(parity_logits, parity)
            + cons
        )
        loss.backward()
        optimizer.step()
        student.steps += 1
        with torch.no_grad():
            for t_param, s_param in zip(teacher.parameters(), student.parameters()):
                t_param.mul_(0.9).add_(s_param, alpha=0.1)
            for t_buf, s_buf in zip(teacher.buffers(), student.buffers()):
                t_buf.copy_(s_buf)
        losses.append(loss.item())
        consistency.append(cons.item())
    return {
        "tied": student.decoder.weight is student.encoder.weight,
        "tied_after_deepcopy": teacher.decoder.weight is teacher.encoder.weight,
        "n_parameters": sum(p.numel() for p in student.parameters()),
        "parameter_names": [n for n, _ in student.named_parameters()],
        "state_keys": list(student.state_dict().keys()),
        "buffer_names": [n for n, _ in student.named_buffers()],
        "decay_names": decay_names,
        "linear_names": linear_names,
        "module_dict_keys": list(student.heads.keys()),
        "scales": np.array([student.scales[k].item() for k in student.scales]),
        "losses": np.array(losses[::4]),
        "consistency": np.array(consistency[::4]),
        "teacher_steps": teacher.steps.item(),
        "teacher_embedding": teacher.encoder.weight[0, :4].numpy(),
        "student_embedding": student.encoder.weight[0, :4].detach().numpy(),
        "teacher_frozen": not any(p.requires_grad for p in teacher.parameters()),
    }
