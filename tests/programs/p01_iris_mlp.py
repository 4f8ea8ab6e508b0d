"""A custom nn.Module MLP on iris: full-batch Adam, eval under no_grad, accuracy."""

from sklearn.datasets import load_iris

from tests.programs._weights import init_from_numpy

RTOL, ATOL = 1e-4, 1e-5


def main(torch):
    nn = torch.nn
    F = torch.nn.functional
    torch.manual_seed(0)

    class MLP(nn.Module):
        def __init__(self, in_dim, hidden, n_classes):
            super().__init__()
            self.fc1 = nn.Linear(in_dim, hidden)
            self.fc2 = nn.Linear(hidden, hidden)
            self.out = nn.Linear(hidden, n_classes)

        def forward(self, x):
            x = F.relu(self.fc1(x))
            x = torch.tanh(self.fc2(x))
            return self.out(x)

    data = load_iris()
    X = torch.tensor(data.data, dtype=torch.float32)
    y = torch.tensor(data.target, dtype=torch.long)
    X = (X - X.mean(dim=0)) / X.std(dim=0)

    model = MLP(4, 16, 3)
    init_from_numpy(torch, model, seed=1)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    losses = []
    for epoch in range(60):
        model.train()
        optimizer.zero_grad()
        outputs = model(X)
        loss = criterion(outputs, y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())

    model.eval()
    with torch.no_grad():
        logits = model(X)
        probs = F.softmax(logits, dim=1)
        preds = logits.argmax(1)
        acc = (preds == y).float().mean().item()
        confidence, _ = torch.max(probs, dim=1)
    return {
        "losses": losses,
        "accuracy": acc,
        "mean_confidence": confidence.mean().item(),
        "n_params": sum(p.numel() for p in model.parameters()),
    }
