"""Every .grad backward writes owns writable memory of its own, whatever the inputs were.

A later ``p.grad += g`` (the next backward's accumulation, an optimizer, a user) writes into
it, so a .grad may be neither a read-only array nor memory another tensor sees. Read-only arrays
reach backward only through a user's code (a hook, a Function's backward, the gradient given to
backward()); chainrule copies them where they come in, and these tests hold every op to it.
"""

import numpy as np
import pytest

import chainrule as cr
from tests.gradcheck_cases import LAYERS, PRIMITIVES

CASES = {**PRIMITIVES, **LAYERS}


def _locked(array: np.ndarray) -> np.ndarray:
    array = np.array(array)
    array.flags.writeable = False
    return array


def _assert_owned(leaves):
    grads = [leaf.grad.numpy() for leaf in leaves if leaf.grad is not None]
    assert grads, "backward reached no leaf"
    for i, grad in enumerate(grads):
        assert grad.flags.writeable, f"leaf {i}: a read-only .grad"
        for j, other in enumerate(grads[:i]):
            assert not np.shares_memory(grad, other), f"leaves {j} and {i} share a .grad"


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_op_leaves_grads_of_their_own_on_read_only_inputs(name, rng, float64_default):
    fn, *made = CASES[name](rng)
    # the user's locked constants, shared as they are (from_numpy does not copy)
    inputs = [cr.from_numpy(_locked(t.detach().numpy())).requires_grad_(True) for t in made]
    out = fn(*inputs)
    out.backward(cr.from_numpy(_locked(np.ones(out.shape))))
    _assert_owned(inputs)
    for leaf in inputs:  # and a second backward accumulates into them
        if leaf.grad is not None:
            leaf.grad.numpy()[...] += 0.0


def test_a_hook_that_returns_a_read_only_gradient():
    locked = _locked(np.float32([1.0, 2.0]))
    x = cr.tensor([1.0, 1.0], requires_grad=True)
    y = cr.tensor([3.0, 4.0], requires_grad=True)
    x.register_hook(lambda g: cr.from_numpy(locked))
    s = x * 1.0
    s.register_hook(lambda g: cr.from_numpy(locked))  # flows on to x and y unchanged
    (s + y * 0.0).sum().backward()
    (x + y).sum().backward()  # accumulation writes into both .grad arrays
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])  # the hook ran both times
    assert x.grad.numpy().flags.writeable and not np.shares_memory(x.grad.numpy(), locked)
    np.testing.assert_array_equal(locked, [1.0, 2.0])


class _LockedGrad(cr.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2.0

    @staticmethod
    def backward(ctx, grad_y):
        return _locked(grad_y * 2.0)


class _LockedGradTorchStyle(cr.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2.0

    @staticmethod
    def backward(ctx, grad_output):
        return cr.from_numpy(_locked(grad_output.numpy() * 2.0))


@pytest.mark.parametrize("op", [_LockedGrad, _LockedGradTorchStyle])
def test_a_function_whose_backward_returns_a_read_only_array(op):
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    op.apply(x).sum().backward()
    op.apply(x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 4.0])
    assert x.grad.numpy().flags.writeable


def test_the_gradient_given_to_backward_is_never_a_grad():
    seed = _locked(np.float32([1.0, 1.0]))
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    (x * 1.0).backward(cr.from_numpy(seed))
    x.grad.numpy()[...] += 1.0
    np.testing.assert_array_equal(seed, [1.0, 1.0])
