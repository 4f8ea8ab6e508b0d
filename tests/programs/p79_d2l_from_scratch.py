"""Dive into Deep Learning's from-scratch chapters as the book writes them (d2l 0.17, PyTorch tab),
with the d2l helpers copied in: softmax regression from scratch on digits (softmax with
X_exp.sum(1, keepdim=True), cross_entropy as -torch.log(y_hat[range(len(y_hat)), y]), accuracy
with y_hat.type(y.dtype), the Accumulator adding float(tensor)s, train_epoch_ch3 with a
hand-written sgd updater and with torch.optim, evaluate_accuracy); weight decay from scratch on
synthetic_data (l2_penalty, squared_loss, linreg) and concisely (a param group with its own
weight_decay, MSELoss(reduction='none')); dropout_layer from scratch (rand mask, the p = 0 and
p = 1 cases); batch normalization from scratch (batch_norm switching on torch.is_grad_enabled(),
moving averages returned as .data, a BatchNorm module with plain-tensor moving statistics moved
by .to(X.device)) inside a LeNet trained by train_ch6 with net.apply(init_weights); and the
concise nn.BatchNorm2d LeNet beside it. Random draws the book takes from torch come from numpy
here, and the loaders do not shuffle, so both libraries see the same numbers."""

import warnings

import numpy as np
from sklearn.datasets import load_digits

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    with warnings.catch_warnings():  # torch 2.x warns on d2l's float(l.sum()) of a grad tensor
        warnings.filterwarnings("ignore", "Converting a tensor with requires_grad=True")
        return _book(torch)


def _book(torch):
    nn, data = torch.nn, torch.utils.data
    rng = np.random.default_rng(79)
    out = {}

    def normal(mean, std, size):
        return torch.from_numpy(rng.normal(mean, std, size).astype(np.float32))

    def load_array(data_arrays, batch_size, is_train=True):
        dataset = data.TensorDataset(*data_arrays)
        return data.DataLoader(dataset, batch_size, shuffle=is_train)

    class Accumulator:
        """For accumulating sums over `n` variables."""

        def __init__(self, n):
            self.data = [0.0] * n

        def add(self, *args):
            self.data = [a + float(b) for a, b in zip(self.data, args)]

        def reset(self):
            self.data = [0.0] * len(self.data)

        def __getitem__(self, idx):
            return self.data[idx]

    def accuracy(y_hat, y):
        if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
            y_hat = y_hat.argmax(axis=1)
        cmp = y_hat.type(y.dtype) == y
        return float(cmp.type(y.dtype).sum())

    def evaluate_accuracy(net, data_iter):
        if isinstance(net, torch.nn.Module):
            net.eval()
        metric = Accumulator(2)
        with torch.no_grad():
            for X, y in data_iter:
                metric.add(accuracy(net(X), y), y.numel())
        return metric[0] / metric[1]

    def train_epoch_ch3(net, train_iter, loss, updater):
        if isinstance(net, torch.nn.Module):
            net.train()
        metric = Accumulator(3)
        for X, y in train_iter:
            y_hat = net(X)
            l = loss(y_hat, y)
            if isinstance(updater, torch.optim.Optimizer):
                updater.zero_grad()
                l.mean().backward()
                updater.step()
            else:
                l.sum().backward()
                updater(X.shape[0])
            metric.add(float(l.sum()), accuracy(y_hat, y), y.numel())
        return metric[0] / metric[2], metric[1] / metric[2]

    def sgd(params, lr, batch_size):
        with torch.no_grad():
            for param in params:
                param -= lr * param.grad / batch_size
                param.grad.zero_()

    # 3.6 softmax regression from scratch
    digits = load_digits()
    images = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    labels = torch.tensor(digits.target)
    train_iter = load_array((images[:400], labels[:400]), 64, is_train=False)
    test_iter = load_array((images[1000:1300], labels[1000:1300]), 100, is_train=False)
    num_inputs, num_outputs = 64, 10
    W = normal(0, 0.01, (num_inputs, num_outputs)).requires_grad_(True)
    b = torch.zeros(num_outputs, requires_grad=True)

    def softmax(X):
        X_exp = torch.exp(X)
        partition = X_exp.sum(1, keepdim=True)
        return X_exp / partition

    X = normal(0, 1, (2, 5))
    X_prob = softmax(X)
    out["softmax_rows"] = X_prob.sum(1).numpy()

    def net(X):
        return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)

    def cross_entropy(y_hat, y):
        return -torch.log(y_hat[range(len(y_hat)), y])

    y = torch.tensor([0, 2])
    y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    out["pick"] = y_hat[[0, 1], y].numpy()
    out["toy_ce"] = cross_entropy(y_hat, y).numpy()
    out["toy_acc"] = accuracy(y_hat, y) / len(y)
    out["acc_before"] = evaluate_accuracy(net, test_iter)
    lr = 0.5

    def updater(batch_size):
        return sgd([W, b], lr, batch_size)

    metrics = []
    for epoch in range(3):
        train_metrics = train_epoch_ch3(net, train_iter, cross_entropy, updater)
        test_acc = evaluate_accuracy(net, test_iter)
        metrics.append([*train_metrics, test_acc])
    out["softmax_scratch"] = metrics

    concise = nn.Sequential(nn.Flatten(), nn.Linear(64, 10))

    def init_weights(m):
        if type(m) == nn.Linear:  # noqa: E721 (the book's test)
            nn.init.normal_(m.weight, std=0.01)

    concise.apply(init_weights)
    out["init_std_ok"] = abs(concise[1].weight.std().item() - 0.01) < 0.003
    with torch.no_grad():
        concise[1].weight.copy_(normal(0, 0.01, (10, 64)))
        concise[1].bias.copy_(normal(0, 0.01, (10,)))
    loss = nn.CrossEntropyLoss(reduction="none")
    trainer = torch.optim.SGD(concise.parameters(), lr=0.5)
    out["softmax_concise"] = [train_epoch_ch3(concise, train_iter, loss, trainer) for _ in range(2)]

    # 4.5 weight decay
    def synthetic_data(w, b, num_examples):
        X = normal(0, 1, (num_examples, len(w)))
        y = torch.matmul(X, w) + b
        y += normal(0, 0.01, tuple(y.shape))
        return X, y.reshape((-1, 1))

    n_train, n_test, num_inputs, batch_size = 20, 100, 200, 5
    true_w, true_b = torch.ones((num_inputs, 1)) * 0.01, 0.05
    train_data = synthetic_data(true_w, true_b, n_train)
    wd_train_iter = load_array(train_data, batch_size, is_train=False)
    test_data = synthetic_data(true_w, true_b, n_test)
    wd_test_iter = load_array(test_data, batch_size, is_train=False)
    start_w = normal(0, 1, (num_inputs, 1))

    def init_params():
        w = start_w.clone().requires_grad_(True)
        b = torch.zeros(1, requires_grad=True)
        return [w, b]

    def l2_penalty(w):
        return torch.sum(w.pow(2)) / 2

    def linreg(X, w, b):
        return torch.matmul(X, w) + b

    def squared_loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def evaluate_loss(net, data_iter, loss):
        metric = Accumulator(2)
        for X, y in data_iter:
            out = net(X)
            y = y.reshape(out.shape)
            l = loss(out, y)
            metric.add(l.sum(), l.numel())
        return metric[0] / metric[1]

    def train(lambd):
        w, b = init_params()
        net, loss = lambda X: linreg(X, w, b), squared_loss
        num_epochs, lr = 20, 0.003
        for epoch in range(num_epochs):
            for X, y in wd_train_iter:
                l = loss(net(X), y) + lambd * l2_penalty(w)
                l.sum().backward()
                sgd([w, b], lr, batch_size)
        return [torch.norm(w).item(), evaluate_loss(net, wd_test_iter, loss)]

    out["wd_scratch"] = [train(lambd=0), train(lambd=3)]

    def train_concise(wd):
        net = nn.Sequential(nn.Linear(num_inputs, 1))
        for param in net.parameters():
            param.data.normal_()
        with torch.no_grad():
            net[0].weight.copy_(start_w.T)
            net[0].bias.zero_()
        loss = nn.MSELoss(reduction="none")
        num_epochs, lr = 20, 0.003
        trainer = torch.optim.SGD(
            [{"params": net[0].weight, "weight_decay": wd}, {"params": net[0].bias}], lr=lr
        )
        for epoch in range(num_epochs):
            for X, y in wd_train_iter:
                trainer.zero_grad()
                l = loss(net(X), y)
                l.mean().backward()
                trainer.step()
        return [net[0].weight.norm().item(), evaluate_loss(net, wd_test_iter, loss)]

    out["wd_concise"] = [train_concise(0), train_concise(3)]

    # 4.6 dropout from scratch
    def dropout_layer(X, dropout):
        assert 0 <= dropout <= 1
        if dropout == 1:
            return torch.zeros_like(X)
        if dropout == 0:
            return X
        mask = (torch.rand(X.shape) > dropout).float()
        return mask * X / (1.0 - dropout)

    X = torch.arange(16, dtype=torch.float32).reshape((2, 8))
    half = dropout_layer(X, 0.5)
    out["dropout"] = {
        "p0": dropout_layer(X, 0.0).numpy(),
        "p1": dropout_layer(X, 1.0).numpy(),
        "half": bool(((half == 0) | (half == 2 * X)).all()),
        "dtype": str(half.dtype).split(".")[-1],
    }

    # 7.5 batch normalization from scratch
    def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):
        if not torch.is_grad_enabled():
            X_hat = (X - moving_mean) / torch.sqrt(moving_var + eps)
        else:
            assert len(X.shape) in (2, 4)
            if len(X.shape) == 2:
                mean = X.mean(dim=0)
                var = ((X - mean) ** 2).mean(dim=0)
            else:
                mean = X.mean(dim=(0, 2, 3), keepdim=True)
                var = ((X - mean) ** 2).mean(dim=(0, 2, 3), keepdim=True)
            X_hat = (X - mean) / torch.sqrt(var + eps)
            moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
            moving_var = momentum * moving_var + (1.0 - momentum) * var
        Y = gamma * X_hat + beta
        return Y, moving_mean.data, moving_var.data

    class BatchNorm(nn.Module):
        def __init__(self, num_features, num_dims):
            super().__init__()
            if num_dims == 2:
                shape = (1, num_features)
            else:
                shape = (1, num_features, 1, 1)
            self.gamma = nn.Parameter(torch.ones(shape))
            self.beta = nn.Parameter(torch.zeros(shape))
            self.moving_mean = torch.zeros(shape)
            self.moving_var = torch.ones(shape)

        def forward(self, X):
            if self.moving_mean.device != X.device:
                self.moving_mean = self.moving_mean.to(X.device)
                self.moving_var = self.moving_var.to(X.device)
            Y, self.moving_mean, self.moving_var = batch_norm(
                X,
                self.gamma,
                self.beta,
                self.moving_mean,
                self.moving_var,
                eps=1e-5,
                momentum=0.9,
            )
            return Y

    def lenet(norm2d, norm1d):
        return nn.Sequential(
            nn.Conv2d(1, 6, kernel_size=3, padding=1), norm2d(6), nn.Sigmoid(),
            nn.AvgPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=3), norm2d(16), nn.Sigmoid(),
            nn.AvgPool2d(kernel_size=2, stride=2), nn.Flatten(),
            nn.Linear(16, 32), norm1d(32), nn.Sigmoid(),
            nn.Linear(32, 10),
        )  # fmt: skip

    def init_weights(m):
        if type(m) == nn.Linear or type(m) == nn.Conv2d:  # noqa: E721 (the book's test)
            nn.init.xavier_uniform_(m.weight)

    def train_ch6(net, train_iter, test_iter, num_epochs, lr, device):
        net.apply(init_weights)
        weights = np.random.default_rng(6)
        with torch.no_grad():
            for m in net.modules():
                if isinstance(m, (nn.Linear, nn.Conv2d)):
                    bound = float(np.sqrt(6.0 / (m.weight[0].numel() + m.weight[:, 0].numel())))
                    w = weights.uniform(-bound, bound, tuple(m.weight.shape)).astype(np.float32)
                    m.weight.copy_(torch.from_numpy(w))
                    m.bias.zero_()
        net.to(device)
        optimizer = torch.optim.SGD(net.parameters(), lr=lr)
        loss = nn.CrossEntropyLoss()
        history = []
        for epoch in range(num_epochs):
            metric = Accumulator(3)
            net.train()
            for i, (X, y) in enumerate(train_iter):
                optimizer.zero_grad()
                X, y = X.to(device), y.to(device)
                y_hat = net(X)
                l = loss(y_hat, y)
                l.backward()
                optimizer.step()
                with torch.no_grad():
                    metric.add(l * X.shape[0], accuracy(y_hat, y), X.shape[0])
            train_l = metric[0] / metric[2]
            train_acc = metric[1] / metric[2]
            test_acc = evaluate_accuracy(net, test_iter)
            history.append([train_l, train_acc, test_acc])
        return history

    img_train = load_array((images[:320].reshape(-1, 1, 8, 8), labels[:320]), 64, False)
    img_test = load_array((images[1000:1200].reshape(-1, 1, 8, 8), labels[1000:1200]), 100, False)
    device = torch.device("cpu")
    net = lenet(lambda n: BatchNorm(n, num_dims=4), lambda n: BatchNorm(n, num_dims=2))
    out["bn_scratch"] = train_ch6(net, img_train, img_test, 3, 0.9, device)
    out["gamma_beta"] = [net[1].gamma.reshape((-1,)).detach().numpy(),
                         net[1].beta.reshape((-1,)).detach().numpy()]  # fmt: skip
    out["moving_shape"] = list(net[1].moving_mean.shape)
    out["moving_var"] = net[1].moving_var.reshape(-1).numpy()
    out["moving_requires_grad"] = net[1].moving_mean.requires_grad
    concise_net = lenet(nn.BatchNorm2d, nn.BatchNorm1d)
    out["bn_concise"] = train_ch6(concise_net, img_train, img_test, 3, 0.9, device)
    out["running_var"] = concise_net[1].running_var.numpy()
    return out
