"""adv6: the claims of the hot-path commit that hold, each shown against torch 2.13: check_tensor's
exact-type pass, F.linear and F.relu calling _apply directly, classification_loss's cached rows."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import chainrule as cr
import chainrule.nn.functional as F

RNG = np.random.default_rng(0)
X = RNG.standard_normal((6, 5)).astype(np.float32)
W = RNG.standard_normal((3, 5)).astype(np.float32)


class MyTensor(cr.Tensor):
    pass


@pytest.mark.parametrize("bad", [None, [1.0, 2.0, 3.0, 4.0, 5.0], (1.0,), 3.0, 2, "x"])
def test_what_check_tensor_refused_is_still_refused(bad):
    with pytest.raises(cr.errors.NotATensorError):
        F.relu(bad)
    with pytest.raises(cr.errors.NotATensorError):
        F.linear(bad, cr.tensor(W))


@pytest.mark.parametrize("make", [cr.tensor, cr.nn.Parameter, cr.nn.Buffer, MyTensor])
def test_tensor_subclasses_pass_relu_and_linear_with_torchs_values(make):
    x = make(cr.tensor(X)) if make in (cr.nn.Parameter, cr.nn.Buffer, MyTensor) else make(X)
    got = F.relu(F.linear(x, cr.tensor(W)))
    want = TF.relu(TF.linear(torch.tensor(X), torch.tensor(W)))
    np.testing.assert_allclose(got.detach().numpy(), want.numpy(), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize(
    "x,error",
    [
        (cr.tensor(1.0), cr.errors.ShapeError),
        (cr.tensor(X[:, :4]), cr.errors.ShapeError),
        (cr.tensor(X > 0), cr.errors.DTypeError),
        (cr.tensor(X.astype(np.float64)), cr.errors.DTypeError),
    ],
    ids=["0d", "features", "bool", "float64"],
)
def test_linear_still_explains_bad_inputs(x, error):
    with pytest.raises(error, match="linear: expected"):
        F.linear(x, cr.tensor(W))
    with pytest.raises(error, match="linear: expected"):
        F.linear(x._data, cr.tensor(W), cr.zeros(3))  # an ndarray input takes the same road


def test_relu_refuses_bool_as_torch_and_direct_apply_stays_visible():
    for lib, f in ((cr, F), (torch, TF)):
        with pytest.raises(RuntimeError):
            f.relu(lib.tensor([True, False]))
    x = cr.tensor(X, requires_grad=True)
    seen = []
    with cr.profiler.profile() as prof:
        y = F.relu(F.linear(x, cr.tensor(W, requires_grad=True)))
        y.register_hook(lambda g: seen.append(g.shape))
        y.sum().backward()
    keys = {e.key for e in prof.key_averages()}
    assert {"Linear", "ReLU", "LinearBackward0", "ReLUBackward0"} <= keys
    assert seen == [cr.Size([6, 3])] and y.grad_fn.name() == "ReLUBackward0"
    g = cr.func.grad(lambda t: F.relu(F.linear(t, cr.tensor(W))).sum())(cr.tensor(X))
    want = torch.func.grad(lambda t: TF.relu(TF.linear(t, torch.tensor(W))).sum())(torch.tensor(X))
    np.testing.assert_allclose(g.numpy(), want.numpy(), rtol=1e-6)


def _ce(lib, f, x, target, **kw):
    x = lib.tensor(x, requires_grad=True)
    loss = f.cross_entropy(x, target, **kw)
    loss.sum().backward()
    return loss.detach().numpy(), x.grad.numpy()


@pytest.mark.parametrize(
    "kw",
    [{}, {"ignore_index": 2}, {"label_smoothing": 0.2}, {"weight": "w"}, {"reduction": "none"}],
)
@pytest.mark.parametrize("shape", [(6, 5), (3, 5, 2, 4)])
def test_cross_entropy_with_cached_rows_matches_torch(kw, shape):
    x = RNG.standard_normal(shape).astype(np.float32)
    labels = RNG.integers(0, 5, (shape[0],) + shape[2:])
    w = RNG.random(5).astype(np.float32)
    results = []
    for lib, f in ((cr, F), (torch, TF)):
        given = {k: (lib.tensor(w) if v == "w" else v) for k, v in kw.items()}
        results.append(_ce(lib, f, x, lib.tensor(labels), **given))
    for got, want in zip(*results):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    probs = RNG.dirichlet(np.ones(5), 6).astype(np.float32)
    got, want = (_ce(lib, f, X, lib.tensor(probs)) for lib, f in ((cr, F), (torch, TF)))
    np.testing.assert_allclose(got[1], want[1], rtol=1e-5, atol=1e-6)


def test_label_dtypes_are_refused_as_before_and_numpy_labels_pass():
    for dtype in (np.int32, np.int16, np.bool_):
        with pytest.raises(cr.errors.DTypeError):
            F.cross_entropy(cr.tensor(X), cr.tensor(RNG.integers(0, 2, 6).astype(dtype)))
    F.cross_entropy(cr.tensor(X), RNG.integers(0, 5, 6).astype(np.int32))  # NumPy: any int


def test_a_replay_with_new_labels_each_step_gives_eager_bits():
    model = cr.nn.Linear(5, 4)
    eager = cr.nn.Linear(5, 4)
    eager.load_state_dict(model.state_dict())
    static_x, static_y = cr.tensor(X), cr.tensor(RNG.integers(0, 4, 6))
    graph = cr.CPUGraph()
    with cr.graph(graph):
        model.zero_grad()
        F.cross_entropy(model(static_x), static_y).backward()
    for _ in range(3):
        batch, labels = RNG.standard_normal((6, 5)).astype(np.float32), RNG.integers(0, 4, 6)
        static_x.copy_(cr.tensor(batch))
        static_y.copy_(cr.tensor(labels))
        graph.replay()
        eager.zero_grad()
        F.cross_entropy(eager(cr.tensor(batch)), cr.tensor(labels)).backward()
        assert model.weight.grad.numpy().tobytes() == eager.weight.grad.numpy().tobytes()
