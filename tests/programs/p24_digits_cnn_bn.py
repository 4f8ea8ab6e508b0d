"""A digits CNN the way course homeworks write one: Conv2d + BatchNorm2d + ReLU blocks, MaxPool2d,
AdaptiveAvgPool2d, a device picked with torch.cuda.is_available(), and a
confusion matrix from bincount(target * 10 + pred)."""

import numpy as np
from sklearn.datasets import load_digits

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-3, 1e-4


def main(torch):
    nn = torch.nn
    F = torch.nn.functional
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    digits = load_digits()
    images = torch.tensor(digits.images[:384], dtype=torch.float32).unsqueeze(1) / 16.0
    labels = torch.tensor(digits.target[:384], dtype=torch.long)
    train = torch.utils.data.TensorDataset(images[:320], labels[:320])
    loader = torch.utils.data.DataLoader(train, batch_size=64)

    def block(c_in, c_out):
        return nn.Sequential(
            nn.Conv2d(c_in, c_out, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(c_out),
            nn.ReLU(inplace=True),
        )

    class DigitNet(nn.Module):
        def __init__(self, num_classes=10):
            super().__init__()
            self.block1 = block(1, 8)
            self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
            self.block2 = block(8, 16)
            self.gap = nn.AdaptiveAvgPool2d((1, 1))
            self.dropout = nn.Dropout(p=0.0)  # p > 0 draws masks no two libraries share
            self.fc = nn.Linear(16, num_classes)

        def forward(self, x):
            x = self.pool(self.block1(x))
            x = self.gap(self.block2(x))
            x = x.view(x.size(0), -1)
            return self.fc(self.dropout(x))

    model = DigitNet().to(device)
    init_from_numpy(torch, model, seed=24, scale=0.3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    history = []
    for epoch in range(3):
        model.train()
        running, correct = 0.0, 0
        for inputs, targets in loader:
            inputs, targets = inputs.to(device), targets.to(device)
            optimizer.zero_grad()
            outputs = model(inputs)
            loss = F.cross_entropy(outputs, targets)
            loss.backward()
            optimizer.step()
            running += loss.item() * inputs.size(0)
            correct += (outputs.argmax(1) == targets).sum().item()
        history.append((running / len(train), correct / len(train)))
        print(f"epoch {epoch}: loss {running / len(train):.4f}")

    model.eval()
    with torch.no_grad():
        logits = model(images[320:].to(device))
        preds = logits.argmax(dim=1).cpu()
    cm = torch.bincount(labels[320:] * 10 + preds, minlength=100).reshape(10, 10)
    bn = model.block1[1]
    return {
        "history": np.array(history),
        "confusion": cm.numpy(),
        "test_acc": (preds == labels[320:]).float().mean().item(),
        "running_mean": bn.running_mean.numpy(),
        "running_var": bn.running_var.numpy(),
        "batches_tracked": int(bn.num_batches_tracked),
        "feature_shape": list(model.pool(model.block1(images[:2])).shape),
        "device": str(device),
        "logits_np": logits.detach().cpu().numpy()[:3],
    }
