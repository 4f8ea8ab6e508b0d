"""pytorch/examples' word_language_model as written, at a tiny size: data.py's Dictionary and
Corpus reading train / valid / test files (written to a temporary folder) into int64 id tensors
joined by torch.cat, main.py's batchify (narrow, view(bsz, -1).t().contiguous()), get_batch with
bptt, repackage_hidden, RNNModel with an LSTM (and GRU / RNN_TANH variants), tied encoder /
decoder weights, init_hidden from next(self.parameters()).new_zeros, init_weights by uniform_,
training with clip_grad_norm_ and the hand-written SGD step p.data.add_(p.grad, alpha=-lr), the
log line's format string, evaluate() weighting each chunk by len(data), lr /= 4.0 when the
validation loss stops improving, the best model saved and loaded back (as a state_dict) with
rnn.flatten_parameters(); then the TransformerModel subclassing nn.Transformer with its
PositionalEncoding buffer and the log(tril(ones)) mask, evaluated, and generate.py's sampling
loop with input.fill_(word_idx). Dropout is 0 so both libraries see the same numbers."""

import math
import os
import tempfile
import warnings

import numpy as np

RTOL, ATOL = 2e-3, 2e-4

TRAIN = (
    """the cat sat on the mat
the dog sat on the log
a cat and a dog sat on a mat
the cat saw the dog on the log
"""
    * 3
)
VALID = "the dog sat on the mat\na cat saw a dog\n"
TEST = "the cat sat on the log\n"


def main(torch):
    nn = torch.nn
    F = torch.nn.functional
    out = {}

    class Dictionary(object):
        def __init__(self):
            self.word2idx = {}
            self.idx2word = []

        def add_word(self, word):
            if word not in self.word2idx:
                self.idx2word.append(word)
                self.word2idx[word] = len(self.idx2word) - 1
            return self.word2idx[word]

        def __len__(self):
            return len(self.idx2word)

    class Corpus(object):
        def __init__(self, path):
            self.dictionary = Dictionary()
            self.train = self.tokenize(os.path.join(path, "train.txt"))
            self.valid = self.tokenize(os.path.join(path, "valid.txt"))
            self.test = self.tokenize(os.path.join(path, "test.txt"))

        def tokenize(self, path):
            assert os.path.exists(path)
            with open(path, "r", encoding="utf8") as f:
                for line in f:
                    words = line.split() + ["<eos>"]
                    for word in words:
                        self.dictionary.add_word(word)
            with open(path, "r", encoding="utf8") as f:
                idss = []
                for line in f:
                    words = line.split() + ["<eos>"]
                    ids = []
                    for word in words:
                        ids.append(self.dictionary.word2idx[word])
                    idss.append(torch.tensor(ids).type(torch.int64))
                ids = torch.cat(idss)
            return ids

    class RNNModel(nn.Module):
        def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers, dropout=0.5, tie_weights=False):
            super(RNNModel, self).__init__()
            self.ntoken = ntoken
            self.drop = nn.Dropout(dropout)
            self.encoder = nn.Embedding(ntoken, ninp)
            if rnn_type in ["LSTM", "GRU"]:
                self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout)
            else:
                try:
                    nonlinearity = {"RNN_TANH": "tanh", "RNN_RELU": "relu"}[rnn_type]
                except KeyError as e:
                    raise ValueError("An invalid option for `--model` was supplied") from e
                self.rnn = nn.RNN(ninp, nhid, nlayers, nonlinearity=nonlinearity, dropout=dropout)
            self.decoder = nn.Linear(nhid, ntoken)
            if tie_weights:
                if nhid != ninp:
                    raise ValueError("When using the tied flag, nhid must be equal to emsize")
                self.decoder.weight = self.encoder.weight
            self.init_weights()
            self.rnn_type = rnn_type
            self.nhid = nhid
            self.nlayers = nlayers

        def init_weights(self):
            initrange = 0.1
            nn.init.uniform_(self.encoder.weight, -initrange, initrange)
            nn.init.zeros_(self.decoder.bias)
            nn.init.uniform_(self.decoder.weight, -initrange, initrange)

        def forward(self, input, hidden):
            emb = self.drop(self.encoder(input))
            output, hidden = self.rnn(emb, hidden)
            output = self.drop(output)
            decoded = self.decoder(output)
            decoded = decoded.view(-1, self.ntoken)
            return F.log_softmax(decoded, dim=1), hidden

        def init_hidden(self, bsz):
            weight = next(self.parameters())
            if self.rnn_type == "LSTM":
                return (
                    weight.new_zeros(self.nlayers, bsz, self.nhid),
                    weight.new_zeros(self.nlayers, bsz, self.nhid),
                )
            else:
                return weight.new_zeros(self.nlayers, bsz, self.nhid)

    class PositionalEncoding(nn.Module):
        def __init__(self, d_model, dropout=0.1, max_len=5000):
            super(PositionalEncoding, self).__init__()
            self.dropout = nn.Dropout(p=dropout)
            pe = torch.zeros(max_len, d_model)
            position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
            div_term = torch.exp(
                torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model)
            )
            pe[:, 0::2] = torch.sin(position * div_term)
            pe[:, 1::2] = torch.cos(position * div_term)
            pe = pe.unsqueeze(0).transpose(0, 1)
            self.register_buffer("pe", pe)

        def forward(self, x):
            x = x + self.pe[: x.size(0), :]
            return self.dropout(x)

    class TransformerModel(nn.Transformer):
        def __init__(self, ntoken, ninp, nhead, nhid, nlayers, dropout=0.5):
            super(TransformerModel, self).__init__(
                d_model=ninp,
                nhead=nhead,
                dim_feedforward=nhid,
                num_encoder_layers=nlayers,
                num_decoder_layers=1,
            )
            self.model_type = "Transformer"
            self.src_mask = None
            self.pos_encoder = PositionalEncoding(ninp, dropout)
            self.input_emb = nn.Embedding(ntoken, ninp)
            self.ninp = ninp
            self.decoder = nn.Linear(ninp, ntoken)
            self.init_weights()

        def _generate_square_subsequent_mask(self, sz):
            return torch.log(torch.tril(torch.ones(sz, sz)))

        def init_weights(self):
            initrange = 0.1
            nn.init.uniform_(self.input_emb.weight, -initrange, initrange)
            nn.init.zeros_(self.decoder.bias)
            nn.init.uniform_(self.decoder.weight, -initrange, initrange)

        def forward(self, src, has_mask=True):
            if has_mask:
                device = src.device
                if self.src_mask is None or self.src_mask.size(0) != len(src):
                    mask = self._generate_square_subsequent_mask(len(src)).to(device)
                    self.src_mask = mask
            else:
                self.src_mask = None
            src = self.input_emb(src) * math.sqrt(self.ninp)
            src = self.pos_encoder(src)
            output = self.encoder(src, mask=self.src_mask)
            output = self.decoder(output)
            return F.log_softmax(output, dim=-1)

    def overwrite(model, seed, scale=0.1):
        rng = np.random.default_rng(seed)
        with torch.no_grad():
            for _, p in model.named_parameters():
                p.copy_(torch.from_numpy(rng.uniform(-scale, scale, tuple(p.shape)).astype("f")))

    with tempfile.TemporaryDirectory() as folder:
        for name, text in (("train", TRAIN), ("valid", VALID), ("test", TEST)):
            with open(os.path.join(folder, name + ".txt"), "w", encoding="utf8") as f:
                f.write(text)
        corpus = Corpus(folder)
        device = torch.device("cpu")

        def batchify(data, bsz):
            nbatch = data.size(0) // bsz
            data = data.narrow(0, 0, nbatch * bsz)
            data = data.view(bsz, -1).t().contiguous()
            return data.to(device)

        batch_size, eval_batch_size, bptt, clip, log_interval = 4, 2, 5, 0.25, 2
        train_data = batchify(corpus.train, batch_size)
        val_data = batchify(corpus.valid, eval_batch_size)
        test_data = batchify(corpus.test, eval_batch_size)
        out["ntokens"] = len(corpus.dictionary)
        out["shapes"] = [list(train_data.shape), list(val_data.shape), list(test_data.shape)]
        out["train_dtype"] = str(train_data.dtype).replace("torch.", "")
        ntokens = len(corpus.dictionary)

        def repackage_hidden(h):
            if isinstance(h, torch.Tensor):
                return h.detach()
            else:
                return tuple(repackage_hidden(v) for v in h)

        def get_batch(source, i):
            seq_len = min(bptt, len(source) - 1 - i)
            data = source[i : i + seq_len]
            target = source[i + 1 : i + 1 + seq_len].view(-1)
            return data, target

        criterion = nn.NLLLoss()
        log = []

        def evaluate(model, data_source, kind):
            model.eval()
            total_loss = 0.0
            if kind != "Transformer":
                hidden = model.init_hidden(eval_batch_size)
            with torch.no_grad():
                for i in range(0, data_source.size(0) - 1, bptt):
                    data, targets = get_batch(data_source, i)
                    if kind == "Transformer":
                        output = model(data)
                        output = output.view(-1, ntokens)
                    else:
                        output, hidden = model(data, hidden)
                        hidden = repackage_hidden(hidden)
                    total_loss += len(data) * criterion(output, targets).item()
            return total_loss / (len(data_source) - 1)

        def train(model, epoch, lr, kind):
            model.train()
            total_loss = 0.0
            if kind != "Transformer":
                hidden = model.init_hidden(batch_size)
            for batch, i in enumerate(range(0, train_data.size(0) - 1, bptt)):
                data, targets = get_batch(train_data, i)
                model.zero_grad()
                if kind == "Transformer":
                    output = model(data)
                    output = output.view(-1, ntokens)
                else:
                    hidden = repackage_hidden(hidden)
                    output, hidden = model(data, hidden)
                loss = criterion(output, targets)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
                for p in model.parameters():
                    p.data.add_(p.grad, alpha=-lr)
                total_loss += loss.item()
                if batch % log_interval == 0 and batch > 0:
                    cur_loss = total_loss / log_interval
                    log.append(
                        "| epoch {:3d} | {:5d}/{:5d} batches | lr {:02.2f} | loss {:5.2f} | "
                        "ppl {:8.2f}".format(
                            epoch,
                            batch,
                            len(train_data) // bptt,
                            lr,
                            cur_loss,
                            math.exp(cur_loss),
                        )
                    )
                    total_loss = 0

        torch.manual_seed(1111)
        model = RNNModel("LSTM", ntokens, 12, 12, 2, dropout=0.0, tie_weights=True).to(device)
        out["tied"] = model.decoder.weight is model.encoder.weight
        out["uniform_init_ok"] = model.encoder.weight.abs().max().item() <= 0.1
        out["n_params"] = sum(p.numel() for p in model.parameters())
        overwrite(model, 75)
        try:
            RNNModel("LSTM", ntokens, 12, 10, 1, dropout=0.0, tie_weights=True)
        except ValueError as e:
            out["tie_error"] = str(e)
        try:
            RNNModel("TRANSFORMERISH", ntokens, 12, 12, 1, dropout=0.0)
        except ValueError as e:
            out["type_error"] = str(e)
        hidden = model.init_hidden(3)
        out["hidden"] = [list(h.shape) for h in hidden] + [str(hidden[0].dtype)[-7:]]
        lr, best_val_loss, val_losses, lrs = 20.0, None, [], []
        save = os.path.join(folder, "model.pt")
        for epoch in range(1, 5):
            train(model, epoch, lr, "LSTM")
            val_loss = evaluate(model, val_data, "LSTM")
            val_losses.append(val_loss)
            if not best_val_loss or val_loss < best_val_loss:
                with open(save, "wb") as f:
                    torch.save(model.state_dict(), f)
                best_val_loss = val_loss
            else:
                lr /= 4.0
            lrs.append(lr)
        out["log"], out["val_losses"], out["lrs"] = log, val_losses, lrs
        best = RNNModel("LSTM", ntokens, 12, 12, 2, dropout=0.0, tie_weights=True)
        with open(save, "rb") as f:
            best.load_state_dict(torch.load(f))
            best.rnn.flatten_parameters()
        test_loss = evaluate(best, test_data, "LSTM")
        out["test_ppl"] = math.exp(test_loss)

        for rnn_type in ("GRU", "RNN_TANH", "RNN_RELU"):
            other = RNNModel(rnn_type, ntokens, 8, 8, 1, dropout=0.0)
            overwrite(other, 7)
            train(other, 1, 5.0, rnn_type)
            out[rnn_type] = evaluate(other, val_data, rnn_type)

        with warnings.catch_warnings():  # torch: nested tensors need batch_first
            warnings.simplefilter("ignore", UserWarning)
            tmodel = TransformerModel(ntokens, 8, 2, 16, 1, dropout=0.0)
        overwrite(tmodel, 76, scale=0.3)
        out["pe"] = tmodel.pos_encoder.pe[:3, 0, :4].numpy()
        out["pe_shape"] = list(tmodel.pos_encoder.pe.shape)
        for m in tmodel.modules():  # attention keeps its dropout as a float, not a module
            if isinstance(m, nn.Dropout):
                m.p = 0.0
            elif isinstance(m, nn.MultiheadAttention):
                m.dropout = 0.0
        before = evaluate(tmodel, val_data, "Transformer")
        out["mask"] = tmodel.src_mask.numpy()
        train(tmodel, 1, 0.5, "Transformer")
        out["transformer"] = [before, evaluate(tmodel, val_data, "Transformer")]

        best.eval()
        words = []
        input = torch.randint(ntokens, (1, 1), dtype=torch.long).to(device)
        hidden = best.init_hidden(1)
        with torch.no_grad():
            for i in range(10):
                output, hidden = best(input, hidden)
                word_weights = output.squeeze().div(1.0).exp().cpu()
                word_idx = torch.multinomial(word_weights, 1)[0]
                input.fill_(word_idx)
                words.append(corpus.dictionary.idx2word[word_idx])
        out["generated"] = [len(words), all(w in corpus.dictionary.word2idx for w in words)]
    return out
