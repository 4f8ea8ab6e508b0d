"""nn.RNN/LSTM/GRU and their cells against torch: values, gradients, state_dicts, errors."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

KINDS = ["RNN", "LSTM", "GRU"]
CONFIGS = [
    {},
    {"num_layers": 2, "bidirectional": True, "batch_first": True},
    {"bias": False, "num_layers": 3},
]


def _pair(kind, dtype, **kwargs):
    theirs = getattr(torch.nn, kind)(3, 4, **kwargs).to(getattr(torch, dtype))
    ours = getattr(cr.nn, kind)(3, 4, dtype=dtype, **kwargs)
    ours.load_state_dict({k: cr.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    return ours, theirs


def _flat(result):
    out, state = result
    return [out, *(state if isinstance(state, tuple) else (state,))]


def _states(kind, shape, rng, dtype):
    count = 2 if kind == "LSTM" else 1
    return [rng.standard_normal(shape).astype(dtype) for _ in range(count)]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("with_state", [False, True])
def test_matches_torch_values_and_gradients(kind, config, dtype, with_state, rng):
    ours, theirs = _pair(kind, dtype, **config)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    x = rng.standard_normal((2, 5, 3)).astype(dtype)
    directions = 2 if config.get("bidirectional") else 1
    h_shape = (config.get("num_layers", 1) * directions, 5 if config.get("batch_first") else 5, 4)
    h_shape = (h_shape[0], 2 if config.get("batch_first") else 5, 4)
    states = _states(kind, h_shape, rng, dtype) if with_state else []
    x_c, x_t = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    s_c = [cr.tensor(s, requires_grad=True) for s in states]
    s_t = [torch.tensor(s, requires_grad=True) for s in states]
    pack = (lambda s: tuple(s) if kind == "LSTM" else s[0]) if states else (lambda s: None)
    got, want = _flat(ours(x_c, pack(s_c))), _flat(theirs(x_t, pack(s_t)))
    # float32 atol 1e-5: parameter gradients reach ~10, and summing 20 steps in another order
    # than torch's leaves ~1e-6 absolute where the sum nearly cancels
    tol = {"rtol": 1e-5, "atol": 1e-5} if dtype == "float32" else {"rtol": 1e-10, "atol": 1e-12}
    seeds = [rng.standard_normal(tuple(w.shape)).astype(dtype) for w in want]
    for a, b in zip(got, want):
        assert a.dtype == getattr(cr, dtype) and tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), **tol)
    sum((a * cr.tensor(s)).sum() for a, s in zip(got, seeds)).backward()
    sum((b * torch.tensor(s)).sum() for b, s in zip(want, seeds)).backward()
    for a, b in zip([x_c, *s_c], [x_t, *s_t]):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **tol)
    for (name, a), (_, b) in zip(ours.named_parameters(), theirs.named_parameters()):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), err_msg=name, **tol)


@pytest.mark.parametrize("kind", KINDS)
def test_unbatched_input_and_state(kind, rng):
    ours, theirs = _pair(kind, "float64", num_layers=2)
    x = rng.standard_normal((6, 3))
    states = _states(kind, (2, 4), rng, "float64")
    pack = tuple if kind == "LSTM" else (lambda s: s[0])
    got = _flat(ours(cr.tensor(x), pack([cr.tensor(s) for s in states])))
    want = _flat(theirs(torch.tensor(x), pack([torch.tensor(s) for s in states])))
    for a, b in zip(got, want):
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-10)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("batched", [True, False])
def test_cells_match_torch(kind, batched, rng):
    theirs = getattr(torch.nn, kind + "Cell")(3, 4).double()
    ours = getattr(cr.nn, kind + "Cell")(3, 4, dtype="float64")
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: cr.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    shape = (2, 3) if batched else (3,)
    x = rng.standard_normal(shape)
    x_c, x_t = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    for hx in (None, "given"):
        h_shape = (2, 4) if batched else (4,)
        states = _states(kind, h_shape, rng, "float64") if hx else None
        args_c = (
            ()
            if states is None
            else ((tuple if kind == "LSTM" else lambda s: s[0])([cr.tensor(s) for s in states]),)
        )
        args_t = (
            ()
            if states is None
            else ((tuple if kind == "LSTM" else lambda s: s[0])([torch.tensor(s) for s in states]),)
        )
        got, want = ours(x_c, *args_c), theirs(x_t, *args_t)
        got = list(got) if isinstance(got, tuple) else [got]
        want = list(want) if isinstance(want, tuple) else [want]
        for a, b in zip(got, want):
            np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-10)
    got[0].sum().backward()
    want[0].sum().backward()
    np.testing.assert_allclose(x_c.grad.numpy(), x_t.grad.numpy(), rtol=1e-10)


def test_relu_nonlinearity_matches_torch(rng):
    theirs = torch.nn.RNN(3, 4, nonlinearity="relu").double()
    ours = cr.nn.RNN(3, 4, nonlinearity="relu", dtype="float64")
    ours.load_state_dict({k: cr.tensor(v.numpy()) for k, v in theirs.state_dict().items()})
    x = rng.standard_normal((5, 2, 3))
    np.testing.assert_allclose(
        ours(cr.tensor(x))[0].detach().numpy(),
        theirs(torch.tensor(x))[0].detach().numpy(),
        rtol=1e-10,
    )


def test_state_dict_goes_to_torch_and_init_is_torchs_bound():
    ours = cr.nn.LSTM(3, 16, num_layers=2, bidirectional=True, generator=0)
    theirs = torch.nn.LSTM(3, 16, num_layers=2, bidirectional=True)
    theirs.load_state_dict({k: torch.from_numpy(v.numpy()) for k, v in ours.state_dict().items()})
    for p in ours.parameters():
        assert p.dtype == cr.float32 and np.abs(p.detach().numpy()).max() <= 0.25
        assert np.abs(p.detach().numpy()).max() > 0.2  # drawn over the whole U(-1/4, 1/4)


def test_dropout_only_between_layers_and_only_in_training(rng):
    model = cr.nn.GRU(3, 4, num_layers=2, dropout=0.5, generator=0)
    x = cr.tensor(rng.standard_normal((5, 2, 3)).astype(np.float32))
    model.eval()
    first, second = model(x)[0].detach().numpy(), model(x)[0].detach().numpy()
    np.testing.assert_array_equal(first, second)
    model.train()
    assert not np.allclose(model(x)[0].detach().numpy(), first)
    with pytest.warns(UserWarning, match=r"GRU: dropout=0.5 acts between layers only"):
        single = cr.nn.GRU(3, 4, dropout=0.5, generator=0)  # as torch: warns, drops nothing
    single.train()
    np.testing.assert_array_equal(
        single(x)[0].detach().numpy(), single.eval()(x)[0].detach().numpy()
    )


def test_refusals_name_the_fix():
    with pytest.raises(ValueError, match=r"LSTM: expected proj_size=0.*\nHint: add an nn.Linear"):
        cr.nn.LSTM(3, 4, proj_size=2)
    with pytest.raises(ValueError, match=r"RNN: expected nonlinearity 'tanh' or 'relu'"):
        cr.nn.RNN(3, 4, nonlinearity="sigmoid")
    with pytest.raises(ValueError, match=r"GRU: expected num_layers a whole number >= 1, got 0"):
        cr.nn.GRU(3, 4, num_layers=0)
    with pytest.raises(ValueError, match=r"LSTM: expected hidden_size a whole number > 0"):
        cr.nn.LSTM(3, 0)
    lstm = cr.nn.LSTM(3, 4)
    with pytest.raises(cr.errors.ShapeError, match=r"LSTM\(3, 4\): expected input of shape"):
        lstm(cr.ones(2, 5, 7))
    with pytest.raises(cr.errors.ShapeError, match=r"expected hidden state of shape \(1, 5, 4\)"):
        lstm(cr.ones(2, 5, 3), (cr.zeros(1, 2, 4), cr.zeros(1, 5, 4)))
    with pytest.raises(ValueError, match=r"expected hx as a tuple \(h_0, c_0\)"):
        lstm(cr.ones(2, 5, 3), cr.zeros(1, 5, 4))
    with pytest.raises(cr.errors.ShapeError, match=r"GRUCell\(3, 4\): expected input of shape"):
        cr.nn.GRUCell(3, 4)(cr.ones(2, 2, 3))


def test_repr_names_non_defaults():
    assert repr(cr.nn.LSTM(3, 4, num_layers=2, batch_first=True)) == (
        "LSTM(3, 4, num_layers=2, batch_first=True)"
    )
