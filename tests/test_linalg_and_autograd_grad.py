"""chainrule.linalg (solve, inv, lstsq, norms) and chainrule.autograd.grad against torch."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle


def _well_conditioned(rng, n, batch=()):
    return rng.standard_normal((*batch, n, n)) + 4 * np.eye(n)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_solve_and_inv_values_and_gradients_match_torch(dtype, rng):
    a = _well_conditioned(rng, 3).astype(dtype)
    for b in (rng.standard_normal((3, 2)), rng.standard_normal(3)):
        compare(cr.linalg.solve, torch.linalg.solve, [a, b.astype(dtype)], rng)
    compare(cr.linalg.inv, torch.linalg.inv, [a], rng)
    batched = _well_conditioned(rng, 2, (4,)).astype(dtype)
    compare(
        cr.linalg.solve,
        torch.linalg.solve,
        [batched, rng.standard_normal((4, 2, 3)).astype(dtype)],
        rng,
    )
    compare(cr.linalg.inv, torch.linalg.inv, [batched], rng)


def test_lstsq_and_norms_match_torch(rng):
    a, b = rng.standard_normal((8, 3)), rng.standard_normal((8, 2))
    ours = cr.linalg.lstsq(cr.tensor(a), cr.tensor(b))
    theirs = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b))
    np.testing.assert_allclose(ours.solution.numpy(), theirs.solution.numpy(), rtol=1e-10)
    assert int(ours.rank) == 3
    np.testing.assert_allclose(
        cr.linalg.norm(cr.tensor(a)).item(), torch.linalg.norm(torch.tensor(a)).item()
    )
    np.testing.assert_allclose(
        cr.linalg.vector_norm(cr.tensor(a), 1, dim=0).numpy(),
        torch.linalg.vector_norm(torch.tensor(a), 1, dim=0).numpy(),
    )


def test_linalg_errors_say_what_was_expected():
    with pytest.raises(cr.ShapeError, match=r"linalg.solve: expected square matrices"):
        cr.linalg.solve(cr.zeros(2, 3), cr.zeros(2))
    with pytest.raises(ValueError, match="linalg.inv: expected an invertible matrix"):
        cr.linalg.inv(cr.zeros(2, 2))
    with pytest.raises(cr.GraphError, match="linalg.lstsq: expected inputs without requires_grad"):
        cr.linalg.lstsq(cr.zeros(3, 2, requires_grad=True), cr.zeros(3))
    with pytest.raises(ValueError, match="linalg.matrix_norm: expected ord one of 'fro'"):
        cr.linalg.norm(cr.zeros(2, 2), ord=3)


def _grad_case(lib, x0, w0):
    x = lib.tensor(x0, requires_grad=True)
    w = lib.tensor(w0, requires_grad=True)
    hidden = lib.tanh(x @ w)
    loss = (hidden**2).sum()
    return x, w, hidden, loss


def test_autograd_grad_matches_torch_and_leaves_dot_grad_alone(rng):
    x0, w0 = rng.standard_normal((4, 3)), rng.standard_normal((3, 2))
    x, w, hidden, loss = _grad_case(cr, x0, w0)
    tx, tw, thidden, tloss = _grad_case(torch, x0, w0)
    w.grad = cr.ones(3, 2, dtype=cr.float64)  # an earlier gradient must stay as it was
    ours = cr.autograd.grad(loss, [w, hidden], retain_graph=True)
    theirs = torch.autograd.grad(tloss, [tw, thidden], retain_graph=True)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-12)
    np.testing.assert_array_equal(w.grad.numpy(), np.ones((3, 2)))
    assert x.grad is None and hidden.grad is None
    (gx,) = cr.autograd.grad(loss, x)  # the retained graph can be differentiated again
    np.testing.assert_allclose(gx.numpy(), torch.autograd.grad(tloss, tx)[0].numpy(), rtol=1e-12)


def test_autograd_grad_with_grad_outputs_unused_inputs_and_refusals():
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    unused = cr.tensor([3.0], requires_grad=True)
    y = x * 3
    (g,) = cr.autograd.grad(y, x, grad_outputs=cr.tensor([1.0, 10.0]), retain_graph=True)
    assert g.tolist() == [3.0, 30.0]
    with pytest.raises(cr.GraphError, match="expected every input to be used in the graph"):
        cr.autograd.grad(y.sum(), [x, unused], retain_graph=True)
    assert cr.autograd.grad(y.sum(), [x, unused], allow_unused=True, retain_graph=True)[1] is None
    zeros = cr.autograd.grad(y.sum(), [x, unused], materialize_grads=True, retain_graph=True)[1]
    assert zeros.tolist() == [0.0]
    with pytest.raises(NotImplementedError, match="is_grads_batched=False"):
        cr.autograd.grad(y.sum(), x, retain_graph=True, is_grads_batched=True)
    with pytest.raises(cr.GraphError, match="expected inputs that require grad"):
        cr.autograd.grad(y.sum(), cr.tensor([1.0]))
