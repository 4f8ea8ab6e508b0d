"""safetensors checkpoints: PyTorch loads chainrule's weights and the other way round, strictly."""

import json

import numpy as np
import pytest
import safetensors.numpy

torch = pytest.importorskip("torch")
from safetensors.torch import load_file, save_file  # needs torch
from safetensors import safe_open

import chainrule as cr
from chainrule import CheckpointError, nn
from chainrule.cli.main import main
from chainrule.io_safetensors import sidecar_path

pytestmark = pytest.mark.oracle  # compared with PyTorch / scikit-learn

DTYPES = [np.float32, np.float64]
TORCH_DTYPES = {np.float32: torch.float32, np.float64: torch.float64}


def _chainrule_mlp(dtype):
    return nn.Sequential(
        nn.Linear(6, 8, dtype=dtype, generator=0),
        nn.BatchNorm1d(8, dtype=dtype),
        nn.ReLU(),
        nn.LayerNorm(8, dtype=dtype),
        nn.Linear(8, 3, dtype=dtype, generator=1),
    )


def _torch_mlp(dtype):
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(6, 8),
        torch.nn.BatchNorm1d(8),
        torch.nn.ReLU(),
        torch.nn.LayerNorm(8),
        torch.nn.Linear(8, 3),
    ).to(TORCH_DTYPES[dtype])


def _chainrule_embedder(dtype):
    return nn.Sequential(
        nn.Embedding(10, 4, dtype=dtype, generator=2),
        nn.Flatten(),
        nn.Linear(12, 2, dtype=dtype, generator=3),
    )


def _torch_embedder(dtype):
    torch.manual_seed(1)
    return torch.nn.Sequential(
        torch.nn.Embedding(10, 4), torch.nn.Flatten(), torch.nn.Linear(12, 2)
    ).to(TORCH_DTYPES[dtype])


def _warm_up(model, dtype, rng):
    """A few train-mode batches, so running statistics and num_batches_tracked are not their defaults."""
    model.train()
    for _ in range(3):
        model(cr.tensor(rng.standard_normal((16, 6)).astype(dtype)))
    model.eval()


@pytest.mark.parametrize("dtype", DTYPES)
def test_chainrule_weights_load_into_pytorch_strictly_and_give_the_same_outputs(
    tmp_path, rng, dtype
):
    model = _chainrule_mlp(dtype)
    _warm_up(model, dtype, rng)
    path = cr.save(model.state_dict(), tmp_path / "mlp.safetensors")
    twin = _torch_mlp(dtype)
    twin.load_state_dict(load_file(path), strict=True)
    twin.eval()
    assert int(twin[1].num_batches_tracked) == 3
    x = rng.standard_normal((7, 6)).astype(dtype)
    with torch.no_grad():
        expected = twin(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(
        model(cr.tensor(x)).detach().numpy(),
        expected,
        rtol=0,
        atol=1e-5 if dtype == np.float32 else 1e-12,
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_pytorch_weights_load_into_chainrule_strictly_and_give_the_same_outputs(
    tmp_path, rng, dtype
):
    twin = _torch_mlp(dtype)
    twin.train()
    with torch.no_grad():
        for _ in range(2):
            twin(torch.from_numpy(rng.standard_normal((16, 6)).astype(dtype)))
    twin.eval()
    save_file(twin.state_dict(), tmp_path / "torch.safetensors")
    state = cr.load(tmp_path / "torch.safetensors")
    assert set(state) == set(twin.state_dict())
    assert state["1.num_batches_tracked"].shape == () and state["1.num_batches_tracked"] == 2
    model = _chainrule_mlp(dtype)
    model.load_state_dict(state, strict=True)
    model.eval()
    x = rng.standard_normal((5, 6)).astype(dtype)
    with torch.no_grad():
        expected = twin(torch.from_numpy(x)).numpy()
    got = model(cr.tensor(x)).detach().numpy()
    assert got.dtype == dtype
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-5 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("dtype", DTYPES)
def test_embedding_weights_cross_both_ways(tmp_path, rng, dtype):
    indices = rng.integers(0, 10, size=(6, 3))
    model = _chainrule_embedder(dtype)
    cr.save(model.state_dict(), tmp_path / "e.safetensors")
    twin = _torch_embedder(dtype)
    twin.load_state_dict(load_file(tmp_path / "e.safetensors"), strict=True)
    with torch.no_grad():
        expected = twin(torch.from_numpy(indices)).numpy()
    np.testing.assert_allclose(
        model(cr.tensor(indices)).detach().numpy(), expected, rtol=0, atol=1e-6
    )
    save_file(_torch_embedder(dtype).state_dict(), tmp_path / "t.safetensors")
    model.load_state_dict(cr.load(tmp_path / "t.safetensors"), strict=True)
    np.testing.assert_array_equal(
        model[0].weight.detach().numpy(), _torch_embedder(dtype)[0].weight.detach().numpy()
    )


def test_names_layouts_and_dtypes_are_torchs(tmp_path):
    model = _chainrule_mlp(np.float32)
    cr.save(model.state_dict(), tmp_path / "m.safetensors")
    saved = safetensors.numpy.load_file(tmp_path / "m.safetensors")
    reference = {k: tuple(v.shape) for k, v in _torch_mlp(np.float32).state_dict().items()}
    assert {k: v.shape for k, v in saved.items()} == reference
    assert saved["0.weight"].shape == (8, 6)  # (out_features, in_features)
    assert saved["1.num_batches_tracked"].dtype == np.int64
    assert all(v.dtype == np.float32 for k, v in saved.items() if k != "1.num_batches_tracked")


def test_format_argument_overrides_the_suffix(tmp_path):
    state = _chainrule_mlp(np.float64).state_dict()
    cr.save(state, tmp_path / "weights.bin", format="safetensors")
    assert set(safetensors.numpy.load_file(tmp_path / "weights.bin")) == set(state)
    loaded = cr.load(tmp_path / "weights.bin", format="safetensors")
    for key, value in state.items():
        np.testing.assert_array_equal(loaded[key], value)
    with pytest.raises(
        ValueError, match="expected format 'npz', 'safetensors' or 'torch', got 'pt'"
    ):
        cr.save(state, tmp_path / "w.pt", format="pt")


def test_a_training_checkpoint_keeps_its_config_in_metadata_and_its_arrays_beside_it(tmp_path):
    model = _chainrule_mlp(np.float32)
    optimizer = cr.optim.Adam(model.parameters(), lr=0.01)
    model(cr.randn(4, 6, dtype=np.float32, generator=0)).sum().backward()
    optimizer.step()
    path = tmp_path / "run.safetensors"
    cr.save(
        {
            "kind": "demo",
            "config": {"lr": 0.01, "hidden": [8]},
            "epoch": np.int64(2),
            "model": model.state_dict(),
            "optimizer": optimizer.state_dict(),
        },
        path,
    )
    with safe_open(path, "np") as handle:
        metadata = handle.metadata()
    assert json.loads(metadata["chainrule"]) == {
        "kind": "demo",
        "config": {"lr": 0.01, "hidden": [8]},
        "epoch": 2,
    }
    assert sidecar_path(path).name == "run.state.npz" and sidecar_path(path).is_file()
    state = cr.load(path)
    assert state["epoch"] == 2 and state["config"]["hidden"] == [8]
    other = cr.optim.Adam(_chainrule_mlp(np.float32).parameters(), lr=0.5)
    other.load_state_dict(state["optimizer"])
    assert other.param_groups[0]["lr"] == 0.01
    sidecar_path(path).unlink()
    with pytest.raises(CheckpointError, match=r"expected run.state.npz beside run.safetensors"):
        cr.load(path)


def test_a_crash_mid_write_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "m.safetensors"
    cr.save(_chainrule_mlp(np.float32).state_dict(), path)
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("chainrule.io_paths.os.fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        cr.save(_chainrule_mlp(np.float64).state_dict(), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.safetensors"]


def test_bad_files_and_values_get_clear_errors(tmp_path):
    (tmp_path / "junk.safetensors").write_bytes(b"\x05\x00\x00\x00\x00\x00\x00\x00{oops")
    with pytest.raises(CheckpointError, match="expected a complete safetensors file"):
        cr.load(tmp_path / "junk.safetensors")
    with pytest.raises(CheckpointError, match="expected a checkpoint file at"):
        cr.load(tmp_path / "missing.safetensors")
    with pytest.raises(
        CheckpointError, match="expected a state dict or a dict with a 'model' state dict"
    ):
        cr.save({"note": "hello"}, tmp_path / "x.safetensors")
    with pytest.raises(CheckpointError, match="got str at key 'note'"):
        cr.save(
            {"model": {"w": np.zeros(2, np.float32), "note": "hello"}}, tmp_path / "x.safetensors"
        )


def test_cli_train_evaluate_and_resume_with_safetensors(tmp_path, capsys):
    run = ["train", "--dataset", "iris", "--batch-norm", "--json", "--quiet"]
    assert main(run + ["--epochs", "3", "--save", str(tmp_path / "a.safetensors")]) == 0
    trained = json.loads(capsys.readouterr().out)
    assert main(["evaluate", str(tmp_path / "a.safetensors"), "--json"]) == 0
    evaluated = json.loads(capsys.readouterr().out)
    assert trained["loss"] == evaluated["loss"] and trained["confusion"] == evaluated["confusion"]
    with safe_open(tmp_path / "a.safetensors", "np") as handle:
        config = json.loads(handle.metadata()["chainrule"])["config"]
    assert config["dataset"] == "iris" and config["batch_norm"] is True and config["epochs"] == 3
    assert (
        main(
            [
                "train",
                "--resume",
                str(tmp_path / "a.safetensors"),
                "--epochs",
                "5",
                "--json",
                "--quiet",
            ]
        )
        == 0
    )
    resumed = json.loads(capsys.readouterr().out)
    assert main(run + ["--epochs", "5", "--save", str(tmp_path / "b.npz")]) == 0
    straight = json.loads(capsys.readouterr().out)
    assert resumed["loss"] == straight["loss"]


def test_convolution_weights_keep_torchs_layout(tmp_path, rng):
    from tests.test_onnx_conv import BatchNorm2d, Conv2d  # stand-ins until the conv layers land

    model = nn.Sequential(Conv2d(4, 6, (3, 2), groups=2, seed=0), BatchNorm2d(6, seed=1))
    cr.save(model.state_dict(), tmp_path / "c.safetensors")
    twin = torch.nn.Sequential(
        torch.nn.Conv2d(4, 6, (3, 2), groups=2), torch.nn.BatchNorm2d(6)
    ).eval()
    twin.load_state_dict(load_file(tmp_path / "c.safetensors"), strict=True)
    assert tuple(twin[0].weight.shape) == (6, 2, 3, 2)
    x = rng.standard_normal((2, 4, 5, 5)).astype(np.float32)
    with torch.no_grad():
        expected = twin(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(model(cr.tensor(x)).numpy(), expected, rtol=0, atol=1e-5)
