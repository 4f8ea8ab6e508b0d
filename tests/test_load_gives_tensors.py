"""chainrule.load gives Tensors where torch.load does, whatever the file's format: scripts call
ck["w"].numpy() and ck["loss"].item() on what they loaded."""

import numpy as np
import pytest
import torch

import chainrule as cr


@pytest.mark.parametrize("suffix", [".pt", ".npz", ".safetensors"])
def test_loaded_arrays_are_tensors_and_load_back_into_the_model(tmp_path, suffix):
    model = cr.nn.Linear(3, 2)
    path = tmp_path / f"ck{suffix}"
    if suffix == ".safetensors":
        cr.save(model.state_dict(), path)
        loaded = cr.load(path)
    else:
        optimizer = cr.optim.Adam(model.parameters())
        model(cr.ones(1, 3)).sum().backward()
        optimizer.step()
        state = {"model": model.state_dict(), "opt": optimizer.state_dict(), "epoch": 3}
        cr.save({**state, "loss": cr.tensor(0.25)}, path)
        loaded = cr.load(path)
        assert loaded["epoch"] == 3 and loaded["loss"].item() == 0.25
        cr.optim.Adam(model.parameters()).load_state_dict(loaded["opt"])
        loaded = loaded["model"]
    assert all(isinstance(v, cr.Tensor) for v in loaded.values())
    np.testing.assert_array_equal(loaded["weight"].numpy(), model.weight.detach().numpy())
    cr.nn.Linear(3, 2).load_state_dict(loaded)


def test_a_torch_checkpoint_loads_as_tensors(tmp_path):
    path = tmp_path / "torch.pt"
    torch.save({"w": torch.arange(4.0), "step": torch.tensor(7)}, path)
    loaded = cr.load(path)
    assert isinstance(loaded["w"], cr.Tensor) and loaded["step"].item() == 7
