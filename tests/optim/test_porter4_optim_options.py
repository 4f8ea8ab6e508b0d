"""torch's maximize, decoupled_weight_decay and kernel keywords on every optimizer, against torch."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from chainrule import errors, nn, optim

pytestmark = [pytest.mark.oracle, pytest.mark.usefixtures("float64_default")]

NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]
SETTINGS = {
    "SGD": dict(lr=0.05, momentum=0.9, weight_decay=1e-2),
    "Adam": dict(lr=1e-2, weight_decay=1e-2, amsgrad=True),
    "AdamW": dict(lr=1e-2),
    "RMSprop": dict(lr=1e-2, momentum=0.5, centered=True, weight_decay=1e-3),
    "Adagrad": dict(lr=0.05, lr_decay=1e-3),
}


def _run(library, name, steps=20, **extra):
    rng = np.random.default_rng(3)
    start, x = rng.standard_normal((3, 4)), rng.standard_normal((8, 4))
    tensor = torch.tensor if library is torch else (lambda a: nn.Parameter(a))
    weight = tensor(start.copy())
    if library is torch:
        weight.requires_grad_(True)
    optimizer = getattr(library.optim, name)([weight], **SETTINGS[name], **extra)
    for _ in range(steps):
        optimizer.zero_grad()
        inputs = tensor(x) if library is torch else nn.Parameter(x).detach()
        y = inputs @ weight.T
        # a reward to climb: bounded, so maximize=True converges instead of running away
        (-((y - 1.0) ** 2).mean()).backward()
        optimizer.step()
    return weight.detach().numpy(), optimizer


@pytest.mark.parametrize("name", NAMES)
def test_maximize_matches_torch(name):
    import chainrule

    ours, ours_optimizer = _run(chainrule, name, maximize=True)
    theirs, theirs_optimizer = _run(torch, name, maximize=True)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-11)
    assert ours_optimizer.param_groups[0]["maximize"] is True


@pytest.mark.parametrize("name", NAMES)
def test_group_keys_and_defaults_match_torch(name):
    ours = getattr(optim, name)([nn.Parameter(np.zeros(2))])
    theirs = getattr(torch.optim, name)([torch.nn.Parameter(torch.zeros(2))])
    mine = {k: v for k, v in ours.param_groups[0].items() if k != "params"}
    torch_group = {k: v for k, v in theirs.param_groups[0].items() if k != "params"}
    assert mine.keys() == torch_group.keys()
    for key, value in torch_group.items():
        assert mine[key] == (tuple(value) if isinstance(value, tuple) else value), key


@pytest.mark.parametrize("name", NAMES)
def test_kernel_keywords_are_accepted(name):
    extra = dict(foreach=None)
    if name != "RMSprop":
        extra["fused"] = None
    getattr(optim, name)([nn.Parameter(np.zeros(2))], **extra)
    with pytest.raises(errors.ArgumentError, match="differentiable=False"):
        getattr(optim, name)([nn.Parameter(np.zeros(2))], differentiable=True)


def test_adam_decoupled_weight_decay_is_adamw():
    import chainrule

    ours, _ = _run(chainrule, "Adam", decoupled_weight_decay=True)
    theirs, _ = _run(torch, "Adam", decoupled_weight_decay=True)
    np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("name", NAMES)
def test_maximize_survives_state_dict_both_ways(name):
    import chainrule

    _, ours = _run(chainrule, name, steps=3, maximize=True)
    _, theirs = _run(torch, name, steps=3, maximize=True)
    fresh = getattr(torch.optim, name)([torch.zeros(3, 4, requires_grad=True)], **SETTINGS[name])
    saved = ours.state_dict()
    fresh.load_state_dict(
        {
            "state": {
                k: {n: torch.tensor(v) for n, v in s.items()} for k, s in saved["state"].items()
            },
            "param_groups": saved["param_groups"],
        }
    )
    assert fresh.param_groups[0]["maximize"] is True
    back = getattr(optim, name)([nn.Parameter(np.zeros((3, 4)))], **SETTINGS[name])
    torch_saved = theirs.state_dict()
    back.load_state_dict(
        {
            "state": {
                k: {n: v.numpy() if n != "step" else float(v) for n, v in s.items()}
                for k, s in torch_saved["state"].items()
            },
            "param_groups": torch_saved["param_groups"],
        }
    )
    assert back.param_groups[0]["maximize"] is True
