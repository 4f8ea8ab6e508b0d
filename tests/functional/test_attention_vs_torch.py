"""scaled_dot_product_attention against torch: values and gradients, masks, causal, gqa."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")
F = cr.nn.functional
TOL = {"float32": 2e-5, "float64": 1e-10}


def _run(arrays, dtype, **kwargs):
    """Forward and backward in both libraries with one random upstream gradient."""
    ours = [cr.tensor(a.astype(dtype), requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a.astype(dtype), requires_grad=True) for a in arrays]
    mask = kwargs.pop("attn_mask", None)
    out = F.scaled_dot_product_attention(*ours, attn_mask=mask, **kwargs)
    ref = torch.nn.functional.scaled_dot_product_attention(
        *theirs, attn_mask=None if mask is None else torch.tensor(mask), **kwargs
    )
    upstream = np.random.default_rng(7).standard_normal(tuple(ref.shape)).astype(dtype)
    out.backward(cr.tensor(upstream))
    ref.backward(torch.tensor(upstream))
    tol = TOL[dtype]
    assert out.dtype == np.dtype(dtype)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), atol=tol, rtol=tol)
    for mine, yours in zip(ours, theirs):
        np.testing.assert_allclose(mine.grad.numpy(), yours.grad.numpy(), atol=tol, rtol=tol)
    return out


def _qkv(rng, lead=(2, 3), length=4, source=5, e=8, ev=6):
    q = rng.standard_normal((*lead, length, e))
    return q, rng.standard_normal((*lead, source, e)), rng.standard_normal((*lead, source, ev))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("kind", ["none", "bool", "float", "causal", "scale"])
def test_values_and_gradients(kind, dtype, rng):
    arrays = _qkv(rng)
    kwargs = {}
    if kind == "bool":
        kwargs["attn_mask"] = rng.random((4, 5)) > 0.3
        kwargs["attn_mask"][:, 0] = True  # every row keeps one key
    elif kind == "float":
        kwargs["attn_mask"] = rng.standard_normal((2, 1, 4, 5)).astype(dtype)
    elif kind == "causal":
        kwargs["is_causal"] = True
    elif kind == "scale":
        kwargs["scale"] = 0.3
    _run(arrays, dtype, **kwargs)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_fully_masked_row_gives_zeros_as_torch(dtype, rng):
    mask = rng.random((4, 5)) > 0.3
    mask[:, 0], mask[2] = True, False
    out = _run(_qkv(rng), dtype, attn_mask=mask)
    assert np.all(out.detach().numpy()[..., 2, :] == 0)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_grouped_query_attention(dtype, rng):
    q = rng.standard_normal((2, 6, 4, 8))
    k, v = rng.standard_normal((2, 2, 5, 8)), rng.standard_normal((2, 2, 5, 3))
    _run((q, k, v), dtype, enable_gqa=True)


def test_dropout_is_seeded_and_keeps_dtype():
    q = cr.ones(2, 4, 8)
    one = F.scaled_dot_product_attention(q, q, q, dropout_p=0.5, generator=3)
    two = F.scaled_dot_product_attention(q, q, q, dropout_p=0.5, generator=3)
    np.testing.assert_array_equal(one.numpy(), two.numpy())
    assert one.dtype == np.float32


def test_errors():
    q = cr.ones(2, 4, 8)
    with pytest.raises(cr.errors.ShapeError, match=r"scaled_dot_product_attention: expected"):
        F.scaled_dot_product_attention(q, cr.ones(2, 5, 7), cr.ones(2, 5, 7))
    with pytest.raises(ValueError, match=r"attn_mask=None when is_causal=True"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=np.ones((4, 4), bool), is_causal=True)
    with pytest.raises(cr.errors.ShapeError, match=r"broadcasts to the scores' shape"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=np.ones((3, 4), bool))
    with pytest.raises(cr.errors.DTypeError, match=r"float mask of dtype float32"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=np.zeros((4, 4)))
    with pytest.raises(cr.errors.ShapeError, match=r"enable_gqa=True"):
        F.scaled_dot_product_attention(cr.ones(1, 3, 4, 8), q, q, enable_gqa=True)
