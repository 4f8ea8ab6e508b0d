"""An optimizer's state_dict saved by torch (its state holds torch tensors) loads into
chainrule's optimizer of the same name, and the next steps agree with torch's."""

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")


def _model(lib, weights):
    model = lib.nn.Linear(3, 2)
    with lib.no_grad():
        model.weight.copy_(lib.tensor(weights[0]))
        model.bias.copy_(lib.tensor(weights[1]))
    return model


def _step(lib, model, optimizer, x):
    optimizer.zero_grad()
    model(lib.tensor(x)).pow(2).mean().backward()
    optimizer.step()


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"])
def test_a_torch_optimizer_state_dict_loads_and_steps_on_as_torch(name):
    rng = np.random.default_rng(0)
    weights = [rng.standard_normal((2, 3)).astype(np.float32), np.zeros(2, np.float32)]
    x = rng.standard_normal((4, 3)).astype(np.float32)
    kwargs = {"lr": 0.1, "momentum": 0.9} if name in ("SGD", "RMSprop") else {"lr": 0.1}
    theirs = _model(torch, weights)
    their_opt = getattr(torch.optim, name)(theirs.parameters(), **kwargs)
    for _ in range(3):
        _step(torch, theirs, their_opt, x)
    ours = _model(chainrule, [p.detach().numpy() for p in theirs.parameters()])
    our_opt = getattr(chainrule.optim, name)(ours.parameters(), **kwargs)
    our_opt.load_state_dict(their_opt.state_dict())  # torch tensors inside, as torch saved them
    for _ in range(2):
        _step(torch, theirs, their_opt, x)
        _step(chainrule, ours, our_opt, x)
    for a, b in zip(ours.parameters(), theirs.parameters()):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)
