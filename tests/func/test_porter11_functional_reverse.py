"""torch.autograd.functional's hessian, hvp, vhp and jvp go reverse over reverse, as torch's
do: they take ops that forward mode does not cover (GELU, LayerNorm, the BCE and NLL losses,
Huber, atan), where chainrule once refused them; forward over reverse stays available through
outer_jacobian_strategy="forward-mode". A function whose output ignores its input gives zeros."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.errors import ArgumentError
from chainrule.func.forward_ops import TESTED

pytestmark = [
    pytest.mark.oracle,
    pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning"),
]
torch = pytest.importorskip("torch")

rng = np.random.default_rng(11)
X = rng.standard_normal(6)
T = rng.random(6)
V = rng.standard_normal(6)


def _losses(lib):
    F = lib.nn.functional
    t = lib.tensor(T)
    labels = lib.tensor(np.array([0, 2]))
    return {
        "bce_with_logits": lambda x: F.binary_cross_entropy_with_logits(x, t, reduction="sum"),
        "bce": lambda x: F.binary_cross_entropy(lib.sigmoid(x), t),
        "nll": lambda x: F.nll_loss(F.log_softmax(x.reshape(2, 3), 1), labels),
        "huber": lambda x: F.huber_loss(x, t, delta=0.5) + (x**3).sum(),
        "gelu": lambda x: F.gelu(x).sum(),
        "layer_norm": lambda x: (F.layer_norm(x.reshape(2, 3), (3,)) ** 3).sum(),
        "atan": lambda x: (lib.atan(x) * x).sum(),
    }


NAMES = list(_losses(torch))


def test_the_cases_reach_past_forward_modes_tested_ops():
    assert {"GELU", "LayerNorm", "BCEWithLogitsLoss", "NLLLoss", "HuberLoss", "Atan"} - TESTED


@pytest.mark.parametrize("name", NAMES)
def test_hessian_hvp_vhp_of_ops_without_forward_mode(name):
    ours_f, theirs_f = _losses(cr)[name], _losses(torch)[name]
    x, tx = cr.tensor(X), torch.tensor(X)
    ours, theirs = (
        cr.autograd.functional.hessian(ours_f, x),
        torch.autograd.functional.hessian(theirs_f, tx),
    )
    assert not ours.requires_grad
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-10, atol=1e-12)
    for fn in ("hvp", "vhp"):
        out, hv = getattr(cr.autograd.functional, fn)(ours_f, x, cr.tensor(V))
        t_out, t_hv = getattr(torch.autograd.functional, fn)(theirs_f, tx, torch.tensor(V))
        assert not (out.requires_grad or hv.requires_grad)
        np.testing.assert_allclose(out.numpy(), t_out.numpy(), rtol=1e-12)
        np.testing.assert_allclose(hv.numpy(), t_hv.numpy(), rtol=1e-10, atol=1e-12)


def test_jvp_through_a_gelu_layer_norm_block():
    def block(lib):
        F = lib.nn.functional
        w = lib.tensor(np.linspace(-1, 1, 12).reshape(2, 6))
        return lambda x: F.layer_norm(F.gelu(F.linear(x, w)), (2,))

    x = X.reshape(1, 6)
    out, tangent = cr.autograd.functional.jvp(block(cr), cr.tensor(x), cr.tensor(V.reshape(1, 6)))
    t_out, t_tangent = torch.autograd.functional.jvp(
        block(torch), torch.tensor(x), torch.tensor(V.reshape(1, 6))
    )
    assert not (out.requires_grad or tangent.requires_grad)
    np.testing.assert_allclose(out.numpy(), t_out.numpy(), rtol=1e-12)
    np.testing.assert_allclose(tangent.numpy(), t_tangent.numpy(), rtol=1e-9, atol=1e-12)


def test_forward_over_reverse_still_on_request():
    f = lambda lib: lambda x: (x.sin() * x.sum()).tanh().sum()  # noqa: E731
    ours = cr.autograd.functional.hessian(
        f(cr), cr.tensor(X), vectorize=True, outer_jacobian_strategy="forward-mode"
    )
    theirs = torch.autograd.functional.hessian(
        f(torch), torch.tensor(X), vectorize=True, outer_jacobian_strategy="forward-mode"
    )
    np.testing.assert_allclose(ours.numpy(), theirs.detach().numpy(), rtol=1e-10, atol=1e-12)
    with pytest.raises(ArgumentError, match="expected outer_jacobian_strategy"):
        cr.autograd.functional.hessian(f(cr), cr.tensor(X), outer_jacobian_strategy="sideways")


@pytest.mark.parametrize("lib", [cr, torch], ids=["chainrule", "torch"])
def test_a_constant_function_gives_zeros(lib):
    x, v = lib.tensor(X), lib.tensor(V)
    AF = lib.autograd.functional
    assert AF.hessian(lambda a: lib.ones(1, dtype=lib.float64).sum(), x).abs().sum().item() == 0
    assert AF.hvp(lambda a: lib.ones(1, dtype=lib.float64).sum(), x, v)[1].abs().sum() == 0
    out, tangent = AF.jvp(lambda a: lib.ones(6, dtype=lib.float64), x, v)
    assert out.sum().item() == 6 and tangent.abs().sum().item() == 0


def test_hvp_keeps_the_output_shape_func_gave():
    f = lambda lib: lambda x: (x**3).sum().reshape(1)  # noqa: E731
    out, hv = cr.autograd.functional.hvp(f(cr), cr.tensor(X), cr.tensor(V))
    t_out, t_hv = torch.autograd.functional.hvp(f(torch), torch.tensor(X), torch.tensor(V))
    assert tuple(out.shape) == tuple(t_out.shape) == (1,)
    np.testing.assert_allclose(hv.numpy(), t_hv.numpy(), rtol=1e-12)


@pytest.mark.parametrize(
    "call",
    [
        lambda lib, x: lib.autograd.functional.jacobian(lambda t: t**2, x, strategy="forward-mode"),
        lambda lib, x: lib.autograd.functional.hessian(
            lambda t: (t**3).sum(), x, outer_jacobian_strategy="forward-mode"
        ),
    ],
    ids=["jacobian", "hessian"],
)
def test_forward_mode_without_vectorize_is_refused_as_torch_refuses_it(call):
    import warnings

    for lib in (torch, cr):
        with pytest.raises(NotImplementedError):
            call(lib, lib.ones(3))
    with warnings.catch_warnings():  # torch's forward-mode jacobian warns through vmap
        warnings.simplefilter("ignore")
        want = torch.autograd.functional.hessian(
            lambda t: (t**3).sum(),
            torch.ones(3),
            outer_jacobian_strategy="forward-mode",
            vectorize=True,
        )
    got = cr.autograd.functional.hessian(
        lambda t: (t**3).sum(), cr.ones(3), outer_jacobian_strategy="forward-mode", vectorize=True
    )
    assert got.tolist() == want.tolist()
