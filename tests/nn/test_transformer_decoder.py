"""nn.TransformerDecoderLayer / TransformerDecoder / Transformer against torch."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")
TOL = {"float32": 1e-4, "float64": 1e-10}
D, HEADS, FF, T, S, N = 8, 2, 16, 4, 6, 3


def _load(ours, theirs):
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours.load_state_dict({k: cr.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    ours.eval()
    theirs.eval()  # dropout off in both; gradients keep torch off its fused fast path


def _check(ours, theirs, inputs, dtype, **kwargs):
    mine = [cr.tensor(x, requires_grad=True) for x in inputs]
    yours = [torch.tensor(x, requires_grad=True) for x in inputs]
    theirs_kwargs = {
        k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()
    }
    out, ref = ours(*mine, **kwargs), theirs(*yours, **theirs_kwargs)
    upstream = np.random.default_rng(3).standard_normal(tuple(ref.shape)).astype(dtype)
    out.backward(cr.tensor(upstream))
    ref.backward(torch.tensor(upstream))
    tol = TOL[dtype]
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), atol=tol, rtol=tol)
    for a, b in zip(mine, yours):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), atol=tol, rtol=tol)
    theirs_params = dict(theirs.named_parameters())
    for name, param in ours.named_parameters():
        np.testing.assert_allclose(
            param.grad.numpy(), theirs_params[name].grad.numpy(), atol=tol, rtol=tol
        )


def _padding(rng, length):
    padding = rng.random((N, length)) < 0.3
    padding[:, 0] = False  # a fully masked row is NaN in torch's unfused path
    return padding


def _seqs(rng, dtype, batch_first):
    def shape(length):
        return (N, length, D) if batch_first else (length, N, D)

    return [rng.standard_normal(shape(n)).astype(dtype) for n in (T, S)]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "config",
    [
        {},
        {"norm_first": True, "activation": "gelu"},
        {"batch_first": True, "bias": False},
        {"batch_first": True, "norm_first": True},
    ],
)
def test_layer_matches_torch(config, dtype, rng):
    kwargs = dict(dim_feedforward=FF, **config)
    theirs = torch.nn.TransformerDecoderLayer(D, HEADS, **kwargs).to(getattr(torch, dtype))
    ours = cr.nn.TransformerDecoderLayer(D, HEADS, dtype=dtype, generator=0, **kwargs)
    _load(ours, theirs)
    causal = np.triu(np.ones((T, T), dtype=bool), 1)
    _check(
        ours,
        theirs,
        _seqs(rng, dtype, config.get("batch_first", False)),
        dtype,
        tgt_mask=causal,
        tgt_key_padding_mask=_padding(rng, T),
        memory_key_padding_mask=_padding(rng, S),
        tgt_is_causal=True,
    )


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_decoder_with_norm_and_float_causal_mask(dtype, rng):
    layer = torch.nn.TransformerDecoderLayer(D, HEADS, dim_feedforward=FF)
    theirs = torch.nn.TransformerDecoder(layer, 2, norm=torch.nn.LayerNorm(D))
    theirs = theirs.to(getattr(torch, dtype))
    ours = cr.nn.TransformerDecoder(
        cr.nn.TransformerDecoderLayer(D, HEADS, dim_feedforward=FF, dtype=dtype, generator=0),
        2,
        norm=cr.nn.LayerNorm(D, dtype=dtype),
    )
    _load(ours, theirs)
    mask = cr.nn.Transformer.generate_square_subsequent_mask(T, dtype=dtype).numpy()
    memory_mask = np.where(rng.random((T, S)) < 0.3, -1.5, 0.0).astype(dtype)
    _check(ours, theirs, _seqs(rng, dtype, False), dtype, tgt_mask=mask, memory_mask=memory_mask)


# torch's Transformer warns that its encoder's nested-tensor fast path is off: it is not ours
@pytest.mark.filterwarnings("ignore:enable_nested_tensor is True")
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("config", [{}, {"batch_first": True, "norm_first": True}])
def test_transformer_matches_torch(config, dtype, rng):
    kwargs = dict(num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=FF, **config)
    theirs = torch.nn.Transformer(D, HEADS, **kwargs).to(getattr(torch, dtype))
    ours = cr.nn.Transformer(D, HEADS, dtype=dtype, generator=0, **kwargs)
    _load(ours, theirs)
    tgt, src = _seqs(rng, dtype, config.get("batch_first", False))
    causal = np.triu(np.ones((T, T), dtype=bool), 1)
    _check(
        ours,
        theirs,
        [src, tgt],
        dtype,
        tgt_mask=causal,
        src_key_padding_mask=_padding(rng, S),
        tgt_key_padding_mask=_padding(rng, T),
        memory_key_padding_mask=_padding(rng, S),
    )


def test_square_subsequent_mask_is_torchs():
    mask = cr.nn.Transformer.generate_square_subsequent_mask(5)
    ref = torch.nn.Transformer.generate_square_subsequent_mask(5)
    assert mask.dtype == cr.float32
    np.testing.assert_array_equal(mask.numpy(), ref.numpy())


def test_transformer_init_is_xavier_and_seeded():
    model = cr.nn.Transformer(D, HEADS, 1, 1, dim_feedforward=FF, generator=0)
    twin = cr.nn.Transformer(D, HEADS, 1, 1, dim_feedforward=FF, generator=0)
    for (name, a), b in zip(model.named_parameters(), twin.parameters()):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy(), err_msg=name)
    # xavier_uniform_ over (FF, D): every entry within sqrt(6 / (FF + D))
    weight = model.decoder.layers[0].linear1.weight.detach().numpy()
    assert np.abs(weight).max() <= np.sqrt(6.0 / (FF + D))
    assert model.decoder.layers[0].norm3.weight.shape == (D,)


def test_unbatched_and_custom_parts():
    layer = cr.nn.TransformerDecoderLayer(D, HEADS, dim_feedforward=FF, generator=0)
    assert layer(cr.ones(T, D), cr.ones(S, D)).shape == (T, D)
    decoder = cr.nn.TransformerDecoder(layer, 1)
    model = cr.nn.Transformer(D, HEADS, 1, dim_feedforward=FF, custom_decoder=decoder)
    assert model.decoder is decoder
    assert model(cr.ones(S, N, D), cr.ones(T, N, D)).shape == (T, N, D)


def test_mismatched_inputs_are_refused():
    model = cr.nn.Transformer(D, HEADS, 1, 1, dim_feedforward=FF, generator=0)
    with pytest.raises(
        ValueError, match=r"Transformer\(8, 2\): expected src and tgt with the same"
    ):
        model(cr.ones(S, N, D), cr.ones(T, N + 1, D))
    with pytest.raises(ValueError, match=r"expected src and tgt with 8 features"):
        model(cr.ones(S, N, D), cr.ones(T, N, D + 1))
    with pytest.raises(ValueError, match=r"TransformerDecoderLayer\(8, 2\): expected activation"):
        cr.nn.TransformerDecoderLayer(D, HEADS, activation="tanh")
