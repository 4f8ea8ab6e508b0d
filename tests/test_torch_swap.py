"""Principle 2: the same training code runs on chainrule and on torch; only the import differs."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule

pytestmark = pytest.mark.oracle  # compared with PyTorch / scikit-learn


def train(lib, X, y, initial):
    """Written once against torch's API; `lib` is the torch or chainrule module."""
    nn, optim = lib.nn, lib.optim
    F = lib.nn.functional
    DataLoader, TensorDataset = lib.utils.data.DataLoader, lib.utils.data.TensorDataset
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 3)).double()
    model.load_state_dict({k: lib.tensor(v) for k, v in initial.items()})
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    loader = DataLoader(TensorDataset(lib.tensor(X), lib.tensor(y)), batch_size=8)
    for _ in range(4):
        model.train()
        for inputs, targets in loader:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(inputs), targets)
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
            optimizer.step()
        scheduler.step()
    model.eval()
    with lib.no_grad():
        return model(lib.tensor(X)).numpy().copy()


def test_same_code_same_numbers_on_torch_and_chainrule():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((32, 4)), rng.integers(0, 3, 32)
    initial = {
        "0.weight": rng.standard_normal((8, 4)) * 0.5,
        "0.bias": np.zeros(8),
        "2.weight": rng.standard_normal((3, 8)) * 0.5,
        "2.bias": np.zeros(3),
    }
    ours = train(chainrule, X, y, initial)
    theirs = train(torch, X, y, initial)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-11)
