"""A Hugging Face-style custom training loop as run_glue.py-era scripts write it, around a tiny
BERT-like classifier written the way modeling_bert.py writes one: embeddings (word + position +
token_type, LayerNorm, Dropout) with position_ids in a registered buffer from
torch.arange(...).expand((1, -1)), self-attention's transpose_for_scores (x.size()[:-1] +
(heads, head_size), view, permute(0, 2, 1, 3)), scores / math.sqrt(head_size) plus the extended
attention mask attention_mask[:, None, None, :] turned into (1.0 - mask) * torch.finfo(dtype).min,
context.permute(0, 2, 1, 3).contiguous() viewed back by size()[:-2] + (all_head_size,), a
GELU intermediate, a Tanh pooler on the first token, outputs returned as a (loss, logits) tuple
or a dict. The loop: set_seed with torch.manual_seed, a TensorDataset, RandomSampler with a
seeded torch.Generator (its order checked as a permutation; training runs over a
SequentialSampler, since the libraries' shuffles differ), no_decay = ["bias",
"LayerNorm.weight"] parameter groups for AdamW(eps=1e-8), get_linear_schedule_with_warmup
and get_cosine_schedule_with_warmup written with LambdaLR as transformers does, gradient
accumulation dividing the loss, clip_grad_norm_, optimizer.step(), scheduler.step(),
model.zero_grad(), scheduler.get_last_lr(), torch.autocast("cpu", enabled=False) around the
forward; evaluation collecting logits with np.append(preds, logits.detach().cpu().numpy(),
axis=0), and early stopping on the eval loss that keeps copy.deepcopy(model.state_dict()) of
the best epoch and loads it back."""

import copy
import math

import numpy as np

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    nn = torch.nn
    LambdaLR = torch.optim.lr_scheduler.LambdaLR
    data = torch.utils.data
    DataLoader, RandomSampler = data.DataLoader, data.RandomSampler
    SequentialSampler, TensorDataset = data.SequentialSampler, data.TensorDataset

    out = {}

    def set_seed(seed):
        torch.manual_seed(seed)

    set_seed(42)

    # a toy task: does token 5 occur more often than token 6 in the unpadded part?
    rng = np.random.default_rng(92)
    n, max_len, vocab = 96, 12, 16
    ids = rng.integers(7, vocab, (n, max_len))
    lengths = rng.integers(4, max_len + 1, n)
    for i in range(n):
        k = rng.integers(0, 4)
        ids[i, rng.choice(lengths[i], k, replace=False)] = 5 if i % 2 else 6
    attention = (np.arange(max_len)[None, :] < lengths[:, None]).astype(np.int64)
    ids = ids * attention  # 0 is [PAD]
    ids[:, 0] = 1  # [CLS]
    labels = ((ids == 5).sum(1) > (ids == 6).sum(1)).astype(np.int64)
    all_input_ids = torch.tensor(ids, dtype=torch.long)
    all_attention_mask = torch.tensor(attention, dtype=torch.long)
    all_token_type_ids = torch.zeros_like(all_input_ids)
    all_labels = torch.tensor(labels, dtype=torch.long)
    train_dataset = TensorDataset(
        all_input_ids[:64], all_attention_mask[:64], all_token_type_ids[:64], all_labels[:64]
    )
    eval_dataset = TensorDataset(
        all_input_ids[64:], all_attention_mask[64:], all_token_type_ids[64:], all_labels[64:]
    )

    class Config:
        vocab_size = vocab
        hidden_size = 16
        num_attention_heads = 2
        intermediate_size = 32
        max_position_embeddings = max_len
        type_vocab_size = 2
        layer_norm_eps = 1e-12
        hidden_dropout_prob = 0.0
        attention_probs_dropout_prob = 0.0
        num_labels = 2

    class BertEmbeddings(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.word_embeddings = nn.Embedding(
                config.vocab_size, config.hidden_size, padding_idx=0
            )
            self.position_embeddings = nn.Embedding(
                config.max_position_embeddings, config.hidden_size
            )
            self.token_type_embeddings = nn.Embedding(config.type_vocab_size, config.hidden_size)
            self.LayerNorm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
            self.dropout = nn.Dropout(config.hidden_dropout_prob)
            self.register_buffer(
                "position_ids",
                torch.arange(config.max_position_embeddings).expand((1, -1)),
                persistent=False,
            )

        def forward(self, input_ids, token_type_ids):
            seq_length = input_ids.size()[1]
            position_ids = self.position_ids[:, 0:seq_length]
            embeddings = self.word_embeddings(input_ids) + self.token_type_embeddings(
                token_type_ids
            )
            embeddings += self.position_embeddings(position_ids)
            embeddings = self.LayerNorm(embeddings)
            return self.dropout(embeddings)

    class BertSelfAttention(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.num_attention_heads = config.num_attention_heads
            self.attention_head_size = int(config.hidden_size / config.num_attention_heads)
            self.all_head_size = self.num_attention_heads * self.attention_head_size
            self.query = nn.Linear(config.hidden_size, self.all_head_size)
            self.key = nn.Linear(config.hidden_size, self.all_head_size)
            self.value = nn.Linear(config.hidden_size, self.all_head_size)
            self.dropout = nn.Dropout(config.attention_probs_dropout_prob)

        def transpose_for_scores(self, x):
            new_x_shape = x.size()[:-1] + (self.num_attention_heads, self.attention_head_size)
            x = x.view(new_x_shape)
            return x.permute(0, 2, 1, 3)

        def forward(self, hidden_states, attention_mask=None):
            query_layer = self.transpose_for_scores(self.query(hidden_states))
            key_layer = self.transpose_for_scores(self.key(hidden_states))
            value_layer = self.transpose_for_scores(self.value(hidden_states))
            attention_scores = torch.matmul(query_layer, key_layer.transpose(-1, -2))
            attention_scores = attention_scores / math.sqrt(self.attention_head_size)
            if attention_mask is not None:
                attention_scores = attention_scores + attention_mask
            attention_probs = nn.functional.softmax(attention_scores, dim=-1)
            attention_probs = self.dropout(attention_probs)
            context_layer = torch.matmul(attention_probs, value_layer)
            context_layer = context_layer.permute(0, 2, 1, 3).contiguous()
            new_context_layer_shape = context_layer.size()[:-2] + (self.all_head_size,)
            return context_layer.view(new_context_layer_shape), attention_probs

    class BertLayer(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.attention = BertSelfAttention(config)
            self.attention_output = nn.Linear(config.hidden_size, config.hidden_size)
            self.attention_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)
            self.intermediate = nn.Linear(config.hidden_size, config.intermediate_size)
            self.intermediate_act_fn = nn.GELU()
            self.output = nn.Linear(config.intermediate_size, config.hidden_size)
            self.output_norm = nn.LayerNorm(config.hidden_size, eps=config.layer_norm_eps)

        def forward(self, hidden_states, attention_mask):
            context, probs = self.attention(hidden_states, attention_mask)
            attention_output = self.attention_norm(self.attention_output(context) + hidden_states)
            intermediate = self.intermediate_act_fn(self.intermediate(attention_output))
            return self.output_norm(self.output(intermediate) + attention_output), probs

    class BertForSequenceClassification(nn.Module):
        def __init__(self, config):
            super().__init__()
            self.config = config
            self.num_labels = config.num_labels
            self.embeddings = BertEmbeddings(config)
            self.layer = nn.ModuleList([BertLayer(config) for _ in range(2)])
            self.pooler = nn.Linear(config.hidden_size, config.hidden_size)
            self.pooler_activation = nn.Tanh()
            self.dropout = nn.Dropout(config.hidden_dropout_prob)
            self.classifier = nn.Linear(config.hidden_size, config.num_labels)

        def get_extended_attention_mask(self, attention_mask, dtype):
            extended_attention_mask = attention_mask[:, None, None, :]
            extended_attention_mask = extended_attention_mask.to(dtype=dtype)  # fp16 compatibility
            return (1.0 - extended_attention_mask) * torch.finfo(dtype).min

        def forward(
            self, input_ids, attention_mask, token_type_ids, labels=None, return_dict=False
        ):
            hidden_states = self.embeddings(input_ids, token_type_ids)
            extended = self.get_extended_attention_mask(attention_mask, hidden_states.dtype)
            attentions = ()
            for layer_module in self.layer:
                hidden_states, probs = layer_module(hidden_states, extended)
                attentions = attentions + (probs,)
            first_token_tensor = hidden_states[:, 0]
            pooled_output = self.pooler_activation(self.pooler(first_token_tensor))
            logits = self.classifier(self.dropout(pooled_output))
            loss = None
            if labels is not None:
                loss_fct = nn.CrossEntropyLoss()
                loss = loss_fct(logits.view(-1, self.num_labels), labels.view(-1))
            if not return_dict:
                output = (logits,) + (attentions,)
                return ((loss,) + output) if loss is not None else output
            return {"loss": loss, "logits": logits, "attentions": attentions}

    def get_linear_schedule_with_warmup(
        optimizer, num_warmup_steps, num_training_steps, last_epoch=-1
    ):
        def lr_lambda(current_step: int):
            if current_step < num_warmup_steps:
                return float(current_step) / float(max(1, num_warmup_steps))
            return max(
                0.0,
                float(num_training_steps - current_step)
                / float(max(1, num_training_steps - num_warmup_steps)),
            )

        return LambdaLR(optimizer, lr_lambda, last_epoch)

    def get_cosine_schedule_with_warmup(
        optimizer, num_warmup_steps, num_training_steps, num_cycles=0.5, last_epoch=-1
    ):
        def lr_lambda(current_step):
            if current_step < num_warmup_steps:
                return float(current_step) / float(max(1, num_warmup_steps))
            progress = float(current_step - num_warmup_steps) / float(
                max(1, num_training_steps - num_warmup_steps)
            )
            return max(0.0, 0.5 * (1.0 + math.cos(math.pi * float(num_cycles) * 2.0 * progress)))

        return LambdaLR(optimizer, lr_lambda, last_epoch)

    config = Config()
    model = BertForSequenceClassification(config)
    init_from_numpy(torch, model, seed=92, scale=0.2)
    out["n_params"] = sum(p.numel() for p in model.parameters() if p.requires_grad)
    out["position_ids_in_state_dict"] = any("position_ids" in k for k in model.state_dict())

    # the order RandomSampler draws from a seeded generator: a permutation, whatever the draw
    g = torch.Generator()
    g.manual_seed(0)
    order = list(RandomSampler(train_dataset, generator=g))
    out["random_sampler_is_permutation"] = sorted(int(i) for i in order) == list(range(64))

    train_batch_size, gradient_accumulation_steps, num_train_epochs = 8, 2, 4
    train_dataloader = DataLoader(
        train_dataset, sampler=SequentialSampler(train_dataset), batch_size=train_batch_size
    )
    t_total = len(train_dataloader) // gradient_accumulation_steps * num_train_epochs

    no_decay = ["bias", "LayerNorm.weight"]
    optimizer_grouped_parameters = [
        {
            "params": [
                p for n, p in model.named_parameters() if not any(nd in n for nd in no_decay)
            ],
            "weight_decay": 0.01,
        },
        {
            "params": [p for n, p in model.named_parameters() if any(nd in n for nd in no_decay)],
            "weight_decay": 0.0,
        },
    ]
    out["group_sizes"] = [len(g["params"]) for g in optimizer_grouped_parameters]
    optimizer = torch.optim.AdamW(optimizer_grouped_parameters, lr=1e-2, eps=1e-8)
    scheduler = get_linear_schedule_with_warmup(
        optimizer, num_warmup_steps=2, num_training_steps=t_total
    )

    def evaluate():
        eval_dataloader = DataLoader(
            eval_dataset, sampler=SequentialSampler(eval_dataset), batch_size=16
        )
        eval_loss, nb_eval_steps = 0.0, 0
        preds, out_label_ids = None, None
        model.eval()
        for batch in eval_dataloader:
            batch = tuple(t.to("cpu") for t in batch)
            with torch.no_grad():
                inputs = {
                    "input_ids": batch[0],
                    "attention_mask": batch[1],
                    "token_type_ids": batch[2],
                    "labels": batch[3],
                }
                outputs = model(**inputs)
                tmp_eval_loss, logits = outputs[:2]
                eval_loss += tmp_eval_loss.mean().item()
            nb_eval_steps += 1
            if preds is None:
                preds = logits.detach().cpu().numpy()
                out_label_ids = inputs["labels"].detach().cpu().numpy()
            else:
                preds = np.append(preds, logits.detach().cpu().numpy(), axis=0)
                out_label_ids = np.append(
                    out_label_ids, inputs["labels"].detach().cpu().numpy(), axis=0
                )
        eval_loss = eval_loss / nb_eval_steps
        preds = np.argmax(preds, axis=1)
        return {"loss": eval_loss, "acc": float((preds == out_label_ids).mean())}

    global_step, tr_loss = 0, 0.0
    best_loss, best_state, best_epoch, patience, bad_epochs = float("inf"), None, -1, 2, 0
    lrs, evals = [], []
    model.zero_grad()
    for epoch in range(num_train_epochs):
        model.train()
        for step, batch in enumerate(train_dataloader):
            batch = tuple(t.to("cpu") for t in batch)
            inputs = {
                "input_ids": batch[0],
                "attention_mask": batch[1],
                "token_type_ids": batch[2],
                "labels": batch[3],
            }
            with torch.autocast("cpu", enabled=False):
                outputs = model(**inputs)
            loss = outputs[0]  # model outputs are always tuple in transformers (see doc)
            if gradient_accumulation_steps > 1:
                loss = loss / gradient_accumulation_steps
            loss.backward()
            tr_loss += loss.item()
            if (step + 1) % gradient_accumulation_steps == 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                scheduler.step()  # Update learning rate schedule
                model.zero_grad()
                global_step += 1
                lrs.append(scheduler.get_last_lr()[0])
        results = evaluate()
        evals.append([results["loss"], results["acc"]])
        if results["loss"] < best_loss:
            best_loss, best_epoch, bad_epochs = results["loss"], epoch, 0
            best_state = copy.deepcopy(model.state_dict())
        else:
            bad_epochs += 1
            if bad_epochs >= patience:
                break
    out["global_step"] = global_step
    out["avg_train_loss"] = tr_loss / global_step
    out["lrs"] = lrs
    out["evals"] = evals
    out["best_epoch"] = best_epoch

    model.load_state_dict(best_state)
    out["reloaded_eval"] = evaluate()
    outputs = model(
        all_input_ids[64:68], all_attention_mask[64:68], all_token_type_ids[64:68], return_dict=True
    )
    out["dict_keys"] = sorted(outputs)
    out["attention_rows_sum_to_one"] = bool(
        torch.allclose(outputs["attentions"][0].sum(-1), torch.ones(4, 2, max_len))
    )
    # padded keys get no attention
    out["padded_attention"] = (
        (outputs["attentions"][-1] * (1 - all_attention_mask[64:68])[:, None, None, :]).sum().item()
    )

    # the cosine schedule beside it, on a fresh optimizer
    opt = torch.optim.AdamW(nn.Linear(2, 2).parameters(), lr=1.0)
    cosine = get_cosine_schedule_with_warmup(opt, num_warmup_steps=3, num_training_steps=10)
    cos_lrs = []
    for _ in range(10):
        opt.step()
        cosine.step()
        cos_lrs.append(cosine.get_last_lr()[0])
    out["cosine_lrs"] = cos_lrs
    return out
