"""print(model) is in nearly every script: layers print as torch's do, and every module that
takes ``inplace`` does what torch's does with it (in place or not, and the printed flag)."""

import inspect

import numpy as np
import pytest
import torch

import chainrule as cr

BUILDS = {
    "BatchNorm1d": (3,), "BatchNorm2d": (3,), "LayerNorm": (4,), "GroupNorm": (2, 4),
    "InstanceNorm2d": (3,), "ReLU6": (), "AvgPool1d": (2,), "MaxPool1d": (2,),
    "MultiheadAttention": (4, 2), "TransformerEncoderLayer": (4, 2, 8), "Linear": (3, 4),
    "Conv2d": (2, 3, 3), "LSTM": (3, 4), "Embedding": (5, 3), "Dropout": (), "Hardtanh": (),
}  # fmt: skip
VARIANTS = [{}, {"bias": False}, {"affine": True, "bias": False}, {"elementwise_affine": False}]


def _build(lib, name, args, kwargs):
    try:
        return repr(getattr(lib.nn, name)(*args, **kwargs))
    except TypeError:
        return None


# only the variants torch's class takes (bias=False on a norm, elementwise_affine on LayerNorm)
CASES = [
    (name, kwargs)
    for name in sorted(BUILDS)
    for kwargs in VARIANTS
    if _build(torch, name, BUILDS[name], kwargs) is not None
]


@pytest.mark.parametrize("name, kwargs", CASES, ids=str)
def test_layers_print_as_torchs(name, kwargs):
    assert _build(cr, name, BUILDS[name], kwargs) == _build(torch, name, BUILDS[name], kwargs)


@pytest.mark.parametrize("name", ["BatchNorm1d", "GroupNorm", "InstanceNorm1d", "LayerNorm"])
def test_norms_without_bias_have_no_bias_parameter_as_torch(name):
    args = {"GroupNorm": (1, 4)}.get(name, (4,))
    kwargs = {"InstanceNorm1d": {"affine": True}}.get(name, {})
    ours = getattr(cr.nn, name)(*args, bias=False, **kwargs)
    theirs = getattr(torch.nn, name)(*args, bias=False, **kwargs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert ours.bias is None
    x = np.linspace(-1, 1, 24, dtype=np.float32).reshape(2, 4, 3)
    if name == "LayerNorm":
        x = x.reshape(6, 4)
    np.testing.assert_allclose(
        ours(cr.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(), atol=1e-5
    )


def _modules_with_inplace():
    for name in sorted(dir(torch.nn)):
        cls = getattr(torch.nn, name)
        if inspect.isclass(cls) and issubclass(cls, torch.nn.Module) and hasattr(cr.nn, name):
            if "inplace" in inspect.signature(cls.__init__).parameters:
                yield name


@pytest.mark.parametrize("name", list(_modules_with_inplace()))
def test_inplace_modules_act_and_print_as_torchs(name):
    args = {"Threshold": (0.1, 20.0)}.get(name, ())
    shape = {"Dropout2d": (2, 3, 4, 4), "Dropout3d": (2, 3, 2, 2, 2)}.get(name, (2, 3, 4))
    values = np.linspace(-3, 3, int(np.prod(shape)), dtype=np.float32).reshape(shape)
    outcome = []
    for lib in (torch, cr):
        layer = getattr(lib.nn, name)(*args, inplace=True).train()
        x = lib.tensor(values)
        y = layer(x)
        outcome.append((repr(layer), y is x, not np.array_equal(x.numpy(), values)))
    assert outcome[0] == outcome[1]
