"""Slicing a container keeps what torch keeps: Sequential its children's names (the style
transfer tutorial trims model[:(i + 1)] and still reads model.conv_4), every container its class."""

from collections import OrderedDict

import pytest

import chainrule as cr
from chainrule import nn

torch = pytest.importorskip("torch")


def _named(lib):
    return lib.nn.Sequential(
        OrderedDict(
            [
                ("conv_1", lib.nn.Linear(2, 3)),
                ("relu_1", lib.nn.ReLU()),
                ("loss_1", lib.nn.Identity()),
                ("conv_2", lib.nn.Linear(3, 1)),
            ]
        )
    )


@pytest.mark.parametrize(
    "index", [slice(0, 3), slice(1, None), slice(None, None, 2), slice(-2, None)]
)
def test_a_sequential_slice_keeps_the_names_torch_keeps(index):
    ours, theirs = _named(cr)[index], _named(torch)[index]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert list(ours.state_dict()) == list(theirs.state_dict())


def test_a_trimmed_sequential_shares_its_modules_and_keeps_attribute_access():
    model = _named(cr)
    trimmed = model[:3]
    assert trimmed.conv_1 is model.conv_1
    assert trimmed[0] is model.conv_1 and len(trimmed) == 3


def test_a_slice_of_a_subclass_is_that_subclass_as_in_torch():
    class Stack(nn.Sequential):
        pass

    class Blocks(nn.ModuleList):
        pass

    class Scales(nn.ParameterList):
        pass

    assert type(Stack(nn.ReLU(), nn.Tanh())[:1]) is Stack
    blocks = Blocks([nn.ReLU(), nn.Tanh(), nn.Sigmoid()])[1:]
    assert type(blocks) is Blocks and [n for n, _ in blocks.named_children()] == ["0", "1"]
    scales = Scales([nn.Parameter(cr.ones(1)), nn.Parameter(cr.zeros(1))])[1:]
    assert type(scales) is Scales and len(scales) == 1
