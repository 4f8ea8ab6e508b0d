"""Models leaving chainrule the documented ways: trained here, their state_dict loaded strictly
into the same architecture written with torch.nn (directly and through a .safetensors file),
and the Sequential ones exported to ONNX and run in onnxruntime; eval-mode outputs must agree."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr

pytestmark = pytest.mark.oracle

TOL = dict(rtol=1e-4, atol=2e-5)


def _mlp(lib):
    nn = lib.nn
    return nn.Sequential(
        nn.Linear(10, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 3)
    )


def _cnn(lib):
    nn = lib.nn
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(6, 3),
    )


def _recurrent(lib, cell):
    nn = lib.nn

    class Classifier(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(20, 8, padding_idx=0)
            self.rnn = getattr(nn, cell)(8, 12, num_layers=2, batch_first=True)
            self.head = nn.Linear(12, 3)

        def forward(self, tokens):
            out, _ = self.rnn(self.embed(tokens))
            return self.head(out[:, -1])

    return Classifier()


def _transformer(lib):
    nn = lib.nn

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = nn.Embedding(20, 16)
            self.layer = nn.TransformerEncoderLayer(
                16, nhead=4, dim_feedforward=32, dropout=0.1, batch_first=True
            )
            self.head = nn.Linear(16, 3)

        def forward(self, tokens):
            return self.head(self.layer(self.embed(tokens)).mean(1))

    return Encoder()


def _inputs(kind, rng):
    if kind in ("mlp",):
        return rng.standard_normal((12, 10)).astype(np.float32)
    if kind == "cnn":
        return rng.standard_normal((12, 1, 8, 8)).astype(np.float32)
    return rng.integers(0, 20, size=(12, 7))


BUILD = {
    "mlp": _mlp,
    "cnn": _cnn,
    "lstm": lambda lib: _recurrent(lib, "LSTM"),
    "gru": lambda lib: _recurrent(lib, "GRU"),
    "transformer": _transformer,
}


def _trained(kind):
    """A chainrule model after a few Adam steps in train mode (BatchNorm statistics move)."""
    cr.manual_seed(0)
    model = BUILD[kind](cr)
    rng = np.random.default_rng(1)
    optimizer = cr.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(5):
        x = cr.tensor(_inputs(kind, rng))
        y = cr.tensor(rng.integers(0, 3, size=12))
        optimizer.zero_grad()
        cr.nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    model.eval()
    return model, _inputs(kind, rng)


def _torch_model(kind, state):
    theirs = BUILD[kind](torch)
    theirs.load_state_dict(state, strict=True)
    return theirs.eval()


@pytest.mark.parametrize("kind", sorted(BUILD))
def test_state_dict_loads_into_torch_and_agrees(kind):
    model, x = _trained(kind)
    ours = model(cr.tensor(x)).detach().numpy()
    state = {k: torch.from_numpy(np.array(v.numpy())) for k, v in model.state_dict().items()}
    reference = BUILD[kind](torch).state_dict()
    assert list(state) == list(reference)
    for key, value in reference.items():
        assert state[key].shape == value.shape and state[key].dtype == value.dtype, key
    with torch.no_grad():
        theirs = _torch_model(kind, state)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours, theirs, **TOL)


@pytest.mark.parametrize("kind", sorted(BUILD))
def test_safetensors_file_loads_into_torch(kind, tmp_path):
    load_file = pytest.importorskip("safetensors.torch").load_file
    model, x = _trained(kind)
    path = tmp_path / f"{kind}.safetensors"
    cr.save(model.state_dict(), path)
    with torch.no_grad():
        theirs = _torch_model(kind, load_file(str(path)))(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(model(cr.tensor(x)).detach().numpy(), theirs, **TOL)
    # and back: torch's own file into a fresh chainrule model
    save_file = pytest.importorskip("safetensors.torch").save_file
    back_path = tmp_path / "back.safetensors"
    save_file(_torch_model(kind, load_file(str(path))).state_dict(), str(back_path))
    fresh = BUILD[kind](cr)
    fresh.load_state_dict(cr.load(back_path))
    np.testing.assert_allclose(fresh.eval()(cr.tensor(x)).detach().numpy(), theirs, **TOL)


@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_onnx_export_runs_in_onnxruntime(kind, tmp_path):
    pytest.importorskip("onnx")
    onnxruntime = pytest.importorskip("onnxruntime")
    import chainrule.onnx

    model, x = _trained(kind)
    path = tmp_path / f"{kind}.onnx"
    chainrule.onnx.export(
        model,
        cr.tensor(x[:1]),
        path,
        input_names=["input"],
        output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
    )
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    onnx_logits = session.run(None, {"input": x})[0]
    np.testing.assert_allclose(model(cr.tensor(x)).detach().numpy(), onnx_logits, **TOL)
    assert model.training is False
