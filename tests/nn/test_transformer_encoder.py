"""nn.TransformerEncoderLayer / TransformerEncoder against torch: names, values, gradients."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")
TOL = {"float32": 1e-4, "float64": 1e-10}
D, HEADS, FF, S, N = 8, 2, 16, 5, 3


def _load(ours, theirs):
    ours.load_state_dict({k: cr.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    ours.eval()
    theirs.eval()  # dropout off in both; gradients keep torch off its fused fast path


def _check(ours, theirs, x, dtype, **kwargs):
    mine = cr.tensor(x, requires_grad=True)
    yours = torch.tensor(x, requires_grad=True)
    theirs_kwargs = {
        k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()
    }
    out, ref = ours(mine, **kwargs), theirs(yours, **theirs_kwargs)
    upstream = np.random.default_rng(3).standard_normal(tuple(ref.shape)).astype(dtype)
    out.backward(cr.tensor(upstream))
    ref.backward(torch.tensor(upstream))
    tol = TOL[dtype]
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), atol=tol, rtol=tol)
    np.testing.assert_allclose(mine.grad.numpy(), yours.grad.numpy(), atol=tol, rtol=tol)
    theirs_params = dict(theirs.named_parameters())
    for name, param in ours.named_parameters():
        np.testing.assert_allclose(
            param.grad.numpy(), theirs_params[name].grad.numpy(), atol=tol, rtol=tol
        )


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "config",
    [{}, {"norm_first": True, "activation": "gelu"}, {"batch_first": True, "bias": False}],
)
def test_layer_matches_torch(config, dtype, rng):
    kwargs = dict(dim_feedforward=FF, **config)
    theirs = torch.nn.TransformerEncoderLayer(D, HEADS, **kwargs).to(getattr(torch, dtype))
    ours = cr.nn.TransformerEncoderLayer(D, HEADS, dtype=dtype, generator=0, **kwargs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _load(ours, theirs)
    shape = (N, S, D) if config.get("batch_first") else (S, N, D)
    padding = rng.random((N, S)) < 0.3
    padding[:, 0] = False
    x = rng.standard_normal(shape).astype(dtype)
    _check(ours, theirs, x, dtype, src_key_padding_mask=padding)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_encoder_with_norm_and_causal_mask(dtype, rng):
    layer = torch.nn.TransformerEncoderLayer(D, HEADS, dim_feedforward=FF)
    theirs = torch.nn.TransformerEncoder(
        layer, 2, norm=torch.nn.LayerNorm(D), enable_nested_tensor=False
    ).to(getattr(torch, dtype))
    ours = cr.nn.TransformerEncoder(
        cr.nn.TransformerEncoderLayer(D, HEADS, dim_feedforward=FF, dtype=dtype, generator=0),
        2,
        norm=cr.nn.LayerNorm(D, dtype=dtype),
    )
    assert list(ours.state_dict()) == list(theirs.state_dict())
    _load(ours, theirs)
    causal = np.triu(np.ones((S, S), dtype=bool), 1)
    x = rng.standard_normal((S, N, D)).astype(dtype)
    _check(ours, theirs, x, dtype, mask=causal, is_causal=True)


def test_unbatched_and_training_dropout_seeded():
    layer = cr.nn.TransformerEncoderLayer(D, HEADS, dim_feedforward=FF, generator=0)
    twin = cr.nn.TransformerEncoderLayer(D, HEADS, dim_feedforward=FF, generator=0)
    x = cr.randn(S, N, D)
    np.testing.assert_array_equal(layer(x).detach().numpy(), twin(x).detach().numpy())
    assert layer(cr.ones(S, D)).shape == (S, D)
    # one generator feeds every part, so no two parts repeat the same draws
    assert layer.dropout1.generator is layer.dropout2.generator is layer.self_attn.generator


def test_copies_are_independent():
    encoder = cr.nn.TransformerEncoder(cr.nn.TransformerEncoderLayer(D, HEADS, FF), 2)
    first, second = encoder.layers[0].linear1.weight, encoder.layers[1].linear1.weight
    np.testing.assert_array_equal(first.detach().numpy(), second.detach().numpy())
    assert first is not second


def test_unknown_activation_is_refused():
    with pytest.raises(ValueError, match=r"TransformerEncoderLayer\(8, 2\): expected activation"):
        cr.nn.TransformerEncoderLayer(D, HEADS, activation="tanh")
