"""create_graph=True through the decompositions, pdist and the special functions in use: a
Hessian-vector product through an eigh-based loss and a pairwise-distance gradient penalty
(against torch, or by finite differences where torch has no second derivative), and the
second derivatives chainrule refuses, as torch does."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.distributions import _special

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")


def _arrays(name, shapes):
    rng = np.random.default_rng(sum(map(ord, name)))
    return [rng.standard_normal(s) for s in shapes]


def _eig(a):
    w, v = cr.linalg.eig(a @ a.T + cr.eye(3, dtype=cr.float64))  # a real, distinct spectrum
    return w**2 + (v * v).sum(0) * w


# gradgradcheck's finite differences of the first backward: torch has none for pdist, and its
# eig is complex
SMALL = {
    "pdist": (lambda x: cr.pdist(x * x) ** 2, [(4, 3)]),
    "pdist_p3": (lambda x: cr.pdist(x, p=3).exp(), [(4, 2)]),
    "pdist_p1_inf": (lambda x: cr.pdist(x, p=1) * cr.pdist(x, p=float("inf")), [(3, 2)]),
    "pdist_p_half": (lambda x: cr.pdist(x, p=0.5) ** 2, [(3, 2)]),
    "eig": (_eig, [(3, 3)]),
    "svd": (lambda a: cr.linalg.svdvals(a) ** 3, [(3, 2)]),
    "matrix_exp": (lambda a: cr.linalg.matrix_exp(a * 0.3), [(2, 2)]),
    "logcumsumexp": (lambda a: cr.logcumsumexp(a * 3, 1) ** 2, [(2, 3)]),
    "log_bessel": (lambda a: _special.log_bessel(a * a + 0.5, 0) * _special.log_bessel(a.abs(), 1),
                   [(3,)]),
    "gammainc_x": (lambda a: _special.gammainc(cr.tensor([0.5, 2.0, 3.5], dtype=cr.float64), a * a + 0.2), [(3,)]),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(SMALL))
def test_gradgradcheck_by_finite_differences(name):
    fn, shapes = SMALL[name]
    inputs = [cr.tensor(a, requires_grad=True) for a in _arrays(name, shapes)]
    assert cr.autograd.gradgradcheck(fn, inputs, atol=1e-6, rtol=1e-5)


def _hvp_through_eigh(lib, a, v):
    """A spectral loss (the log-sum-exp of the eigenvalues plus the top eigenvector's overlap
    with a fixed direction) and its Hessian-vector product, reverse over reverse."""
    x = lib.tensor(a, requires_grad=True)
    w, vecs = lib.linalg.eigh(x + x.T)
    direction = lib.tensor(np.linspace(-1.0, 1.0, a.shape[0]))
    loss = w.logsumexp(0) + (vecs[:, -1] @ direction) ** 2
    (grad,) = lib.autograd.grad(loss, x, create_graph=True)
    (hv,) = lib.autograd.grad((grad * lib.tensor(v)).sum(), x)
    return grad.detach().numpy(), hv.numpy()


def test_hessian_vector_product_through_eigh_matches_torch():
    a, v = _arrays("hvp", [(5, 5), (5, 5)])
    for mine, theirs in zip(_hvp_through_eigh(cr, a, v), _hvp_through_eigh(torch, a, v)):
        np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-11)


def test_hessian_vector_product_through_pinv_and_svd_matches_torch():
    def hvp(lib, a, v):
        x = lib.tensor(a, requires_grad=True)
        loss = (lib.linalg.pinv(x) ** 2).sum() + lib.linalg.svdvals(x).max()
        (grad,) = lib.autograd.grad(loss, x, create_graph=True)
        return lib.autograd.grad((grad * lib.tensor(v)).sum(), x)[0].numpy()

    a, v = _arrays("pinv", [(4, 3), (4, 3)])
    np.testing.assert_allclose(hvp(cr, a, v), hvp(torch, a, v), rtol=1e-9, atol=1e-11)


def test_pairwise_distance_gradient_penalty_trains():
    """A repulsion energy over pdist, penalised by its gradient's norm (as WGAN-GP penalises a
    critic's): the penalty's gradient matches finite differences of the penalty."""

    def penalty(x):
        energy = (1.0 / (cr.pdist(x) + 0.1)).sum()
        (grad,) = cr.autograd.grad(energy, x, create_graph=True)
        return (grad * grad).sum()

    x = cr.tensor(_arrays("penalty", [(5, 2)])[0], requires_grad=True)
    (analytic,) = cr.autograd.grad(penalty(x), x)
    numeric, base, eps = np.zeros(x.shape), x.detach().numpy(), 1e-6
    for i in np.ndindex(*base.shape):
        step = np.zeros_like(base)
        step[i] = eps
        up = penalty(cr.tensor(base + step, requires_grad=True)).item()
        down = penalty(cr.tensor(base - step, requires_grad=True)).item()
        numeric[i] = (up - down) / (2 * eps)
    np.testing.assert_allclose(analytic.numpy(), numeric, rtol=1e-6, atol=1e-6)


def test_scatter_reduce_prod_at_a_zero_and_gammainc_in_a_are_first_order_only():
    x, src = np.array([[1.0, 0.0, 2.0]]), np.array([[2.0, 3.0, 4.0]])
    index = cr.tensor([[0, 1, 0]])
    with pytest.raises(cr.errors.UnsupportedError, match="ScatterReduce's gradient, which has"):
        _second_of(lambda a, b: a.scatter_reduce(1, index, b, "prod") ** 2, x, src)
    a, t = np.array([0.5, 2.0]), np.array([1.0, 3.0])
    shape = cr.tensor(a, requires_grad=True)
    value = _special.gammainc(shape, cr.tensor(t)).sum()
    (grad,) = cr.autograd.grad(value, shape, create_graph=True)
    again = cr.tensor(a, requires_grad=True)
    (plain,) = cr.autograd.grad(_special.gammainc(again, cr.tensor(t)).sum(), again)
    np.testing.assert_array_equal(grad.detach().numpy(), plain.numpy())
    with pytest.raises(NotImplementedError, match="Gammainc's gradient, which is numerical"):
        cr.autograd.grad(grad.sum(), shape)


def _second_of(fn, *arrays):
    xs = [cr.tensor(a, requires_grad=True) for a in arrays]
    grads = cr.autograd.grad(fn(*xs).sum(), xs, create_graph=True)
    return cr.autograd.grad(sum((g * g).sum() for g in grads), xs)


def test_the_refusals_are_torch_kinds_of_error():
    s, q = np.array([3.0, 4.0]), np.array([1.5, 2.0])
    with pytest.raises(NotImplementedError):  # torch: "the derivative for 'zeta' ..."
        _second_of(lambda a, b: cr.special.zeta(a, b), s, q)
    log_probs = cr.tensor(_arrays("ctc", [(5, 1, 4)])[0], requires_grad=True)
    loss = cr.nn.functional.ctc_loss(
        log_probs.log_softmax(2), cr.tensor([[1, 2]]), cr.tensor([5]), cr.tensor([2])
    )
    (plain,) = cr.autograd.grad(loss, log_probs, retain_graph=True)
    (grad,) = cr.autograd.grad(loss, log_probs, create_graph=True)  # first order: as torch
    np.testing.assert_array_equal(grad.detach().numpy(), plain.numpy())
    with pytest.raises(RuntimeError, match="CTCLoss's gradient"):  # torch: a RuntimeError
        cr.autograd.grad((grad * grad).sum(), log_probs)


def test_gradient_penalty_through_a_spatial_transformer_matches_torch():
    """A critic that warps its input by affine_grid + grid_sample, penalised WGAN-GP style by
    the norm of its gradient with respect to the input: the penalty's gradient reaches theta
    through the sampling weights."""

    def run(lib, image, theta, weight):
        x = lib.tensor(image, requires_grad=True)
        t, w = lib.tensor(theta, requires_grad=True), lib.tensor(weight, requires_grad=True)
        F = lib.nn.functional
        grid = F.affine_grid(t, list(image.shape), align_corners=False)
        score = (F.grid_sample(x, grid, align_corners=False).tanh() * w).sum()
        (grad_x,) = lib.autograd.grad(score, x, create_graph=True)
        penalty = ((grad_x.flatten(1).norm(dim=1) - 1) ** 2).mean()
        return [g.numpy() for g in lib.autograd.grad(penalty, [x, t, w])]

    image, weight = _arrays("stn", [(2, 1, 5, 5), (1, 1, 5, 5)])
    theta = np.array([[[0.9, 0.2, 0.1], [-0.1, 1.1, 0.05]], [[1.2, -0.3, 0.0], [0.25, 0.8, -0.1]]])
    for mine, theirs in zip(run(cr, image, theta, weight), run(torch, image, theta, weight)):
        np.testing.assert_allclose(mine, theirs, rtol=1e-9, atol=1e-11)


def test_eigenvalues_alone_stay_finite_at_repeated_eigenvalues_as_torch():
    def run(lib):
        x = lib.tensor(np.eye(3) * 2.0, requires_grad=True)  # one eigenvalue, three times
        (grad,) = lib.autograd.grad((lib.linalg.eigvalsh(x) ** 3).sum(), x, create_graph=True)
        return lib.autograd.grad((grad * grad).sum(), x)[0].numpy()

    np.testing.assert_allclose(run(cr), run(torch), rtol=1e-12, atol=1e-12)


def test_svdvals_of_a_rank_deficient_matrix_has_a_finite_second_derivative():
    """The nuclear norm of a rank-2 (4, 3) matrix: a zero singular value and a 1 / s in the
    formula, taken as 0 there as the first-order backward takes it."""
    rng = np.random.default_rng(0)
    x = cr.tensor(rng.standard_normal((4, 2)) @ rng.standard_normal((2, 3)), requires_grad=True)
    (grad,) = cr.autograd.grad(cr.linalg.svdvals(x).sum(), x, create_graph=True)
    (second,) = cr.autograd.grad((grad * grad).sum(), x)
    x.grad = None
    cr.linalg.svdvals(x).sum().backward()
    np.testing.assert_array_equal(grad.detach().numpy(), x.grad.numpy())
    assert np.isfinite(second.numpy()).all()


WEIGHTS = np.array([1.0, -2.0, 0.5, 3.0])


def _third(lib, f, x_array, order=3):
    """d^order/dx^order of f(x).sum(), each order contracted with WEIGHTS."""
    x = lib.tensor(x_array, requires_grad=True)
    y = f(lib, x)
    for _ in range(order - 1):
        (y,) = lib.autograd.grad(y, x, create_graph=True)
        y = (y * lib.tensor(WEIGHTS)).sum()
    return lib.autograd.grad(y, x)[0].numpy()


def _spectral(lib, x):
    m = x.reshape(2, 2)
    return (
        lib.special.i1(x).sum()
        + lib.linalg.eigvalsh(m @ m.T + x[0]).pow(3).sum()
        + lib.linalg.matrix_exp(m * 0.5).sum()
    )


def test_third_derivatives_through_the_new_rules_match_torch():
    """Each rule is written with ops that have rules, so the orders go on."""
    x = np.array([0.3, -0.7, 1.1, 0.4])
    np.testing.assert_allclose(_third(cr, _spectral, x), _third(torch, _spectral, x), rtol=1e-9)


def test_third_derivative_of_logcumsumexp_where_torch_gives_nan():
    """torch's logcumsumexp backward takes logs of the gradient's negative part, so its third
    derivative here is NaN; chainrule's agrees with finite differences of its second."""

    def f(lib, x):
        return lib.logcumsumexp(x * x, 0).sum()

    x, eps = np.array([0.3, -0.7, 1.1, 0.4]), 1e-6
    assert np.isnan(_third(torch, f, x)).all()
    steps = [
        ((_third(cr, f, x + eps * e, 2) - _third(cr, f, x - eps * e, 2)) @ WEIGHTS) / (2 * eps)
        for e in np.eye(4)
    ]
    np.testing.assert_allclose(_third(cr, f, x), steps, rtol=1e-6)
