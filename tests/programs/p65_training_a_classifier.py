"""The tutorial "Training a classifier" (CIFAR-10's LeNet) as written, on sklearn's digits
upsampled to 3x16x16 images, then the recipe "Saving and loading models": transforms as
functions in a Dataset, iter / next over the loader, classes[labels[j]] printing, the
running_loss print every few mini-batches, torch.flatten(x, 1), torch.save of a state_dict and
load_state_dict into a fresh Net, torch.max(outputs.data, 1), per-class accuracy keyed by
label tensors, net.to(device); then a general checkpoint dict (epoch, model and optimizer
state, loss) resumed with model.eval() / model.train(), several models in one file, and a
warm start with strict=False."""

import os
import tempfile

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 2e-3, 2e-4


def main(torch):
    nn, F, optim = torch.nn, torch.nn.functional, torch.optim
    digits = load_digits()
    pictures = np.kron(digits.images / 16.0, np.ones((2, 2)))  # 8x8 -> 16x16
    tints = np.array([1.0, 0.7, 0.4]).reshape(1, 3, 1, 1)
    pictures = (pictures[:, None] * tints).astype(np.float32)
    classes = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

    class Digits(torch.utils.data.Dataset):
        def __init__(self, images, labels, transform=None):
            self.images, self.labels, self.transform = images, labels, transform

        def __len__(self):
            return len(self.labels)

        def __getitem__(self, idx):
            image = torch.from_numpy(self.images[idx])
            if self.transform:
                image = self.transform(image)
            return image, int(self.labels[idx])

    def transform(image):  # transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))
        mean = torch.tensor((0.5, 0.5, 0.5)).view(3, 1, 1)
        std = torch.tensor((0.5, 0.5, 0.5)).view(3, 1, 1)
        return (image - mean) / std

    batch_size = 8
    trainset = Digits(pictures[:480], digits.target[:480], transform=transform)
    trainloader = torch.utils.data.DataLoader(trainset, batch_size=batch_size, shuffle=False)
    testset = Digits(pictures[1000:1200], digits.target[1000:1200], transform=transform)
    testloader = torch.utils.data.DataLoader(testset, batch_size=batch_size, shuffle=False)

    dataiter = iter(trainloader)
    images, labels = next(dataiter)
    out = {
        "batch_labels": " ".join(f"{classes[labels[j]]:5s}" for j in range(batch_size)),
        "batch_shape": list(images.shape),
        "unnormalized_range": [(images / 2 + 0.5).min().item(), (images / 2 + 0.5).max().item()],
        "channels_last": list(np.transpose((images[0] / 2 + 0.5).numpy(), (1, 2, 0)).shape),
    }

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 6, 5)
            self.pool = nn.MaxPool2d(2, 2)
            self.conv2 = nn.Conv2d(6, 16, 3)
            self.fc1 = nn.Linear(16 * 2 * 2, 120)
            self.fc2 = nn.Linear(120, 84)
            self.fc3 = nn.Linear(84, 10)

        def forward(self, x):
            x = self.pool(F.relu(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = torch.flatten(x, 1)  # flatten all dimensions except batch
            x = F.relu(self.fc1(x))
            x = F.relu(self.fc2(x))
            x = self.fc3(x)
            return x

    net = Net()
    init_from_numpy(torch, net, seed=65, scale=0.15)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
    printed = []
    for epoch in range(2):
        running_loss = 0.0
        for i, data in enumerate(trainloader, 0):
            inputs, labels = data
            optimizer.zero_grad()
            outputs = net(inputs)
            loss = criterion(outputs, labels)
            loss.backward()
            optimizer.step()
            running_loss += loss.item()
            if i % 20 == 19:
                printed.append(running_loss / 20)
                running_loss = 0.0
    out["running_losses"] = np.array(printed)

    with tempfile.TemporaryDirectory() as tmp:
        PATH = os.path.join(tmp, "digits_net.pth")
        torch.save(net.state_dict(), PATH)
        dataiter = iter(testloader)
        images, labels = next(dataiter)
        net = Net()
        net.load_state_dict(torch.load(PATH, weights_only=True))
    outputs = net(images)
    _, predicted = torch.max(outputs, 1)
    out["predicted"] = " ".join(f"{classes[predicted[j]]:5s}" for j in range(4))
    correct = 0
    total = 0
    with torch.no_grad():
        for data in testloader:
            images, labels = data
            outputs = net(images)
            _, predicted = torch.max(outputs.data, 1)
            total += labels.size(0)
            correct += (predicted == labels).sum().item()
    out["accuracy"] = 100 * correct // total

    correct_pred = {classname: 0 for classname in classes}
    total_pred = {classname: 0 for classname in classes}
    with torch.no_grad():
        for data in testloader:
            images, labels = data
            outputs = net(images)
            _, predictions = torch.max(outputs, 1)
            for label, prediction in zip(labels, predictions):
                if label == prediction:
                    correct_pred[classes[label]] += 1
                total_pred[classes[label]] += 1
    out["per_class"] = np.array(
        [100 * float(count) / total_pred[name] for name, count in correct_pred.items()]
    )
    device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    net.to(device)
    inputs, labels = data[0].to(device), data[1].to(device)
    out["device"] = str(device)
    out["on_device_loss"] = criterion(net(inputs), labels).item()

    # Saving and loading a general checkpoint for inference and/or resuming training.
    EPOCH, LOSS = 5, 0.4
    optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    for _, (inputs, labels) in zip(range(3), trainloader):
        optimizer.zero_grad()
        criterion(net(inputs), labels).backward()
        optimizer.step()
    sizes = {name: list(net.state_dict()[name].size()) for name in net.state_dict()}
    out["state_dict_sizes"] = [f"{name}\t{size}" for name, size in sizes.items()]
    out["optimizer_keys"] = [var_name for var_name in optimizer.state_dict()]
    out["param_groups_lr"] = optimizer.state_dict()["param_groups"][0]["lr"]
    with tempfile.TemporaryDirectory() as tmp:
        PATH = os.path.join(tmp, "model.pt")
        torch.save(
            {
                "epoch": EPOCH,
                "model_state_dict": net.state_dict(),
                "optimizer_state_dict": optimizer.state_dict(),
                "loss": LOSS,
            },
            PATH,
        )
        model = Net()
        optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
        checkpoint = torch.load(PATH, weights_only=True)
        model.load_state_dict(checkpoint["model_state_dict"])
        optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
        epoch = checkpoint["epoch"]
        loss = checkpoint["loss"]
        model.eval()
        out["resumed_eval"] = model(inputs).detach().numpy()[:2]
        model.train()
        resumed = []
        for _, (inputs, labels) in zip(range(3), trainloader):
            optimizer.zero_grad()
            step_loss = criterion(model(inputs), labels)
            step_loss.backward()
            optimizer.step()
            resumed.append(step_loss.item())
        out["resumed"] = [epoch, loss] + resumed

        # Several models in one file, and a warm start into a different model.
        netA, netB = Net(), Net()
        init_from_numpy(torch, netA, seed=650)
        init_from_numpy(torch, netB, seed=651)
        optimizerA = optim.SGD(netA.parameters(), lr=0.001, momentum=0.9)
        optimizerB = optim.SGD(netB.parameters(), lr=0.001, momentum=0.9)
        PATH = os.path.join(tmp, "two.tar")
        torch.save(
            {
                "modelA_state_dict": netA.state_dict(),
                "modelB_state_dict": netB.state_dict(),
                "optimizerA_state_dict": optimizerA.state_dict(),
                "optimizerB_state_dict": optimizerB.state_dict(),
            },
            PATH,
        )
        both = torch.load(PATH, weights_only=True)
        netA, netB = Net(), Net()
        netA.load_state_dict(both["modelA_state_dict"])
        netB.load_state_dict(both["modelB_state_dict"])
        out["two_models"] = [netA.fc3.bias.sum().item(), netB.fc3.bias.sum().item()]

        class NetB(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(3, 6, 5)
                self.head = nn.Linear(6, 2)

            def forward(self, x):
                return self.head(self.conv1(x).mean((2, 3)))

        PATH = os.path.join(tmp, "netA.pt")
        torch.save(netA.state_dict(), PATH)
        warm = NetB()
        result = warm.load_state_dict(torch.load(PATH, weights_only=True), strict=False)
        out["warm_missing"] = sorted(result.missing_keys)
        out["warm_unexpected"] = sorted(result.unexpected_keys)
        out["warm_conv1"] = warm.conv1.weight.sum().item()

    return out
