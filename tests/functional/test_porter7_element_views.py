"""x[i] with every index an integer is a 0-d view of x, as torch's: x[0].fill_(1), x[1].add_(2)
and out=x[0] write into x (NumPy alone hands back a copied scalar)."""

import pytest

import chainrule as cr

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle


def _writes(lib):
    vector = lib.zeros(4)
    vector[0].copy_(lib.tensor(4.0))
    vector[1].fill_(2.0)
    vector[2].add_(3.0)
    element = vector[3]
    element += 5
    matrix = lib.zeros(2, 2)
    matrix[0, 1].fill_(7.0)
    matrix[1][1].add_(1.0)
    weights = lib.zeros(3)
    weights.data[0].fill_(1.0)
    lib.dot(lib.ones(3), lib.ones(3), out=weights[2])
    return vector.tolist(), matrix.tolist(), weights.tolist()


def test_in_place_writes_through_an_element_reach_the_tensor():
    assert _writes(cr) == _writes(torch)


def test_an_element_sees_later_writes_to_its_tensor():
    for lib in (cr, torch):
        values = lib.arange(4.0)
        first = values[0]
        values.add_(1)
        assert first.item() == 1.0


def test_writes_through_an_element_are_differentiated():
    for lib in (cr, torch):
        x = lib.ones(3, requires_grad=True)
        y = x * 2
        y[0].mul_(5)
        y.sum().backward()
        assert x.grad.tolist() == [10.0, 2.0, 2.0]


def test_an_element_saved_for_backward_then_overwritten_is_refused():
    for lib, error in ((cr, cr.GraphError), (torch, RuntimeError)):
        x = lib.ones(3, requires_grad=True)
        y = x * 2
        z = y[1] ** 2
        y.add_(1)
        with pytest.raises(error):
            z.backward()
