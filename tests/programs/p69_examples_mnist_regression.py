"""pytorch/examples' mnist/main.py and regression/main.py as written, on sklearn's digits:
argparse defaults read into an args namespace, a device picked by accelerator checks,
train_kwargs / test_kwargs dicts, the conv Net with Dropout, F.max_pool2d, torch.flatten(x, 1)
and log_softmax, train(args, model, device, train_loader, optimizer, epoch) logging every
log_interval batches with its format string, test() summing F.nll_loss(reduction="sum") and
counting pred.eq(target.view_as(pred)).sum().item(), Adadelta with StepLR(step_size=1,
gamma=0.7), --save-model; then the polynomial regression with make_features, poly_desc
formatting 0-d tensors with '{:+.2f}', smooth_l1_loss and param.data.add_(-0.1 * param.grad)
until the loss is small. Dropout is off while training (the two libraries' masks differ) and
on in a model loaded from the saved state for the eval-mode test."""

import argparse
import os
import tempfile
from itertools import count

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    nn, F, optim = torch.nn, torch.nn.functional, torch.optim
    StepLR = torch.optim.lr_scheduler.StepLR

    class Net(nn.Module):
        def __init__(self, dropout1=0.25, dropout2=0.5):
            super(Net, self).__init__()
            self.conv1 = nn.Conv2d(1, 8, 3, 1)
            self.conv2 = nn.Conv2d(8, 16, 3, 1)
            self.dropout1 = nn.Dropout(dropout1)
            self.dropout2 = nn.Dropout(dropout2)
            self.fc1 = nn.Linear(64, 32)
            self.fc2 = nn.Linear(32, 10)

        def forward(self, x):
            x = self.conv1(x)
            x = F.relu(x)
            x = self.conv2(x)
            x = F.relu(x)
            x = F.max_pool2d(x, 2)
            x = self.dropout1(x)
            x = torch.flatten(x, 1)
            x = self.fc1(x)
            x = F.relu(x)
            x = self.dropout2(x)
            x = self.fc2(x)
            output = F.log_softmax(x, dim=1)
            return output

    def train(args, model, device, train_loader, optimizer, epoch, log):
        model.train()
        for batch_idx, (data, target) in enumerate(train_loader):
            data, target = data.to(device), target.to(device)
            optimizer.zero_grad()
            output = model(data)
            loss = F.nll_loss(output, target)
            loss.backward()
            optimizer.step()
            if batch_idx % args.log_interval == 0:
                log.append(
                    "Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.3f}".format(
                        epoch,
                        batch_idx * len(data),
                        len(train_loader.dataset),
                        100.0 * batch_idx / len(train_loader),
                        loss.item(),
                    )
                )
                if args.dry_run:
                    break

    def test(model, device, test_loader):
        model.eval()
        test_loss = 0
        correct = 0
        with torch.no_grad():
            for data, target in test_loader:
                data, target = data.to(device), target.to(device)
                output = model(data)
                test_loss += F.nll_loss(output, target, reduction="sum").item()  # sum up batch loss
                pred = output.argmax(dim=1, keepdim=True)  # index of the max log-probability
                correct += pred.eq(target.view_as(pred)).sum().item()
        test_loss /= len(test_loader.dataset)
        return test_loss, correct

    parser = argparse.ArgumentParser(description="PyTorch MNIST Example")
    parser.add_argument("--batch-size", type=int, default=64, metavar="N")
    parser.add_argument("--test-batch-size", type=int, default=1000, metavar="N")
    parser.add_argument("--epochs", type=int, default=14, metavar="N")
    parser.add_argument("--lr", type=float, default=1.0, metavar="LR")
    parser.add_argument("--gamma", type=float, default=0.7, metavar="M")
    parser.add_argument("--no-accel", action="store_true")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--seed", type=int, default=1, metavar="S")
    parser.add_argument("--log-interval", type=int, default=10, metavar="N")
    parser.add_argument("--save-model", action="store_true")
    args = parser.parse_args(["--epochs", "3", "--log-interval", "4", "--save-model"])
    use_accel = not args.no_accel and torch.cuda.is_available()
    torch.manual_seed(args.seed)
    device = torch.device("cuda") if use_accel else torch.device("cpu")
    train_kwargs = {"batch_size": args.batch_size}
    test_kwargs = {"batch_size": args.test_batch_size}
    if use_accel:
        accel_kwargs = {"num_workers": 1, "pin_memory": True, "shuffle": True}
        train_kwargs.update(accel_kwargs)
        test_kwargs.update(accel_kwargs)

    digits = load_digits()
    images = digits.images[:, None].astype(np.float32) / 16.0
    images = (images - 0.1307) / 0.3081  # transforms.Normalize((0.1307,), (0.3081,))
    dataset1 = torch.utils.data.TensorDataset(
        torch.from_numpy(images[:384]), torch.from_numpy(digits.target[:384])
    )
    dataset2 = torch.utils.data.TensorDataset(
        torch.from_numpy(images[1200:1500]), torch.from_numpy(digits.target[1200:1500])
    )
    train_loader = torch.utils.data.DataLoader(dataset1, **train_kwargs)
    test_loader = torch.utils.data.DataLoader(dataset2, **test_kwargs)

    model = Net(dropout1=0.0, dropout2=0.0).to(device)
    init_from_numpy(torch, model, seed=69, scale=0.2)
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)
    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)
    log, results, lrs = [], [], []
    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, optimizer, epoch, log)
        results.append(test(model, device, test_loader))
        scheduler.step()
        lrs.append(scheduler.get_last_lr()[0])
    out = {
        "device": str(device),
        "log": log,
        "test_losses": np.array([loss for loss, _ in results]),
        "corrects": [correct for _, correct in results],
        "lrs": np.array(lrs),
    }
    with tempfile.TemporaryDirectory() as tmp:
        if args.save_model:
            torch.save(model.state_dict(), os.path.join(tmp, "mnist_cnn.pt"))
        reloaded = Net()  # the example's own dropout rates, inactive under eval()
        reloaded.load_state_dict(torch.load(os.path.join(tmp, "mnist_cnn.pt")))
    out["reloaded_test"] = np.array(test(reloaded, device, test_loader))
    args.dry_run = True
    dry_log = []
    train(args, Net(0.0, 0.0), device, train_loader, optimizer, 99, dry_log)
    out["dry_run_lines"] = len(dry_log)

    # regression/main.py
    POLY_DEGREE = 4
    rng = np.random.default_rng(690)
    W_target = torch.from_numpy(rng.standard_normal((POLY_DEGREE, 1)).astype(np.float32)) * 5
    b_target = torch.from_numpy(rng.standard_normal(1).astype(np.float32)) * 5

    def make_features(x):
        """Builds features i.e. a matrix with columns [x, x^2, x^3, x^4]."""
        x = x.unsqueeze(1)
        return torch.cat([x**i for i in range(1, POLY_DEGREE + 1)], 1)

    def f(x):
        """Approximated function."""
        return x.mm(W_target) + b_target.item()

    def poly_desc(W, b):
        """Creates a string description of a polynomial."""
        result = "y = "
        for i, w in enumerate(W):
            result += "{:+.2f} x^{} ".format(w, i + 1)
        result += "{:+.2f}".format(b[0])
        return result

    def get_batch(batch_size=32):
        """Builds a batch i.e. (x, f(x)) pair."""
        random = torch.from_numpy(rng.standard_normal(batch_size).astype(np.float32))
        x = make_features(random)
        y = f(x)
        return x, y

    fc = torch.nn.Linear(W_target.size(0), 1)
    init_from_numpy(torch, fc, seed=691)
    losses = []
    for batch_idx in count(1):
        batch_x, batch_y = get_batch()
        fc.zero_grad()
        output = F.smooth_l1_loss(fc(batch_x), batch_y)
        loss = output.item()
        output.backward()
        for param in fc.parameters():
            param.data.add_(-0.1 * param.grad)
        losses.append(loss)
        if loss < 1e-3 or batch_idx == 150:  # the example runs on until 1e-3
            break
    out["regression_batches"] = batch_idx
    out["regression_losses"] = np.array(losses[::10])
    out["learned"] = np.concatenate([fc.weight.view(-1).detach().numpy(), fc.bias.detach().numpy()])
    out["learned_desc_starts"] = poly_desc(fc.weight.view(-1), fc.bias)[:5]
    out["actual"] = poly_desc(W_target.view(-1), b_target)
    return out
