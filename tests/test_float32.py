"""No silent float64: a float32 model on float32 data stays float32 in forward, backward and update."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import Function, nn, optim


@pytest.fixture
def recorded_dtypes(monkeypatch):
    seen = []
    original = Function.apply.__func__

    def recording(cls, *args, **config):
        out = original(cls, *args, **config)
        seen.append((cls.__name__, out.dtype))
        return out

    monkeypatch.setattr(Function, "apply", classmethod(recording))
    return seen


def _model():
    return nn.Sequential(
        nn.Linear(6, 16, dtype=np.float32, generator=0),
        nn.BatchNorm1d(16, dtype=np.float32),
        nn.GELU(),
        nn.Dropout(0.1, generator=0),
        nn.Linear(16, 16, dtype=np.float32, generator=1),
        nn.LayerNorm(16, dtype=np.float32),
        nn.Tanh(),
        nn.Linear(16, 3, dtype=np.float32, generator=2),
    )


@pytest.mark.parametrize("loss_name", ["cross_entropy", "nll", "mse", "bce_logits", "bce", "huber"])
def test_float32_end_to_end(loss_name, recorded_dtypes):
    rng = np.random.default_rng(0)
    x = cr.tensor(rng.standard_normal((8, 6)).astype(np.float32))
    labels = rng.integers(0, 3, 8)  # int64 labels must not promote anything
    model = _model()
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    out = model(x)
    if loss_name == "cross_entropy":
        loss = nn.CrossEntropyLoss(label_smoothing=0.1)(out, labels)
    elif loss_name == "nll":
        loss = nn.NLLLoss()(nn.LogSoftmax(dim=1)(out), labels)
    elif loss_name == "mse":
        loss = nn.MSELoss()(out, rng.standard_normal((8, 3)).astype(np.float32))
    elif loss_name == "bce_logits":
        loss = nn.BCEWithLogitsLoss()(out, (labels[:, None] == np.arange(3)).astype(np.int64))
    elif loss_name == "bce":
        loss = nn.BCELoss()(nn.Sigmoid()(out), (labels[:, None] == np.arange(3)).astype(np.int64))
    else:
        loss = nn.HuberLoss()(out, np.zeros((8, 3), np.float32))
    loss.backward()
    optimizer.step()
    assert all(dtype == np.float32 for _, dtype in recorded_dtypes), recorded_dtypes
    for name, p in model.named_parameters():
        assert p.grad.dtype == np.float32, name
        assert p.dtype == np.float32, name
    for state in optimizer.state.values():
        assert all(v.dtype == np.float32 for v in state.values() if isinstance(v, np.ndarray))
    assert model[1].running_mean.dtype == np.float32 and model[1].running_var.dtype == np.float32
