"""Tensor.type with a type's name, as older tutorials cast (x.type('torch.LongTensor'))."""

import pytest

import chainrule as cr

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle

NAMES = ["FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "ShortTensor"]
NAMES += ["CharTensor", "ByteTensor", "BoolTensor"]


@pytest.mark.parametrize("name", NAMES)
def test_type_by_name_casts_as_torch(name):
    ours = cr.tensor([0.5, 2.0, -1.0]).type(f"torch.{name}")
    theirs = torch.tensor([0.5, 2.0, -1.0]).type(f"torch.{name}")
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    assert ours.tolist() == theirs.tolist()
    assert cr.tensor([1.0]).type(f"chainrule.{name}").dtype == ours.dtype


def test_type_by_name_keeps_the_graph():
    x = cr.tensor([0.5, 2.0], requires_grad=True)
    (x.type("torch.DoubleTensor") * 3).sum().backward()
    assert x.grad.tolist() == [3.0, 3.0]


def test_an_unknown_or_cuda_type_name_is_refused():
    with pytest.raises(cr.DTypeError, match="Tensor.type: expected a tensor type name"):
        cr.ones(2).type("torch.cuda.FloatTensor")
    with pytest.raises(cr.DTypeError, match="Tensor.type: expected a tensor type name"):
        cr.ones(2).type("Float")
