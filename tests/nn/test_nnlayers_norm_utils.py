"""weight_norm and spectral_norm (hooks and parametrizations), parametrize, and
utils.checkpoint against torch: state_dict keys, values, gradients, power iteration."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from chainrule.nn.utils import parametrize  # noqa: E402

pytestmark = pytest.mark.oracle

TOL = dict(rtol=1e-10, atol=1e-12)


def _pair(rng, make_cr, make_torch):
    """The same float64 layer in both libraries."""
    ours, theirs = make_cr(cr.nn), make_torch(torch.nn)
    with torch.no_grad():
        for name, p in theirs.named_parameters():
            getattr(ours, name).data[...] = p.numpy()
    return ours, theirs


def _check(ours, theirs, x, rng, names):
    out, ref = ours(cr.tensor(x)), theirs(torch.tensor(x))
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), **TOL)
    upstream = rng.standard_normal(out.shape)
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    ours_p, theirs_p = dict(ours.named_parameters()), dict(theirs.named_parameters())
    for name in names:
        np.testing.assert_allclose(
            ours_p[name].grad, theirs_p[name].grad.numpy(), **TOL, err_msg=name
        )


LAYERS = [
    (lambda nn: nn.Linear(4, 3, dtype=_f64(nn)), (5, 4), 0),
    (lambda nn: nn.Conv2d(2, 3, 3, dtype=_f64(nn)), (2, 2, 5, 5), 0),
    (lambda nn: nn.Conv2d(2, 3, 3, dtype=_f64(nn)), (2, 2, 5, 5), 1),
    (lambda nn: nn.Linear(4, 3, dtype=_f64(nn)), (5, 4), None),
]


def _f64(nn):
    return torch.float64 if nn is torch.nn else np.float64


@pytest.mark.parametrize("make, shape, dim", LAYERS)
def test_hook_weight_norm_matches_torch(make, shape, dim, rng):
    ours, theirs = _pair(rng, make, make)
    with pytest.warns(FutureWarning):
        cr.nn.utils.weight_norm(ours, dim=dim)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        torch.nn.utils.weight_norm(theirs, dim=dim)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    np.testing.assert_allclose(
        ours.weight_g.detach().numpy(), theirs.weight_g.detach().numpy(), **TOL
    )
    _check(ours, theirs, rng.standard_normal(shape), rng, ["weight_g", "weight_v", "bias"])
    cr.nn.utils.remove_weight_norm(ours)
    torch.nn.utils.remove_weight_norm(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(), **TOL)


@pytest.mark.parametrize("make, shape, dim", LAYERS)
def test_parametrized_weight_norm_matches_torch(make, shape, dim, rng):
    ours, theirs = _pair(rng, make, make)
    cr.nn.utils.parametrizations.weight_norm(ours, dim=dim)
    torch.nn.utils.parametrizations.weight_norm(theirs, dim=dim)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert type(ours).__name__ == type(theirs).__name__
    names = ["parametrizations.weight.original0", "parametrizations.weight.original1", "bias"]
    _check(ours, theirs, rng.standard_normal(shape), rng, names)
    assert parametrize.is_parametrized(ours, "weight")
    parametrize.remove_parametrizations(ours, "weight")
    torch.nn.utils.parametrize.remove_parametrizations(theirs, "weight")
    assert type(ours) is cr.nn.Linear or type(ours) is cr.nn.Conv2d
    assert list(ours.state_dict()) == list(theirs.state_dict())
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(), **TOL)


def test_parametrized_weight_assignment_goes_through_right_inverse(rng):
    layer = cr.nn.utils.parametrizations.weight_norm(cr.nn.Linear(3, 2, dtype=np.float64))
    target = rng.standard_normal((2, 3))
    layer.weight = cr.tensor(target)
    np.testing.assert_allclose(layer.weight.detach().numpy(), target, rtol=1e-12)


@pytest.mark.parametrize("make, shape, dim", LAYERS[:3])
@pytest.mark.parametrize("steps", [1, 3])
def test_hook_spectral_norm_matches_torch_given_torchs_start(make, shape, dim, steps, rng):
    ours, theirs = _pair(rng, make, make)
    cr.nn.utils.spectral_norm(ours, n_power_iterations=steps, dim=dim)
    torch.nn.utils.spectral_norm(theirs, n_power_iterations=steps, dim=dim)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for name in ("weight_u", "weight_v"):  # the random start differs: take torch's
        getattr(ours, name).data[...] = getattr(theirs, name).numpy()
    x = rng.standard_normal(shape)
    _check(ours, theirs, x, rng, ["weight_orig", "bias"])
    np.testing.assert_allclose(ours.weight_u.numpy(), theirs.weight_u.numpy(), **TOL)
    ours.eval()
    theirs.eval()
    out = ours(cr.tensor(x)).detach().numpy()
    np.testing.assert_allclose(out, theirs(torch.tensor(x)).detach().numpy(), **TOL)


@pytest.mark.parametrize("make, shape, dim", LAYERS[:3])
def test_parametrized_spectral_norm_matches_torch_given_torchs_start(make, shape, dim, rng):
    ours, theirs = _pair(rng, make, make)
    cr.nn.utils.parametrizations.spectral_norm(ours, dim=dim, generator=0)
    torch.nn.utils.parametrizations.spectral_norm(theirs, dim=dim)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours_sn, theirs_sn = ours.parametrizations.weight[0], theirs.parametrizations.weight[0]
    for name in ("_u", "_v"):
        getattr(ours_sn, name).data[...] = getattr(theirs_sn, name).numpy()
    x = rng.standard_normal(shape)
    _check(ours, theirs, x, rng, ["parametrizations.weight.original", "bias"])
    np.testing.assert_allclose(ours_sn._v.numpy(), theirs_sn._v.numpy(), **TOL)


def test_spectral_norm_bounds_the_largest_singular_value(rng):
    layer = cr.nn.utils.parametrizations.spectral_norm(
        cr.nn.Linear(6, 5, dtype=np.float64), generator=1
    )
    for _ in range(20):
        layer(cr.tensor(rng.standard_normal((2, 6))))
    assert abs(np.linalg.norm(layer.weight.detach().numpy(), 2) - 1) < 1e-6


def test_checkpoint_runs_the_function_and_warns_as_torch_without_use_reentrant(rng):
    from chainrule.utils.checkpoint import checkpoint, checkpoint_sequential

    x = cr.tensor(rng.standard_normal(3), requires_grad=True)
    out = checkpoint(lambda a, b=2: (a * b).sin(), x, b=3, use_reentrant=False)
    out.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 3 * np.cos(3 * x.detach().numpy()), rtol=1e-6)
    with pytest.warns(UserWarning, match="use_reentrant"):
        checkpoint(lambda a: a, x)
    with pytest.warns(UserWarning):
        torch.utils.checkpoint.checkpoint(lambda a: a * 1, torch.ones(1, requires_grad=True))
    seq = cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.ReLU(), cr.nn.Linear(4, 2))
    y = checkpoint_sequential(seq, 2, cr.ones(1, 3), use_reentrant=False)
    np.testing.assert_array_equal(y.detach().numpy(), seq(cr.ones(1, 3)).detach().numpy())


def test_errors_name_the_utility():
    with pytest.raises(ValueError, match="spectral_norm: expected n_power_iterations > 0"):
        cr.nn.utils.spectral_norm(cr.nn.Linear(2, 2), n_power_iterations=0)
    with pytest.raises(ValueError, match="register_parametrization: expected a parameter"):
        parametrize.register_parametrization(cr.nn.ReLU(), "weight", cr.nn.Identity())
    with pytest.raises(ValueError, match="remove_weight_norm"):
        cr.nn.utils.remove_weight_norm(cr.nn.Linear(2, 2))
