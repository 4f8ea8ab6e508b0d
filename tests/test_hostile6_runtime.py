"""Sixth hostile-input round, runtime pieces: Module backward hooks that return the wrong
shape or dtype, buffer and parameter names torch refuses, autocast device types, legacy typed
tensors out of their dtype's range. Each case runs on torch first: chainrule's error must be an
instance of the class torch raises, and name who."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr

pytestmark = pytest.mark.oracle


def _backward_through(L, hook, kind="full_backward"):
    layer = L.nn.Linear(3, 2)
    getattr(layer, f"register_{kind}_hook")(hook)
    x = L.ones(4, 3, requires_grad=True)
    layer(x).sum().backward()
    return x.grad


CASES = [
    (
        "backward hook returns another shape",
        lambda L: _backward_through(L, lambda m, gi, go: (L.ones(5, 5),)),
        r"backward hook '<lambda>': expected a gradient of shape \(4, 3\), got \(5, 5\)",
    ),
    (
        "backward hook returns another dtype",
        lambda L: _backward_through(L, lambda m, gi, go: (gi[0].double(),)),
        r"backward hook '<lambda>': expected a gradient of dtype float32, got dtype float64",
    ),
    (
        "backward pre hook returns another shape",
        lambda L: _backward_through(L, lambda m, go: (L.ones(7),), "full_backward_pre"),
        r"backward hook '<lambda>': expected a gradient of shape \(4, 2\), got \(7,\)",
    ),
    (
        "register_buffer dotted name",
        lambda L: L.nn.Linear(2, 2).register_buffer("a.b", L.ones(1)),
        r"buffer name can.+t contain",
    ),
    (
        "register_buffer empty name",
        lambda L: L.nn.Linear(2, 2).register_buffer("", L.ones(1)),
        r"buffer name can.+t be empty",
    ),
    (
        "register_buffer over a parameter",
        lambda L: L.nn.Linear(2, 2).register_buffer("weight", L.ones(1)),
        r"attribute 'weight' already exists",
    ),
    (
        "register_parameter dotted name",
        lambda L: L.nn.Linear(2, 2).register_parameter("a.b", None),
        r"parameter name can.+t contain",
    ),
    (
        "autocast unknown device",
        lambda L: L.autocast("tpu"),
        r"autocast: expected a device_type among cpu, cuda",
    ),
    (
        "ByteTensor of -1 and 256",
        lambda L: L.ByteTensor([-1, 256]),
        r"ByteTensor: expected integers in \[0, 255\] for uint8, got -1",
    ),
    (
        "IntTensor of 2**40",
        lambda L: L.IntTensor([2**40]),
        r"IntTensor: expected integers in \[-2147483648, 2147483647\] for int32",
    ),
    ("FloatTensor(-1)", lambda L: L.FloatTensor(-1), r"FloatTensor: expected sizes >= 0"),
    (
        "FloatTensor larger than memory",
        lambda L: L.FloatTensor(10**7, 10**7),
        r"FloatTensor: expected a result that fits in memory",
    ),
]


@pytest.mark.parametrize("name, call, match", CASES, ids=[c[0] for c in CASES])
def test_refused_as_torch_refuses_with_an_error_that_names_who(name, call, match):
    with pytest.raises(Exception) as theirs:  # noqa: PT011 - the class is what we compare
        call(torch)
    with pytest.raises(type(theirs.value), match=match):
        call(cr)


@pytest.mark.parametrize("kind", ["full_backward", "full_backward_pre"])
def test_a_hook_that_scales_the_gradient_still_matches_torch(kind):
    w, b = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]], np.float32), np.array([0.1, -0.2])
    grads = []
    for L in (cr, torch):
        layer = L.nn.Linear(3, 2)
        with L.no_grad():
            layer.weight.copy_(L.tensor(w))
            layer.bias.copy_(L.tensor(b.astype(np.float32)))
        hook = (lambda m, gi, go: (gi[0] * 2,)) if kind == "full_backward" else (
            lambda m, go: (go[0] * 3,))  # fmt: skip
        getattr(layer, f"register_{kind}_hook")(hook)
        x = L.ones(4, 3, requires_grad=True)
        (layer(x) ** 2).sum().backward()
        grads.append(x.grad.numpy().copy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6)


def test_refused_names_leave_the_module_as_it_was():
    layer = cr.nn.Linear(2, 2)
    with pytest.raises(KeyError):
        layer.register_buffer("weight", cr.ones(1))
    assert isinstance(layer.weight, cr.nn.Parameter) and "weight" not in dict(layer.named_buffers())


def test_autocast_accepts_torch_device_strings():
    with cr.autocast("cpu", enabled=False), cr.autocast("cuda:0", enabled=False):
        pass


def test_legacy_tensors_in_range_still_build():
    assert cr.ByteTensor([0, 255]).tolist() == [0, 255]
    assert tuple(cr.FloatTensor(2, 0).shape) == (2, 0)
