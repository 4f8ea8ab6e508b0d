"""parametrizations.orthogonal, the BatchNorm fusions, unpad_sequence, init.sparse_ and
init.orthogonal_ against torch; optim.swa_utils (AveragedModel, SWALR, update_bn) in torch's
SWA and EMA recipes."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from chainrule import errors  # noqa: E402
from tests.torch_oracle import TOLERANCE  # noqa: E402

pytestmark = pytest.mark.oracle

ORTHOGONAL = [
    (shape, orthogonal_map, trivial)
    for shape in ((4, 4), (5, 3), (3, 5))
    for orthogonal_map in (None, "matrix_exp", "cayley", "householder")
    for trivial in (True, False)
    if trivial
    or orthogonal_map == "householder"
    or (orthogonal_map is None and shape[0] != shape[1])
]


def _same_weights(ours, theirs):
    ours.load_state_dict({k: cr.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})


@pytest.mark.parametrize(("shape", "orthogonal_map", "trivial"), ORTHOGONAL)
def test_orthogonal_parametrization_matches_torch(shape, orthogonal_map, trivial, rng):
    ours = cr.nn.Linear(shape[1], shape[0], dtype=cr.float64)
    theirs = torch.nn.Linear(shape[1], shape[0]).double()
    _same_weights(ours, theirs)
    kw = dict(orthogonal_map=orthogonal_map, use_trivialization=trivial)
    cr.nn.utils.parametrizations.orthogonal(ours, **kw)
    torch.nn.utils.parametrizations.orthogonal(theirs, **kw)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    if trivial and shape[0] != shape[1]:  # the base's completion is random: take torch's
        ours.parametrizations.weight[0].base = cr.tensor(
            theirs.parametrizations.weight[0].base.numpy()
        )
    tol = TOLERANCE[np.float64]
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(), **tol)
    w = ours.weight.detach().numpy()
    gram = w @ w.T if shape[0] <= shape[1] else w.T @ w
    np.testing.assert_allclose(gram, np.eye(min(shape)), atol=1e-12)
    # away from the start, with a diagonal householder reads as signs
    original = 0.3 * rng.standard_normal(shape)
    diagonal = np.arange(min(shape))
    original[diagonal, diagonal] = rng.choice([-1.5, 1.2, -1.0], len(diagonal))
    ours.parametrizations.weight.original.data.copy_(cr.tensor(original))
    with torch.no_grad():
        theirs.parametrizations.weight.original.copy_(torch.tensor(original))
    x = rng.standard_normal((2, shape[1]))
    upstream = rng.standard_normal((2, shape[0]))
    ours(cr.tensor(x)).backward(cr.tensor(upstream))
    theirs(torch.tensor(x)).backward(torch.tensor(upstream))
    np.testing.assert_allclose(ours.weight.detach().numpy(), theirs.weight.detach().numpy(), **tol)
    np.testing.assert_allclose(
        ours.parametrizations.weight.original.grad.numpy(),
        theirs.parametrizations.weight.original.grad.numpy(),
        **tol,
    )


def test_orthogonal_assignment_and_errors(rng):
    layer = cr.nn.utils.parametrizations.orthogonal(cr.nn.Linear(3, 3, dtype=cr.float64))
    q = np.linalg.qr(rng.standard_normal((3, 3)))[0]
    layer.weight = cr.tensor(q)  # an orthogonal matrix is taken as it is
    np.testing.assert_allclose(layer.weight.detach().numpy(), q, atol=1e-12)
    with pytest.raises(ValueError, match=r"a matrix or batch of matrices of shape \(3, 3\)"):
        layer.weight = cr.zeros(2, 3, dtype=cr.float64)
    with pytest.raises(ValueError, match="orthogonal_map 'matrix_exp', 'cayley' or 'householder'"):
        cr.nn.utils.parametrizations.orthogonal(cr.nn.Linear(3, 3), orthogonal_map="qr")
    with pytest.raises(ValueError, match="a matrix or batch of matrices"):
        cr.nn.utils.parametrizations.orthogonal(cr.nn.Linear(3, 3), name="bias")
    # torch keeps the weight as the original where the inverse is not implemented, and refuses
    # an assignment
    fixed = cr.nn.Linear(3, 3, dtype=cr.float64)
    start = fixed.weight.detach().numpy().copy()
    cr.nn.utils.parametrizations.orthogonal(fixed, use_trivialization=False)
    np.testing.assert_array_equal(fixed.parametrizations.weight.original.detach().numpy(), start)
    with pytest.raises(NotImplementedError, match="use_trivialization=True"):
        fixed.weight = cr.tensor(q)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("transpose", [False, True])
def test_fuse_conv_bn_eval_matches_torch(transpose, bias, rng):
    kind = "ConvTranspose2d" if transpose else "Conv2d"
    conv_a, conv_b = (
        getattr(cr.nn, kind)(3, 4, 3, bias=bias),
        getattr(torch.nn, kind)(3, 4, 3, bias=bias),
    )
    bn_a, bn_b = cr.nn.BatchNorm2d(4), torch.nn.BatchNorm2d(4)
    with torch.no_grad():
        for value in (bn_b.running_mean, bn_b.weight, bn_b.bias):
            value.copy_(torch.tensor(rng.standard_normal(4)))
        bn_b.running_var.copy_(torch.tensor(rng.uniform(0.5, 2.0, 4)))
    for ours, theirs in ((conv_a, conv_b), (bn_a, bn_b)):
        _same_weights(ours, theirs)
        ours.eval(), theirs.eval()
    fused_a = cr.nn.utils.fuse_conv_bn_eval(conv_a, bn_a, transpose)
    fused_b = torch.nn.utils.fuse_conv_bn_eval(conv_b, bn_b, transpose)
    x = rng.standard_normal((2, 3, 5, 5)).astype(np.float32)
    out = fused_a(cr.tensor(x)).detach().numpy()
    np.testing.assert_allclose(out, fused_b(torch.tensor(x)).detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(
        out, bn_a(conv_a(cr.tensor(x))).detach().numpy(), rtol=1e-4, atol=1e-5
    )
    assert isinstance(fused_a.weight, cr.nn.Parameter) and fused_a is not conv_a
    assert fused_a.bias.requires_grad == fused_b.bias.requires_grad


def test_fuse_linear_bn_eval_matches_torch_and_refuses_training(rng):
    lin_a, lin_b = cr.nn.Linear(5, 4), torch.nn.Linear(5, 4)
    bn_a, bn_b = cr.nn.BatchNorm1d(4), torch.nn.BatchNorm1d(4)
    with torch.no_grad():
        bn_b.running_mean.copy_(torch.tensor(rng.standard_normal(4)))
        bn_b.running_var.copy_(torch.tensor(rng.uniform(0.5, 2.0, 4)))
        bn_b.weight.copy_(torch.tensor(rng.standard_normal(4)))
    for ours, theirs in ((lin_a, lin_b), (bn_a, bn_b)):
        _same_weights(ours, theirs)
        ours.eval(), theirs.eval()
    x = rng.standard_normal((3, 5)).astype(np.float32)
    fused_a = cr.nn.utils.fuse_linear_bn_eval(lin_a, bn_a)
    fused_b = torch.nn.utils.fuse_linear_bn_eval(lin_b, bn_b)
    np.testing.assert_allclose(
        fused_a(cr.tensor(x)).detach().numpy(), fused_b(torch.tensor(x)).detach().numpy(),
        rtol=1e-4, atol=1e-5,
    )  # fmt: skip
    w, b = cr.nn.utils.fuse_linear_bn_weights(
        lin_a.weight,
        lin_a.bias,
        bn_a.running_mean,
        bn_a.running_var,
        bn_a.eps,
        bn_a.weight,
        bn_a.bias,
    )
    np.testing.assert_allclose(w.detach().numpy(), fused_b.weight.detach().numpy(), rtol=1e-5)
    lin_a.train()
    with pytest.raises(AssertionError, match="eval mode"):
        cr.nn.utils.fuse_linear_bn_eval(lin_a, bn_a)
    with pytest.raises(AssertionError, match="out_features == bn.num_features"):
        cr.nn.utils.fuse_linear_bn_eval(cr.nn.Linear(5, 3).eval(), bn_a)


@pytest.mark.parametrize("batch_first", [False, True])
def test_unpad_sequence_matches_torch_and_passes_gradients(batch_first):
    values = np.arange(24.0).reshape(4, 2, 3)
    if batch_first:
        values = values.swapaxes(0, 1).copy()
    padded = cr.tensor(values, requires_grad=True)
    ours = cr.nn.utils.rnn.unpad_sequence(padded, cr.tensor([4, 2]), batch_first=batch_first)
    theirs = torch.nn.utils.rnn.unpad_sequence(
        torch.tensor(values), torch.tensor([4, 2]), batch_first
    )
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.detach().numpy(), b.numpy())
    (ours[0].sum() + 2 * ours[1].sum()).backward()
    assert padded.grad.numpy().sum() == 4 * 3 + 2 * 2 * 3
    np.testing.assert_array_equal(padded.detach().numpy(), values)  # not transposed in place
    with pytest.raises(ValueError, match="unpack_sequence: expected padded batches"):
        cr.nn.utils.rnn.unpack_sequence(None)


def test_init_sparse_zeroes_a_fixed_share_of_each_column():
    w = cr.nn.init.sparse_(cr.empty(10, 6), sparsity=0.25, std=0.5, generator=3)
    zeros = (w.numpy() == 0).sum(axis=0)
    np.testing.assert_array_equal(zeros, [3] * 6)  # ceil(0.25 * 10), as torch
    again = cr.nn.init.sparse_(cr.empty(10, 6), sparsity=0.25, std=0.5, generator=3)
    np.testing.assert_array_equal(w.numpy(), again.numpy())
    assert 0.2 < w.numpy()[w.numpy() != 0].std() < 1.0
    with pytest.raises(ValueError, match="2 dimensions"):
        cr.nn.init.sparse_(cr.empty(3), 0.5)


@pytest.mark.parametrize("shape", [(4, 4), (3, 7), (7, 3), (4, 2, 3, 3)])
def test_init_orthogonal_has_torchs_structure(shape):
    """Values come from different generators; the structure is torch's: the rows (or columns,
    for a tall matrix) of the flattened tensor are orthonormal, times gain."""
    for lib in (cr, torch):
        w = lib.nn.init.orthogonal_(lib.empty(*shape), gain=2.0)
        flat = w.numpy().reshape(shape[0], -1)
        gram = flat @ flat.T if flat.shape[0] <= flat.shape[1] else flat.T @ flat
        np.testing.assert_allclose(gram, 4.0 * np.eye(min(flat.shape)), atol=1e-4)
    with pytest.raises(ValueError):
        cr.nn.init.orthogonal_(cr.empty(3))


def _recipe(lib, kind, X, Y, reference=None):
    """torch's SWA / EMA recipe, written once for both libraries."""
    lib.manual_seed(0)
    model = lib.nn.Sequential(
        lib.nn.Linear(4, 6), lib.nn.BatchNorm1d(6), lib.nn.ReLU(), lib.nn.Linear(6, 2)
    )
    if reference is not None:
        _same_weights(model, reference)
    start = {k: v.detach().clone() for k, v in model.state_dict().items()}
    groups = [{"params": model[0].parameters()}, {"params": model[3].parameters(), "lr": 0.05}]
    optimizer = lib.optim.SGD(groups, lr=0.1, momentum=0.9)
    swa_utils = lib.optim.swa_utils
    if kind == "swa":
        averaged = swa_utils.AveragedModel(model)
    elif kind == "ema":
        ema = swa_utils.get_ema_multi_avg_fn(0.9)
        averaged = swa_utils.AveragedModel(model, multi_avg_fn=ema, use_buffers=True)
    else:
        averaged = swa_utils.AveragedModel(model, avg_fn=swa_utils.get_ema_avg_fn(0.8))
    strategy = "linear" if kind == "ema" else "cos"
    scheduler = swa_utils.SWALR(
        optimizer, swa_lr=[0.02, 0.01], anneal_epochs=3, anneal_strategy=strategy
    )
    lrs = []
    for _ in range(5):
        for i in range(0, 40, 10):
            optimizer.zero_grad()
            loss = ((model(lib.tensor(X[i : i + 10])) - lib.tensor(Y[i : i + 10])) ** 2).mean()
            loss.backward()
            optimizer.step()
        averaged.update_parameters(model)
        scheduler.step()
        lrs.append([group["lr"] for group in optimizer.param_groups])
    loader = [(lib.tensor(X[i : i + 10]), lib.tensor(Y[i : i + 10])) for i in range(0, 40, 10)]
    swa_utils.update_bn(loader, averaged)
    state = {k: v.detach().numpy().astype(np.float64) for k, v in averaged.state_dict().items()}
    return state, np.array(lrs), start


@pytest.mark.parametrize("kind", ["swa", "ema", "ema_avg_fn"])
def test_swa_and_ema_recipes_match_torch(kind, rng):
    X = rng.standard_normal((40, 4)).astype(np.float32)
    Y = rng.standard_normal((40, 2)).astype(np.float32)
    theirs, their_lrs, start = _recipe(torch, kind, X, Y)
    reference = torch.nn.Sequential(
        torch.nn.Linear(4, 6), torch.nn.BatchNorm1d(6), torch.nn.ReLU(), torch.nn.Linear(6, 2)
    )
    reference.load_state_dict(start)
    ours, our_lrs, _ = _recipe(cr, kind, X, Y, reference)
    assert list(ours) == list(theirs)
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-4, atol=1e-5, err_msg=key)
    np.testing.assert_allclose(our_lrs, their_lrs, rtol=1e-12)


@pytest.mark.parametrize(("anneal_epochs", "strategy"), [(0, "cos"), (1, "linear"), (4, "cos")])
def test_swalr_schedule_matches_torch(anneal_epochs, strategy):
    def lrs(lib):
        optimizer = lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=1.0)
        scheduler = lib.optim.swa_utils.SWALR(optimizer, 0.1, anneal_epochs, strategy)
        out = [optimizer.param_groups[0]["lr"]]
        for _ in range(6):
            optimizer.step()
            scheduler.step()
            out.append(optimizer.param_groups[0]["lr"])
        return out

    np.testing.assert_allclose(lrs(cr), lrs(torch), rtol=1e-12)


def test_swa_utils_errors():
    optimizer = cr.optim.SGD([cr.zeros(1, requires_grad=True)], lr=1.0)
    with pytest.raises(ValueError, match="anneal_strategy 'cos' or 'linear'"):
        cr.optim.swa_utils.SWALR(optimizer, 0.1, anneal_strategy="step")
    with pytest.raises(ValueError, match="anneal_epochs >= 0"):
        cr.optim.swa_utils.SWALR(optimizer, 0.1, anneal_epochs=-1)
    with pytest.raises(ValueError, match="one swa_lr per param group"):
        cr.optim.swa_utils.SWALR(optimizer, [0.1, 0.2])
    with pytest.raises(AssertionError, match="only one of avg_fn and multi_avg_fn"):
        cr.optim.swa_utils.AveragedModel(
            cr.nn.Linear(2, 2), avg_fn=lambda *a: a[0], multi_avg_fn=lambda *a: None
        )
    assert issubclass(errors.ArgumentAssertionError, AssertionError)
