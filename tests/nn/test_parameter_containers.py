"""ParameterList, ParameterDict, parameters_to_vector, Tensor buffers and torch's state_dict
order, against torch."""

import copy

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402

pytestmark = pytest.mark.oracle


def _model(lib):
    nn = lib.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
            self.register_buffer("steps", lib.zeros((), dtype=lib.int64))
            self.register_buffer("cache", lib.ones(2), persistent=False)
            self.scales = nn.ParameterList([nn.Parameter(lib.ones(2)), lib.zeros(3)])
            self.gates = nn.ParameterDict({"a": nn.Parameter(lib.ones(1))})
            self.head = nn.Linear(4, 1)

        def forward(self, x):
            self.steps += 1
            return self.head(self.body(x)) * self.gates["a"] + self.scales[0].sum()

    return Net()


def test_state_dict_keys_in_torchs_order_with_tensor_buffers():
    ours, theirs = _model(cr), _model(torch)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    ours(cr.ones(5, 3))
    assert isinstance(ours.steps, cr.Tensor) and ours.steps.item() == 1
    assert isinstance(ours.body[1].running_mean, cr.Tensor)
    assert ours.body[1].num_batches_tracked.item() == 1
    running = ours.body[1].running_mean.clone()
    assert not np.array_equal(running.numpy(), np.zeros(4))
    state = copy.deepcopy(ours.state_dict())
    twin = _model(cr)
    twin.load_state_dict(state)
    np.testing.assert_array_equal(twin.body[1].running_mean.numpy(), running.numpy())
    assert twin.steps.item() == 1 and "cache" not in state


def test_parameter_list_and_dict_behave_as_torchs():
    for lib in (cr, torch):
        params = lib.nn.ParameterList([lib.nn.Parameter(lib.ones(2))])
        params.append(lib.nn.Parameter(lib.zeros(3)))
        params.extend([lib.zeros(1)])
        assert len(params) == 3 and isinstance(params[2], lib.nn.Parameter)
        assert [n for n, _ in params.named_parameters()] == ["0", "1", "2"]
        assert len(params[1:]) == 2 and params[-1].shape == (1,)
        table = lib.nn.ParameterDict({"w": lib.nn.Parameter(lib.ones(2))})
        table["b"] = lib.nn.Parameter(lib.zeros(1))
        assert list(table.keys()) == ["w", "b"] and "b" in table and len(table) == 2
        assert [n for n, _ in table.named_parameters()] == ["w", "b"]
    with pytest.raises(TypeError, match="ParameterList: expected a Parameter or a Tensor"):
        cr.nn.ParameterList([[1.0, 2.0]])


def test_parameters_to_vector_and_back_match_torch(rng):
    initial = {"weight": rng.standard_normal((2, 3)), "bias": rng.standard_normal(2)}
    results = []
    for lib in (cr, torch):
        layer = lib.nn.Linear(3, 2).double()
        layer.load_state_dict({k: lib.tensor(v) for k, v in initial.items()})
        vec = lib.nn.utils.parameters_to_vector(layer.parameters())
        (vec**2).sum().backward()
        lib.nn.utils.vector_to_parameters(vec.detach() * 3, layer.parameters())
        results.append(
            (
                vec.detach().numpy().copy(),
                layer.weight.grad.numpy().copy(),
                layer.bias.detach().numpy().copy(),
            )
        )
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    with pytest.raises(ValueError, match="vector_to_parameters: expected a 1-D vec of 8 values"):
        cr.nn.utils.vector_to_parameters(cr.zeros(7), cr.nn.Linear(3, 2).parameters())
    with pytest.raises(TypeError, match="vector_to_parameters: expected vec to be a Tensor"):
        cr.nn.utils.vector_to_parameters(np.zeros(8), cr.nn.Linear(3, 2).parameters())


def test_buffer_refuses_what_is_not_a_tensor():
    module = cr.nn.Module()
    module.register_buffer("count", cr.zeros(()))
    with pytest.raises(TypeError, match="expected a Tensor, a NumPy array or None for buffer"):
        module.count = [1, 2]
    module.count = np.ones(())
    assert isinstance(module.count, cr.Tensor)


def test_tensor_dataset_yields_tensors_and_exposes_them():
    X, y = np.arange(6.0).reshape(3, 2), np.arange(3)
    for lib in (cr, torch):
        ds = lib.utils.data.TensorDataset(lib.tensor(X), lib.tensor(y))
        features, target = ds[1]
        assert isinstance(features, lib.Tensor) and isinstance(target, lib.Tensor)
        assert features.tolist() == [2.0, 3.0] and target.item() == 1
        assert len(ds.tensors) == 2 and tuple(ds.tensors[0].shape) == (3, 2)
