"""Zero/Constant/Reflection/Replication/CircularPad 1d, 2d and 3d against torch."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle

SHAPES = {1: [(2, 3, 5), (3, 5)], 2: [(2, 3, 4, 5), (3, 4, 5)], 3: [(1, 2, 3, 4, 5), (2, 3, 4, 5)]}
KINDS = ["ZeroPad", "ConstantPad", "ReflectionPad", "ReplicationPad", "CircularPad"]


def _make(nn, kind, dims, padding):
    cls = getattr(nn, f"{kind}{dims}d")
    return cls(padding, 2.5) if kind == "ConstantPad" else cls(padding)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dims", [1, 2, 3])
def test_padding_modules_match_torch(kind, dims, dtype, rng):
    padding = (1, 2, 0, 3, 2, 1)[: 2 * dims]
    for shape in SHAPES[dims]:
        x = rng.standard_normal(shape).astype(dtype)
        for pads in (padding, 2):
            compare(_make(cr.nn, kind, dims, pads), _make(torch.nn, kind, dims, pads), [x], rng)


@pytest.mark.parametrize("kind", ["ZeroPad", "ConstantPad"])
def test_negative_constant_pads_crop_as_torch(kind, rng):
    x = rng.standard_normal((2, 3, 6, 5))
    pads = (-1, 2, 1, -2)
    compare(_make(cr.nn, kind, 2, pads), _make(torch.nn, kind, 2, pads), [x], rng)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("dims", [1, 2, 3])
def test_reprs_and_padding_attribute_match_torch(kind, dims):
    for padding in (1, tuple(range(2 * dims))):
        ours, theirs = _make(cr.nn, kind, dims, padding), _make(torch.nn, kind, dims, padding)
        assert repr(ours) == repr(theirs)
        assert ours.padding == theirs.padding
        assert ours.state_dict() == {} and list(theirs.state_dict()) == []


@pytest.mark.parametrize(
    "make, shape, family",
    [
        (lambda nn: nn.ReflectionPad2d(1), (3, 3), NotImplementedError),
        (lambda nn: nn.ReplicationPad1d(1), (3,), NotImplementedError),
        (lambda nn: nn.CircularPad2d(1), (3, 3), ValueError),
        (lambda nn: nn.ReflectionPad1d(3), (1, 3), RuntimeError),
    ],
)
def test_bad_inputs_raise_torchs_family_naming_the_layer(make, shape, family):
    with pytest.raises(family):
        make(torch.nn)(torch.zeros(shape))
    with pytest.raises(family, match="(?i)pad"):
        make(cr.nn)(cr.zeros(shape))


def test_bad_padding_argument_is_refused():
    with pytest.raises(ValueError, match=r"ZeroPad2d: expected padding an int or a tuple of 4"):
        cr.nn.ZeroPad2d((1, 2))
