"""A small CNN on sklearn digits reshaped to 1x8x8, mini-batches from a DataLoader."""

from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn = torch.nn
    from_numpy = torch.from_numpy
    DataLoader, TensorDataset = torch.utils.data.DataLoader, torch.utils.data.TensorDataset

    digits = load_digits()
    images = from_numpy(digits.images[:512] / 16.0).float().unsqueeze(1)
    labels = from_numpy(digits.target[:512]).long()

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1)
            self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
            self.pool = nn.MaxPool2d(2, 2)
            self.fc1 = nn.Linear(16 * 2 * 2, 32)
            self.fc2 = nn.Linear(32, 10)

        def forward(self, x):
            x = self.pool(torch.relu(self.conv1(x)))
            x = self.pool(torch.relu(self.conv2(x)))
            x = x.view(x.size(0), -1)
            x = torch.relu(self.fc1(x))
            return self.fc2(x)

    net = Net()
    init_from_numpy(torch, net, seed=2, scale=0.2)
    loader = DataLoader(TensorDataset(images, labels), batch_size=64, shuffle=False)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)

    epoch_losses = []
    for epoch in range(3):
        running_loss = 0.0
        for i, (inputs, targets) in enumerate(loader):
            optimizer.zero_grad()
            outputs = net(inputs)
            loss = criterion(outputs, targets)
            loss.backward()
            optimizer.step()
            running_loss += loss.item() * inputs.size(0)
        epoch_losses.append(running_loss / len(loader.dataset))

    correct, total = 0, 0
    net.eval()
    with torch.no_grad():
        for inputs, targets in loader:
            outputs = net(inputs)
            _, predicted = torch.max(outputs.data, 1)
            total += targets.size(0)
            correct += (predicted == targets).sum().item()
    return {"epoch_losses": epoch_losses, "accuracy": correct / total, "total": total}
