"""The tutorial "What is torch.nn really?" followed step by step on sklearn's digits (8x8 in place of 28x28):
hand-made weights scaled by 1 / sqrt(64) with requires_grad_(), log_softmax and nll written by
hand with `@`, then F.cross_entropy, an nn.Module with nn.Parameter, nn.Linear, optim,
TensorDataset slicing, DataLoader, loss_batch / fit / get_data with validation, a CNN that
views its input as (-1, 1, 8, 8), nn.Sequential with a Lambda layer, a WrappedDataLoader and
AdaptiveAvgPool2d."""

import math

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    nn, F, optim = torch.nn, torch.nn.functional, torch.optim
    TensorDataset, DataLoader = torch.utils.data.TensorDataset, torch.utils.data.DataLoader
    digits = load_digits()
    images = (digits.data / 16.0).astype(np.float32)
    x_train, y_train = images[:1000], digits.target[:1000]
    x_valid, y_valid = images[1000:1400], digits.target[1000:1400]
    x_train, y_train, x_valid, y_valid = map(torch.tensor, (x_train, y_train, x_valid, y_valid))
    n, c = x_train.shape
    out = {"shape": [n, c], "y_min_max": [y_train.min().item(), y_train.max().item()]}
    rng = np.random.default_rng(63)
    start = rng.standard_normal((64, 10)).astype(np.float32)

    weights = torch.from_numpy(start) / math.sqrt(64)
    weights.requires_grad_()
    bias = torch.zeros(10, requires_grad=True)

    def log_softmax(x):
        return x - x.exp().sum(-1).log().unsqueeze(-1)

    def model(xb):
        return log_softmax(xb @ weights + bias)

    bs = 64
    xb = x_train[0:bs]
    preds = model(xb)
    out["preds0"] = preds[0].detach().numpy()
    out["preds_shape"] = list(preds.shape)

    def nll(input, target):
        return -input[range(target.shape[0]), target].mean()

    loss_func = nll
    yb = y_train[0:bs]
    out["first_loss"] = loss_func(preds, yb).item()

    def accuracy(out, yb):
        preds = torch.argmax(out, dim=1)
        return (preds == yb).float().mean()

    out["first_accuracy"] = accuracy(preds, yb).item()
    lr = 0.5
    epochs = 2
    for epoch in range(epochs):
        for i in range((n - 1) // bs + 1):
            start_i = i * bs
            end_i = start_i + bs
            xb = x_train[start_i:end_i]
            yb = y_train[start_i:end_i]
            pred = model(xb)
            loss = loss_func(pred, yb)
            loss.backward()
            with torch.no_grad():
                weights -= weights.grad * lr
                bias -= bias.grad * lr
                weights.grad.zero_()
                bias.grad.zero_()
    out["by_hand"] = [loss_func(model(xb), yb).item(), accuracy(model(xb), yb).item()]

    loss_func = F.cross_entropy

    def model(xb):
        return xb @ weights + bias

    out["cross_entropy_same"] = [loss_func(model(xb), yb).item(), accuracy(model(xb), yb).item()]

    class Mnist_Logistic(nn.Module):
        def __init__(self):
            super().__init__()
            self.weights = nn.Parameter(torch.randn(64, 10) / math.sqrt(64))
            self.bias = nn.Parameter(torch.zeros(10))

        def forward(self, xb):
            return xb @ self.weights + self.bias

    model = Mnist_Logistic()
    with torch.no_grad():
        model.weights.copy_(torch.from_numpy(start) / math.sqrt(64))

    def fit():
        for epoch in range(epochs):
            for i in range((n - 1) // bs + 1):
                start_i = i * bs
                end_i = start_i + bs
                xb = x_train[start_i:end_i]
                yb = y_train[start_i:end_i]
                pred = model(xb)
                loss = loss_func(pred, yb)
                loss.backward()
                with torch.no_grad():
                    for p in model.parameters():
                        p -= p.grad * lr
                    model.zero_grad()

    fit()
    out["module_loss"] = loss_func(model(xb), yb).item()

    class Mnist_Logistic(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(64, 10)

        def forward(self, xb):
            return self.lin(xb)

    def get_model():
        model = Mnist_Logistic()
        init_from_numpy(torch, model, seed=63, scale=0.1)
        return model, optim.SGD(model.parameters(), lr=lr)

    model, opt = get_model()
    out["linear_before"] = loss_func(model(xb), yb).item()
    train_ds = TensorDataset(x_train, y_train)
    for epoch in range(epochs):
        for i in range((n - 1) // bs + 1):
            xb, yb = train_ds[i * bs : i * bs + bs]
            pred = model(xb)
            loss = loss_func(pred, yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
    out["tensor_dataset_loss"] = loss_func(model(xb), yb).item()

    model, opt = get_model()
    train_dl = DataLoader(train_ds, batch_size=bs)
    for epoch in range(epochs):
        for xb, yb in train_dl:
            pred = model(xb)
            loss = loss_func(pred, yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
    out["dataloader_loss"] = loss_func(model(xb), yb).item()

    valid_ds = TensorDataset(x_valid, y_valid)
    shuffled = DataLoader(train_ds, batch_size=bs, shuffle=True)
    seen = torch.cat([yb for _, yb in shuffled])
    out["shuffled_batches"] = len(shuffled)
    out["shuffled_covers_all"] = torch.bincount(seen).tolist() == torch.bincount(y_train).tolist()
    valid_dl = DataLoader(valid_ds, batch_size=bs * 2)
    model, opt = get_model()
    valid_losses = []
    for epoch in range(epochs):
        model.train()
        for xb, yb in train_dl:
            pred = model(xb)
            loss = loss_func(pred, yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
        model.eval()
        with torch.no_grad():
            valid_loss = sum(loss_func(model(xb), yb) for xb, yb in valid_dl)
        valid_losses.append((valid_loss / len(valid_dl)).item())
    out["valid_losses"] = np.array(valid_losses)

    def loss_batch(model, loss_func, xb, yb, opt=None):
        loss = loss_func(model(xb), yb)
        if opt is not None:
            loss.backward()
            opt.step()
            opt.zero_grad()
        return loss.item(), len(xb)

    def fit(epochs, model, loss_func, opt, train_dl, valid_dl):
        history = []
        for epoch in range(epochs):
            model.train()
            for xb, yb in train_dl:
                loss_batch(model, loss_func, xb, yb, opt)
            model.eval()
            with torch.no_grad():
                losses, nums = zip(*[loss_batch(model, loss_func, xb, yb) for xb, yb in valid_dl])
            val_loss = np.sum(np.multiply(losses, nums)) / np.sum(nums)
            history.append(val_loss)
        return history

    def get_data(train_ds, valid_ds, bs):
        return (
            DataLoader(train_ds, batch_size=bs),
            DataLoader(valid_ds, batch_size=bs * 2),
        )

    train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
    model, opt = get_model()
    out["fit"] = np.array(fit(epochs, model, loss_func, opt, train_dl, valid_dl))

    class Mnist_CNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1)
            self.conv2 = nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1)
            self.conv3 = nn.Conv2d(16, 10, kernel_size=3, stride=1, padding=1)

        def forward(self, xb):
            xb = xb.view(-1, 1, 8, 8)
            xb = F.relu(self.conv1(xb))
            xb = F.relu(self.conv2(xb))
            xb = F.relu(self.conv3(xb))
            xb = F.avg_pool2d(xb, 2)
            return xb.view(-1, xb.size(1))

    lr = 0.1
    model = Mnist_CNN()
    init_from_numpy(torch, model, seed=630, scale=0.2)
    opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    out["cnn_fit"] = np.array(fit(epochs, model, loss_func, opt, train_dl, valid_dl))

    class Lambda(nn.Module):
        def __init__(self, func):
            super().__init__()
            self.func = func

        def forward(self, x):
            return self.func(x)

    def preprocess(x):
        return x.view(-1, 1, 8, 8)

    model = nn.Sequential(
        Lambda(preprocess),
        nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 10, kernel_size=3, stride=1, padding=1),
        nn.ReLU(),
        nn.AvgPool2d(2),
        Lambda(lambda x: x.view(x.size(0), -1)),
    )
    init_from_numpy(torch, model, seed=630, scale=0.2)
    opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    out["sequential_fit"] = np.array(fit(epochs, model, loss_func, opt, train_dl, valid_dl))

    def preprocess(x, y):
        return x.view(-1, 1, 8, 8), y

    class WrappedDataLoader:
        def __init__(self, dl, func):
            self.dl = dl
            self.func = func

        def __len__(self):
            return len(self.dl)

        def __iter__(self):
            for b in self.dl:
                yield (self.func(*b))

    train_dl, valid_dl = get_data(train_ds, valid_ds, bs)
    train_dl = WrappedDataLoader(train_dl, preprocess)
    valid_dl = WrappedDataLoader(valid_dl, preprocess)
    model = nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 16, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 10, kernel_size=3, stride=2, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        Lambda(lambda x: x.view(x.size(0), -1)),
    )
    init_from_numpy(torch, model, seed=631, scale=0.2)
    opt = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    out["wrapped_fit"] = np.array(fit(epochs, model, loss_func, opt, train_dl, valid_dl))
    out["wrapped_len"] = len(train_dl)
    return out
