"""The "Neural Networks" tutorial walks the graph backwards from the loss:
loss.grad_fn.next_functions[0][0] is the node that made the loss's input (autograd_nodes.py)."""

import pytest

import chainrule as cr

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle


def _walk(lib):
    weight = lib.ones(3, 2, requires_grad=True)
    loss = ((lib.ones(4, 3) @ weight).relu() ** 2).mean()
    first = loss.grad_fn.next_functions[0][0]
    second = first.next_functions[0][0]
    return len(loss.grad_fn.next_functions), first is not None, second is not None


def test_grad_fn_next_functions_walks_back_from_the_loss():
    assert _walk(cr) == _walk(torch)


def test_the_walk_names_each_node_and_ends_at_the_leaf_as_torch():
    for lib in (cr, torch):
        weight = lib.ones(3, 2, requires_grad=True)
        loss = ((lib.ones(4, 3) @ weight).relu() ** 2).mean()
        node, names = loss.grad_fn, []
        while node.next_functions and node.next_functions[-1][0] is not None:
            names.append(node.name())
            node = node.next_functions[-1][0]
        assert type(node).__name__ == "AccumulateGrad" and node.variable is weight
        if lib is cr:
            ours = names
        else:
            theirs = names
    assert len(ours) == len(theirs) and all(n.endswith("Backward0") for n in ours)
    assert str(cr.ones(1, requires_grad=True).sum().grad_fn).startswith("<SumBackward0 object")
