"""state_dicts both ways between chainrule and torch, for models with the newer layers: through
``.pt`` files (chainrule writes and reads torch.save's format without pickle) and through
``.safetensors``; and safetensors' awkward tensors (non-contiguous, tied, 0-d)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import chainrule as cr
from chainrule.errors import CheckpointError

torch = pytest.importorskip("torch")
safetensors_torch = pytest.importorskip("safetensors.torch")

pytestmark = pytest.mark.oracle


def _models(lib):
    nn = lib.nn
    lib.manual_seed(0)
    with warnings.catch_warnings():  # torch's old weight_norm warns that it is deprecated
        warnings.simplefilter("ignore", FutureWarning)
        old_weight_norm = nn.utils.weight_norm(nn.Linear(3, 4))
    return {
        "LSTM": nn.LSTM(4, 6, num_layers=2, bidirectional=True),
        "GRU": nn.GRU(4, 6, batch_first=True),
        "BatchNorm": nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4)),
        "EmbeddingBag": nn.EmbeddingBag(10, 4, mode="sum"),
        "weight_norm": old_weight_norm,
        "parametrizations.weight_norm": nn.utils.parametrizations.weight_norm(nn.Linear(3, 4)),
        "spectral_norm": nn.utils.parametrizations.spectral_norm(nn.Linear(3, 4)),
        "TransformerEncoderLayer": nn.TransformerEncoderLayer(8, 2, 16),
        "MultiheadAttention(kdim)": nn.MultiheadAttention(8, 2, kdim=4, vdim=4),
        "PReLU+GroupNorm+InstanceNorm": nn.Sequential(
            nn.PReLU(3), nn.GroupNorm(1, 3), nn.InstanceNorm1d(3, affine=True)
        ),
        "ConvTranspose2d+RMSNorm": nn.Sequential(nn.ConvTranspose2d(2, 3, 3), nn.RMSNorm(3)),
    }


NAMES = list(_models(cr))


def _scrambled(state):
    """Distinct values in every entry, so a swapped or dropped key shows."""
    rng = np.random.default_rng(5)
    out = {}
    for key, value in state.items():
        array = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
        if array.dtype.kind == "f":
            array = rng.uniform(0.5, 1.5, array.shape).astype(array.dtype)
        else:
            array = np.full(array.shape, 7, array.dtype)
        out[key] = array
    return out


def _same(ours, theirs):
    assert list(ours) == list(theirs)
    for key in ours:
        mine = np.asarray(ours[key].numpy() if hasattr(ours[key], "numpy") else ours[key])
        other = theirs[key].detach().numpy()
        assert mine.dtype == other.dtype and mine.shape == other.shape, key
        np.testing.assert_array_equal(mine, other, err_msg=key)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("suffix", [".pt", ".safetensors"])
def test_chainrule_state_dict_loads_strictly_in_torch(tmp_path, name, suffix):
    ours, theirs = _models(cr)[name], _models(torch)[name]
    ours.load_state_dict(_scrambled(ours.state_dict()), strict=True)
    path = tmp_path / f"w{suffix}"
    cr.save(ours.state_dict(), path)
    if suffix == ".pt":
        loaded = torch.load(path, weights_only=True)
    else:
        loaded = safetensors_torch.load_file(path)
    theirs.load_state_dict(loaded, strict=True)
    _same(ours.state_dict(), theirs.state_dict())


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("suffix", [".pt", ".pth", ".safetensors"])
def test_torch_state_dict_loads_strictly_in_chainrule(tmp_path, name, suffix):
    ours, theirs = _models(cr)[name], _models(torch)[name]
    theirs.load_state_dict(
        {k: torch.from_numpy(v) for k, v in _scrambled(theirs.state_dict()).items()}
    )
    path = tmp_path / f"w{suffix}"
    if suffix == ".safetensors":
        safetensors_torch.save_file(theirs.state_dict(), path)
    else:
        torch.save(theirs.state_dict(), path)
    ours.load_state_dict(cr.load(path), strict=True)
    _same(ours.state_dict(), theirs.state_dict())


def test_num_batches_tracked_stays_int64_and_a_loaded_model_computes_as_torch(tmp_path):
    ours, theirs = _models(cr)["BatchNorm"], _models(torch)["BatchNorm"]
    theirs.train()
    theirs(torch.randn(8, 3))  # one step of running statistics and num_batches_tracked = 1
    torch.save(theirs.state_dict(), tmp_path / "bn.pt")
    state = cr.load(tmp_path / "bn.pt")
    assert state["1.num_batches_tracked"].dtype == np.int64
    assert state["1.num_batches_tracked"].shape == ()
    ours.load_state_dict(state, strict=True)
    ours.eval(), theirs.eval()
    x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    np.testing.assert_allclose(
        ours(cr.tensor(x)).detach().numpy(),
        theirs(torch.from_numpy(x)).detach().numpy(),
        rtol=1e-5,
        atol=1e-6,
    )


def test_a_training_checkpoint_in_pt_loads_in_torch_weights_only(tmp_path):
    model = cr.nn.Linear(3, 2)
    optimizer = cr.optim.Adam(model.parameters())
    model(cr.ones(1, 3)).sum().backward()
    optimizer.step()
    checkpoint = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "epoch": 3,
        "loss": float("nan"),
    }
    cr.save(checkpoint, tmp_path / "ckpt.pth")
    loaded = torch.load(tmp_path / "ckpt.pth", weights_only=True)
    assert loaded["epoch"] == 3 and np.isnan(loaded["loss"])
    assert loaded["optimizer"]["param_groups"][0]["betas"] == (0.9, 0.999)
    assert loaded["optimizer"]["state"][0]["step"] == 1
    back = cr.load(tmp_path / "ckpt.pth")
    np.testing.assert_array_equal(back["model"]["weight"], model.weight.detach().numpy())
    assert back["optimizer"]["param_groups"][0]["params"] == [0, 1]


def test_torch_views_and_shared_storages_read_as_their_values(tmp_path):
    base = torch.arange(24.0).reshape(4, 6)
    state = {"view": base[1:, ::2], "t": base.t(), "same": base, "scalar": torch.tensor(2.5)}
    torch.save(state, tmp_path / "v.pt")
    loaded = cr.load(tmp_path / "v.pt")
    for key, value in state.items():
        np.testing.assert_array_equal(loaded[key], value.numpy())
        assert loaded[key].shape == tuple(value.shape)


def test_safetensors_round_trips_non_contiguous_tied_and_0d_tensors(tmp_path):
    weight = np.arange(6, dtype=np.float32).reshape(2, 3)
    model = cr.nn.Sequential(cr.nn.Embedding(5, 3), cr.nn.Linear(3, 5, bias=False))
    model[1].weight = model[0].weight  # tied, as a language model's input and output tables
    state = {
        **model.state_dict(),
        "transposed": cr.tensor(weight).t(),
        "strided": weight[:, ::2],
        "scalar": np.array(2.5, np.float32),
        "count": np.array(7, np.int64),
    }
    cr.save(state, tmp_path / "s.safetensors")
    for loaded in (
        cr.load(tmp_path / "s.safetensors"),
        safetensors_torch.load_file(tmp_path / "s.safetensors"),
    ):
        assert sorted(loaded) == sorted(state)  # (safetensors orders keys its own way)
        for key, value in state.items():
            expected = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
            got = loaded[key].numpy() if hasattr(loaded[key], "numpy") else loaded[key]
            assert got.shape == expected.shape and got.dtype == expected.dtype, key
            np.testing.assert_array_equal(got, expected)


def test_a_pt_file_that_would_run_code_is_refused(tmp_path):
    import pickle
    import zipfile

    class Evil:
        def __reduce__(self):
            return (print, ("owned",))

    with zipfile.ZipFile(tmp_path / "evil.pt", "w") as archive:
        archive.writestr("evil/data.pkl", pickle.dumps({"w": Evil()}, protocol=2))
    with pytest.raises(CheckpointError, match=r"got a reference to _*builtins?_*\.print; refusing"):
        cr.load(tmp_path / "evil.pt")
    torch.save({"w": torch.ones(3)}, tmp_path / "cut.pt")
    data = (tmp_path / "cut.pt").read_bytes()
    (tmp_path / "cut.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match=r"load: expected a complete"):
        cr.load(tmp_path / "cut.pt")


def test_pt_writes_0d_non_contiguous_and_big_endian_arrays_as_torch_reads_them(tmp_path):
    grid = np.arange(12, dtype=np.float64).reshape(3, 4)
    state = {
        "transposed": grid.T,
        "strided": grid[:, ::2],
        "scalar": np.array(7, np.int64),
        "big_endian": np.arange(3, dtype=">f4"),
        "flags": np.array([True, False]),
        "empty": np.zeros((0, 2), np.float32),
    }
    cr.save(state, tmp_path / "a.pt")
    loaded = torch.load(tmp_path / "a.pt", weights_only=True)
    for key, value in state.items():
        assert tuple(loaded[key].shape) == value.shape, key
        np.testing.assert_array_equal(loaded[key].numpy(), value, err_msg=key)
    back = cr.load(tmp_path / "a.pt")
    for key, value in state.items():
        np.testing.assert_array_equal(back[key], value, err_msg=key)
