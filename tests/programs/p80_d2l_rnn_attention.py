"""Dive into Deep Learning's sequence and attention chapters as the book writes them (d2l 0.17,
PyTorch tab), with the d2l helpers copied in, on a short text: a character Vocab, random.randint
offsets in seq_data_iter_sequential, the RNN and the GRU from scratch (F.one_hot(X.T, vocab)
.type(torch.float32), torch.mm / @ per time step, torch.cat over steps), RNNModelScratch,
predict_ch8 with int(y.argmax(dim=1).reshape(1)), grad_clipping by the norm over
sum(torch.sum(p.grad ** 2)) with param.grad[:] *= theta / norm, train_epoch_ch8 detaching the
carried state in place with s.detach_() and state.detach_(), the hand-written sgd and the concise
RNNModel around nn.GRU with torch.optim.SGD; then Nadaraya-Watson kernel regression (sort,
repeat_interleave, keys picked by (1 - torch.eye(n)).type(torch.bool), a learned bandwidth
trained through torch.bmm) and the attention scoring functions (masked_softmax through
sequence_mask's X[~mask] = value, AdditiveAttention, DotProductAttention) on the book's toy
queries. Weights the book draws from torch.randn come from numpy here. With gradients on,
sequence_mask's X[~mask] = value writes into a reshape() view of a tensor in the graph, which
both libraries record through the view's base."""

import math
import random

import numpy as np

RTOL, ATOL = 2e-3, 2e-4

TEXT = (
    "the time machine by h g wells i the time traveller for so it will be convenient to speak "
    "of him was expounding a recondite matter to us his grey eyes shone and twinkled and his "
    "usually pale face was flushed and animated the fire burned brightly"
)


def main(torch):
    nn = torch.nn
    F = torch.nn.functional
    rng = np.random.default_rng(80)
    random.seed(80)
    out = {}

    def randn(*shape):
        return torch.from_numpy(rng.standard_normal(shape).astype(np.float32))

    class Vocab:
        def __init__(self, tokens):
            counter = {}
            for token in tokens:
                counter[token] = counter.get(token, 0) + 1
            self._token_freqs = sorted(counter.items(), key=lambda x: x[1], reverse=True)
            self.idx_to_token = ["<unk>"]
            self.token_to_idx = {token: idx for idx, token in enumerate(self.idx_to_token)}
            for token, freq in self._token_freqs:
                if token not in self.token_to_idx:
                    self.idx_to_token.append(token)
                    self.token_to_idx[token] = len(self.idx_to_token) - 1

        def __len__(self):
            return len(self.idx_to_token)

        def __getitem__(self, tokens):
            if not isinstance(tokens, (list, tuple)):
                return self.token_to_idx.get(tokens, 0)
            return [self.__getitem__(token) for token in tokens]

    vocab = Vocab(list(TEXT))
    corpus = vocab[list(TEXT)]
    batch_size, num_steps, num_hiddens = 4, 8, 24
    device = torch.device("cpu")

    def seq_data_iter_sequential(corpus, batch_size, num_steps):
        offset = random.randint(0, num_steps)
        num_tokens = ((len(corpus) - offset - 1) // batch_size) * batch_size
        Xs = torch.tensor(corpus[offset : offset + num_tokens])
        Ys = torch.tensor(corpus[offset + 1 : offset + 1 + num_tokens])
        Xs, Ys = Xs.reshape(batch_size, -1), Ys.reshape(batch_size, -1)
        num_batches = Xs.shape[1] // num_steps
        for i in range(0, num_steps * num_batches, num_steps):
            X = Xs[:, i : i + num_steps]
            Y = Ys[:, i : i + num_steps]
            yield X, Y

    def rnn_params(vocab_size, num_hiddens, device):
        num_inputs = num_outputs = vocab_size

        def normal(shape):
            return randn(*shape).to(device) * 0.1

        W_xh = normal((num_inputs, num_hiddens))
        W_hh = normal((num_hiddens, num_hiddens))
        b_h = torch.zeros(num_hiddens, device=device)
        W_hq = normal((num_hiddens, num_outputs))
        b_q = torch.zeros(num_outputs, device=device)
        params = [W_xh, W_hh, b_h, W_hq, b_q]
        for param in params:
            param.requires_grad_(True)
        return params

    def gru_params(vocab_size, num_hiddens, device):
        num_inputs = num_outputs = vocab_size

        def normal(shape):
            return randn(*shape).to(device) * 0.1

        def three():
            return (
                normal((num_inputs, num_hiddens)),
                normal((num_hiddens, num_hiddens)),
                torch.zeros(num_hiddens, device=device),
            )

        W_xz, W_hz, b_z = three()
        W_xr, W_hr, b_r = three()
        W_xh, W_hh, b_h = three()
        W_hq = normal((num_hiddens, num_outputs))
        b_q = torch.zeros(num_outputs, device=device)
        params = [W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q]
        for param in params:
            param.requires_grad_(True)
        return params

    def init_rnn_state(batch_size, num_hiddens, device):
        return (torch.zeros((batch_size, num_hiddens), device=device),)

    def rnn(inputs, state, params):
        W_xh, W_hh, b_h, W_hq, b_q = params
        (H,) = state
        outputs = []
        for X in inputs:
            H = torch.tanh(torch.mm(X, W_xh) + torch.mm(H, W_hh) + b_h)
            Y = torch.mm(H, W_hq) + b_q
            outputs.append(Y)
        return torch.cat(outputs, dim=0), (H,)

    def gru(inputs, state, params):
        W_xz, W_hz, b_z, W_xr, W_hr, b_r, W_xh, W_hh, b_h, W_hq, b_q = params
        (H,) = state
        outputs = []
        for X in inputs:
            Z = torch.sigmoid((X @ W_xz) + (H @ W_hz) + b_z)
            R = torch.sigmoid((X @ W_xr) + (H @ W_hr) + b_r)
            H_tilda = torch.tanh((X @ W_xh) + ((R * H) @ W_hh) + b_h)
            H = Z * H + (1 - Z) * H_tilda
            Y = H @ W_hq + b_q
            outputs.append(Y)
        return torch.cat(outputs, dim=0), (H,)

    class RNNModelScratch:
        def __init__(self, vocab_size, num_hiddens, device, get_params, init_state, forward_fn):
            self.vocab_size, self.num_hiddens = vocab_size, num_hiddens
            self.params = get_params(vocab_size, num_hiddens, device)
            self.init_state, self.forward_fn = init_state, forward_fn

        def __call__(self, X, state):
            X = F.one_hot(X.T, self.vocab_size).type(torch.float32)
            return self.forward_fn(X, state, self.params)

        def begin_state(self, batch_size, device):
            return self.init_state(batch_size, self.num_hiddens, device)

    class RNNModel(nn.Module):
        def __init__(self, rnn_layer, vocab_size, **kwargs):
            super(RNNModel, self).__init__(**kwargs)
            self.rnn = rnn_layer
            self.vocab_size = vocab_size
            self.num_hiddens = self.rnn.hidden_size
            if not self.rnn.bidirectional:
                self.num_directions = 1
                self.linear = nn.Linear(self.num_hiddens, self.vocab_size)
            else:
                self.num_directions = 2
                self.linear = nn.Linear(self.num_hiddens * 2, self.vocab_size)

        def forward(self, inputs, state):
            X = F.one_hot(inputs.T.long(), self.vocab_size)
            X = X.to(torch.float32)
            Y, state = self.rnn(X, state)
            output = self.linear(Y.reshape((-1, Y.shape[-1])))
            return output, state

        def begin_state(self, device, batch_size=1):
            if not isinstance(self.rnn, nn.LSTM):
                return torch.zeros(
                    (self.num_directions * self.rnn.num_layers, batch_size, self.num_hiddens),
                    device=device,
                )
            else:
                return (
                    torch.zeros(
                        (self.num_directions * self.rnn.num_layers, batch_size, self.num_hiddens),
                        device=device,
                    ),
                    torch.zeros(
                        (self.num_directions * self.rnn.num_layers, batch_size, self.num_hiddens),
                        device=device,
                    ),
                )

    def predict_ch8(prefix, num_preds, net, vocab, device):
        state = net.begin_state(batch_size=1, device=device)
        outputs = [vocab[prefix[0]]]
        get_input = lambda: torch.tensor([outputs[-1]], device=device).reshape((1, 1))
        for y in prefix[1:]:
            _, state = net(get_input(), state)
            outputs.append(vocab[y])
        for _ in range(num_preds):
            y, state = net(get_input(), state)
            outputs.append(int(y.argmax(dim=1).reshape(1)))
        return "".join([vocab.idx_to_token[i] for i in outputs])

    def grad_clipping(net, theta):
        if isinstance(net, nn.Module):
            params = [p for p in net.parameters() if p.requires_grad]
        else:
            params = net.params
        norm = torch.sqrt(sum(torch.sum((p.grad**2)) for p in params))
        if norm > theta:
            for param in params:
                param.grad[:] *= theta / norm

    def sgd(params, lr, batch_size):
        with torch.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    def train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter):
        state = None
        total, count = 0.0, 0
        for X, Y in train_iter:
            if state is None or use_random_iter:
                state = net.begin_state(batch_size=X.shape[0], device=device)
            else:
                if isinstance(net, nn.Module) and not isinstance(state, tuple):
                    state.detach_()
                else:
                    for s in state:
                        s.detach_()
            y = Y.T.reshape(-1)
            X, y = X.to(device), y.to(device)
            y_hat, state = net(X, state)
            l = loss(y_hat, y.long()).mean()
            if isinstance(updater, torch.optim.Optimizer):
                updater.zero_grad()
                l.backward()
                grad_clipping(net, 1)
                updater.step()
            else:
                l.backward()
                grad_clipping(net, 1)
                updater(batch_size=1)
            total, count = total + float(l.detach() * y.numel()), count + y.numel()
        return math.exp(total / count)

    def train_ch8(net, lr, num_epochs, use_random_iter=False):
        loss = nn.CrossEntropyLoss()
        if isinstance(net, nn.Module):
            updater = torch.optim.SGD(net.parameters(), lr)
        else:
            updater = lambda batch_size: sgd(net.params, lr, batch_size)
        ppls = []
        for epoch in range(num_epochs):
            train_iter = seq_data_iter_sequential(corpus, batch_size, num_steps)
            ppls.append(train_epoch_ch8(net, train_iter, loss, updater, device, use_random_iter))
        return ppls, predict_ch8("time ", 10, net, vocab, device)

    X = torch.arange(10).reshape((2, 5))
    out["one_hot"] = list(F.one_hot(X.T, 28).shape)
    scratch = RNNModelScratch(len(vocab), num_hiddens, device, rnn_params, init_rnn_state, rnn)
    state = scratch.begin_state(X.shape[0], device)
    Y, new_state = scratch(X, state)
    out["rnn_shapes"] = [list(Y.shape), len(new_state), list(new_state[0].shape)]
    out["rnn_scratch"] = train_ch8(scratch, 1.0, 4)
    gru_scratch = RNNModelScratch(len(vocab), num_hiddens, device, gru_params, init_rnn_state, gru)
    out["gru_scratch"] = train_ch8(gru_scratch, 1.0, 4)

    gru_layer = nn.GRU(len(vocab), num_hiddens)
    concise = RNNModel(gru_layer, vocab_size=len(vocab))
    with torch.no_grad():
        for p in concise.parameters():
            p.copy_(randn(*p.shape) * 0.1)
    concise = concise.to(device)
    out["gru_concise"] = train_ch8(concise, 1.0, 4)

    # 10.2 Nadaraya-Watson kernel regression
    n_train = 30
    x_train, _ = torch.sort(torch.from_numpy(rng.random(n_train).astype(np.float32)) * 5)

    def f(x):
        return 2 * torch.sin(x) + x**0.8

    y_train = f(x_train) + torch.from_numpy(rng.normal(0, 0.5, n_train).astype(np.float32))
    x_test = torch.arange(0, 5, 0.1)
    y_truth = f(x_test)
    n_test = len(x_test)
    X_repeat = x_test.repeat_interleave(n_train).reshape((-1, n_train))
    attention_weights = nn.functional.softmax(-((X_repeat - x_train) ** 2) / 2, dim=1)
    y_hat = torch.matmul(attention_weights, y_train)
    out["nw_fixed_mse"] = ((y_hat - y_truth) ** 2).mean().item()
    out["n_test"] = n_test

    class NWKernelRegression(nn.Module):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.w = nn.Parameter(torch.rand((1,), requires_grad=True))

        def forward(self, queries, keys, values):
            queries = queries.repeat_interleave(keys.shape[1]).reshape((-1, keys.shape[1]))
            self.attention_weights = nn.functional.softmax(
                -(((queries - keys) * self.w) ** 2) / 2, dim=1
            )
            return torch.bmm(self.attention_weights.unsqueeze(1), values.unsqueeze(-1)).reshape(-1)

    X_tile = x_train.repeat((n_train, 1))
    Y_tile = y_train.repeat((n_train, 1))
    keys = X_tile[(1 - torch.eye(n_train)).type(torch.bool)].reshape((n_train, -1))
    values = Y_tile[(1 - torch.eye(n_train)).type(torch.bool)].reshape((n_train, -1))
    net = NWKernelRegression()
    with torch.no_grad():
        net.w.fill_(0.7)
    loss = nn.MSELoss(reduction="none")
    trainer = torch.optim.SGD(net.parameters(), lr=0.5)
    nw_losses = []
    for epoch in range(5):
        trainer.zero_grad()
        l = loss(net(x_train, keys, values), y_train)
        l.sum().backward()
        trainer.step()
        nw_losses.append(float(l.sum().detach()))
    out["nw_losses"], out["nw_w"] = nw_losses, net.w.item()
    keys = x_train.repeat((n_test, 1))
    values = y_train.repeat((n_test, 1))
    y_hat = net(x_test, keys, values).unsqueeze(1).detach()
    out["nw_pred"] = y_hat[:5, 0].numpy()

    # 10.3 attention scoring functions
    def sequence_mask(X, valid_len, value=0):
        maxlen = X.size(1)
        mask = (
            torch.arange((maxlen), dtype=torch.float32, device=X.device)[None, :]
            < valid_len[:, None]
        )
        X[~mask] = value
        return X

    def masked_softmax(X, valid_lens):
        if valid_lens is None:
            return nn.functional.softmax(X, dim=-1)
        else:
            shape = X.shape
            if valid_lens.dim() == 1:
                valid_lens = torch.repeat_interleave(valid_lens, shape[1])
            else:
                valid_lens = valid_lens.reshape(-1)
            X = sequence_mask(X.reshape(-1, shape[-1]), valid_lens, value=-1e6)
            return nn.functional.softmax(X.reshape(shape), dim=-1)

    scores = torch.from_numpy(rng.random((2, 2, 4)).astype(np.float32))
    out["masked_1d"] = masked_softmax(scores.clone(), torch.tensor([2, 3])).numpy()
    out["masked_2d"] = masked_softmax(scores.clone(), torch.tensor([[1, 3], [2, 4]])).numpy()

    class AdditiveAttention(nn.Module):
        def __init__(self, key_size, query_size, num_hiddens, dropout, **kwargs):
            super(AdditiveAttention, self).__init__(**kwargs)
            self.W_k = nn.Linear(key_size, num_hiddens, bias=False)
            self.W_q = nn.Linear(query_size, num_hiddens, bias=False)
            self.w_v = nn.Linear(num_hiddens, 1, bias=False)
            self.dropout = nn.Dropout(dropout)

        def forward(self, queries, keys, values, valid_lens):
            queries, keys = self.W_q(queries), self.W_k(keys)
            features = queries.unsqueeze(2) + keys.unsqueeze(1)
            features = torch.tanh(features)
            scores = self.w_v(features).squeeze(-1)
            self.attention_weights = masked_softmax(scores, valid_lens)
            return torch.bmm(self.dropout(self.attention_weights), values)

    class DotProductAttention(nn.Module):
        def __init__(self, dropout, **kwargs):
            super(DotProductAttention, self).__init__(**kwargs)
            self.dropout = nn.Dropout(dropout)

        def forward(self, queries, keys, values, valid_lens=None):
            d = queries.shape[-1]
            scores = torch.bmm(queries, keys.transpose(1, 2)) / math.sqrt(d)
            self.attention_weights = masked_softmax(scores, valid_lens)
            return torch.bmm(self.dropout(self.attention_weights), values)

    queries, keys = randn(2, 1, 20), torch.ones((2, 10, 2))
    values = torch.arange(40, dtype=torch.float32).reshape(1, 10, 4).repeat(2, 1, 1)
    valid_lens = torch.tensor([2, 6])
    attention = AdditiveAttention(key_size=2, query_size=20, num_hiddens=8, dropout=0.1)
    with torch.no_grad():
        for p in attention.parameters():
            p.copy_(randn(*p.shape) * 0.3)
    attention.eval()
    out["additive"] = attention(queries, keys, values, valid_lens).detach().numpy()
    out["additive_weights"] = attention.attention_weights[0, 0].detach().numpy()
    queries = randn(2, 1, 2)
    attention = DotProductAttention(dropout=0.5)
    attention.eval()
    out["dot"] = attention(queries, keys, values, valid_lens).numpy()
    return out
