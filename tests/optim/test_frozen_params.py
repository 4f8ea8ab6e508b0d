"""Fine-tuning code hands the optimizer model.parameters() whole, frozen ones included, as
torch allows: a frozen parameter gets no .grad and is not stepped; unfrozen later, it is."""

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")


def _run(lib, optimizer_name):
    lib.manual_seed(0)
    model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 1))
    weights = np.random.default_rng(0)
    with lib.no_grad():
        for p in model.parameters():
            p.copy_(lib.tensor(weights.standard_normal(tuple(p.shape)).astype(np.float32)))
    for p in model[0].parameters():
        p.requires_grad_(False)
    make = getattr(lib.optim, optimizer_name)
    kwargs = (
        {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01}
        if optimizer_name == "SGD"
        else {"lr": 0.1}
    )
    optimizer = make(model.parameters(), **kwargs)
    x = lib.tensor(weights.standard_normal((5, 3)).astype(np.float32))
    frozen = model[0].weight.detach().clone()
    for step in range(3):
        if step == 2:  # unfreeze: from now on it is stepped
            model[0].weight.requires_grad_(True)
        optimizer.zero_grad()
        model(x).pow(2).mean().backward()
        optimizer.step()
        if step < 2:
            assert model[0].weight.grad is None
            np.testing.assert_array_equal(model[0].weight.detach().numpy(), frozen.numpy())
    return [p.detach().numpy().copy() for p in model.parameters()]


@pytest.mark.parametrize("optimizer_name", ["SGD", "Adam", "AdamW", "RMSprop"])
def test_frozen_parameters_are_accepted_and_left_alone_as_in_torch(optimizer_name):
    ours, theirs = _run(chainrule, optimizer_name), _run(torch, optimizer_name)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_a_non_leaf_tensor_is_refused_as_torch_does():
    with pytest.raises(ValueError, match="SGD: expected leaf tensors"):
        chainrule.optim.SGD([chainrule.ones(2, requires_grad=True) * 2], lr=0.1)
    with pytest.raises(ValueError, match="non-leaf"):
        torch.optim.SGD([torch.ones(2, requires_grad=True) * 2], lr=0.1)
