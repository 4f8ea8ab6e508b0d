"""nn.MultiheadAttention against torch: state_dicts both ways, values, gradients, masks."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")
TOL = {"float32": 3e-5, "float64": 1e-10}
E, H, L, S, N = 8, 2, 4, 5, 3


def _pair(dtype, **kwargs):
    theirs = torch.nn.MultiheadAttention(E, H, **kwargs).to(getattr(torch, dtype))
    ours = cr.nn.MultiheadAttention(E, H, dtype=dtype, generator=0, **kwargs)
    ours.load_state_dict({k: cr.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    return ours, theirs


def _inputs(rng, dtype, batched=True, batch_first=False, kdim=E, vdim=E):
    def make(length, dim):
        if not batched:
            return rng.standard_normal((length, dim)).astype(dtype)
        shape = (N, length, dim) if batch_first else (length, N, dim)
        return rng.standard_normal(shape).astype(dtype)

    return make(L, E), make(S, kdim), make(S, vdim)


def _compare(ours, theirs, arrays, dtype, masks=None, **kwargs):
    masks = masks or {}
    mine = [cr.tensor(a, requires_grad=True) for a in arrays]
    yours = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, weights = ours(*mine, **masks, **kwargs)
    ref, ref_weights = theirs(*yours, **{k: torch.tensor(m) for k, m in masks.items()}, **kwargs)
    upstream = np.random.default_rng(5).standard_normal(tuple(ref.shape)).astype(dtype)
    out.backward(cr.tensor(upstream))
    ref.backward(torch.tensor(upstream))
    tol = TOL[dtype]
    assert out.dtype == np.dtype(dtype)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), atol=tol, rtol=tol)
    if ref_weights is None:
        assert weights is None
    else:
        np.testing.assert_allclose(weights.detach().numpy(), ref_weights.detach().numpy(), atol=tol)
    for a, b in zip(mine, yours):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), atol=tol, rtol=tol)
    theirs_params = dict(theirs.named_parameters())
    for name, param in ours.named_parameters():
        np.testing.assert_allclose(
            param.grad.numpy(), theirs_params[name].grad.numpy(), atol=tol, rtol=tol
        )


def _masks(rng, kind, dtype, batched=True):
    rows = (N, S) if batched else (S,)
    if kind == "bool":
        padding = rng.random(rows) < 0.3
        padding[..., 0] = False  # every sample keeps one key
        return {"key_padding_mask": padding, "attn_mask": rng.random((L, S)) < 0.2}
    if kind == "float":
        return {
            "key_padding_mask": rng.standard_normal(rows).astype(dtype),
            "attn_mask": rng.standard_normal((L, S)).astype(dtype),
        }
    if kind == "3d":
        heads = (N * H, L, S) if batched else (H, L, S)
        return {"attn_mask": rng.random(heads) < 0.2}
    return {}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("mask", ["none", "bool", "float", "3d"])
@pytest.mark.parametrize("layout", ["seq_first", "batch_first", "unbatched"])
def test_values_and_gradients(layout, mask, dtype, rng):
    batch_first = layout == "batch_first"
    ours, theirs = _pair(dtype, batch_first=batch_first)
    batched = layout != "unbatched"
    arrays = _inputs(rng, dtype, batched, batch_first)
    _compare(ours, theirs, arrays, dtype, _masks(rng, mask, dtype, batched))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "kwargs",
    [
        {"need_weights": False},
        {"average_attn_weights": False},
        {"need_weights": False, "is_causal": True},
        {"is_causal": True},
    ],
)
def test_weights_options_and_causal(kwargs, dtype, rng):
    ours, theirs = _pair(dtype)
    causal = np.triu(np.ones((L, L), dtype=bool), 1)
    arrays = [rng.standard_normal((L, N, E)).astype(dtype) for _ in range(3)]
    masks = {"attn_mask": causal} if kwargs.get("is_causal") else None
    _compare(ours, theirs, arrays, dtype, masks, **kwargs)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("bias", [True, False])
def test_kdim_vdim_and_no_bias(bias, dtype, rng):
    ours, theirs = _pair(dtype, kdim=5, vdim=3, bias=bias)
    assert sorted(ours.state_dict()) == sorted(theirs.state_dict())
    _compare(ours, theirs, _inputs(rng, dtype, kdim=5, vdim=3), dtype)


def test_state_dict_moves_to_torch_and_init_is_torchs(rng):
    ours = cr.nn.MultiheadAttention(E, H, generator=1)
    assert list(ours.state_dict()) == list(torch.nn.MultiheadAttention(E, H).state_dict())
    assert np.all(ours.in_proj_bias.detach().numpy() == 0) and np.all(
        ours.out_proj.bias.detach().numpy() == 0
    )
    bound = np.sqrt(6.0 / (E + 3 * E))  # xavier_uniform_ on the (3E, E) in_proj_weight
    assert np.abs(ours.in_proj_weight.detach().numpy()).max() <= bound
    theirs = torch.nn.MultiheadAttention(E, H)
    theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    _compare(ours, theirs, _inputs(rng, "float32"), "float32")


def test_dropout_in_training_only_and_seeded():
    x = cr.ones(L, N, E)
    layer = cr.nn.MultiheadAttention(E, H, dropout=0.5, generator=0)
    first = layer(x, x, x)[1].detach().numpy()
    assert not np.allclose(first, layer(x, x, x)[1].detach().numpy())
    layer.eval()
    np.testing.assert_allclose(layer(x, x, x)[1].detach().numpy(), 1.0 / L, rtol=1e-6)


def test_errors():
    with pytest.raises(ValueError, match=r"MultiheadAttention\(8, 3\): expected embed_dim divis"):
        cr.nn.MultiheadAttention(8, 3)
    layer = cr.nn.MultiheadAttention(E, H)
    x = cr.ones(L, N, E)
    with pytest.raises(cr.errors.ShapeError, match=r"MultiheadAttention\(8, 2\): expected query"):
        layer(x, cr.ones(S, N, 7), cr.ones(S, N, 7))
    with pytest.raises(cr.errors.ShapeError, match=r"expected key_padding_mask of shape \(3, 4\)"):
        layer(x, x, x, key_padding_mask=np.zeros((N, S), bool))
    with pytest.raises(cr.errors.ShapeError, match=r"expected attn_mask of shape"):
        layer(x, x, x, attn_mask=np.zeros((2, 2), bool))
    with pytest.raises(ValueError, match=r"expected an attn_mask with is_causal=True"):
        layer(x, x, x, is_causal=True)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("mask", ["none", "bool", "float", "3d"])
@pytest.mark.parametrize(
    "extras",
    [{"add_bias_kv": True}, {"add_zero_attn": True}, {"add_bias_kv": True, "add_zero_attn": True}],
)
def test_bias_kv_and_zero_attn(extras, mask, dtype, rng):
    ours, theirs = _pair(dtype, **extras)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _compare(ours, theirs, _inputs(rng, dtype), dtype, _masks(rng, mask, dtype))
