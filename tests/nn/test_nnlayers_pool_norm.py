"""AdaptiveMaxPool1d/2d, MaxUnpool1d/2d, LPPool1d/2d, RMSNorm, LocalResponseNorm and
EmbeddingBag against torch."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from chainrule.gradcheck import gradcheck  # noqa: E402
from tests.torch_oracle import TOLERANCE, compare  # noqa: E402

pytestmark = pytest.mark.oracle

DTYPES = [np.float32, np.float64]


def _tdtype(dtype):
    return getattr(torch, np.dtype(dtype).name)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda nn: nn.AdaptiveMaxPool2d(3), (2, 3, 7, 8)),
        (lambda nn: nn.AdaptiveMaxPool2d((2, None)), (3, 5, 4)),
        (lambda nn: nn.AdaptiveMaxPool2d((4, 5)), (1, 2, 4, 3)),  # windows overlap
        (lambda nn: nn.AdaptiveMaxPool1d(4), (2, 3, 10)),
        (lambda nn: nn.AdaptiveMaxPool1d(3), (3, 7)),
        (lambda nn: nn.LPPool2d(2, 3), (2, 3, 7, 8)),
        (lambda nn: nn.LPPool2d(1.5, (2, 3), stride=(1, 2), ceil_mode=True), (1, 2, 5, 7)),
        (lambda nn: nn.LPPool1d(3, 2), (2, 3, 9)),
        (lambda nn: nn.LPPool1d(2, 3, stride=2, ceil_mode=True), (2, 8)),
        (lambda nn: nn.LocalResponseNorm(3), (2, 6, 4, 4)),
        (lambda nn: nn.LocalResponseNorm(4, alpha=0.1, beta=0.5, k=2.0), (2, 5, 7)),
        (lambda nn: nn.LocalResponseNorm(2, alpha=0.2), (1, 4, 2, 3, 2)),
    ],
)
def test_pool_and_norm_layers_match_torch(make, shape, dtype, rng):
    x = rng.standard_normal(shape).astype(dtype)
    if "LPPool" in repr(make(cr.nn)):
        x = np.abs(x) + 0.1  # x^p of a negative x is NaN for fractional p, in both
    compare(make(cr.nn), make(torch.nn), [x], rng)


@pytest.mark.parametrize("output_size", [3, (2, 5)])
def test_adaptive_max_pool_indices_match_torch_and_unpool_inverts_them(output_size, rng):
    x = rng.standard_normal((2, 3, 6, 7))
    ours, ours_idx = cr.nn.AdaptiveMaxPool2d(output_size, True)(cr.tensor(x))
    ref, ref_idx = torch.nn.AdaptiveMaxPool2d(output_size, True)(torch.tensor(x))
    np.testing.assert_array_equal(ours.numpy(), ref.numpy())
    np.testing.assert_array_equal(ours_idx.numpy(), ref_idx.numpy())
    assert ours_idx.dtype == np.int64
    ours1, idx1 = cr.nn.functional.adaptive_max_pool1d(cr.tensor(x[0]), 3, return_indices=True)
    ref1, tidx1 = torch.nn.functional.adaptive_max_pool1d(torch.tensor(x[0]), 3, True)
    np.testing.assert_array_equal(idx1.numpy(), tidx1.numpy())
    np.testing.assert_array_equal(ours1.numpy(), ref1.numpy())


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "kernel, stride, padding, shape, output_size",
    [(2, None, 0, (2, 3, 8, 6), None), (3, 2, 1, (1, 2, 7, 9), None), (2, 2, 0, (2, 5, 7), (5, 7))],
)
def test_max_unpool2d_matches_torch(kernel, stride, padding, shape, output_size, dtype, rng):
    x = torch.tensor(rng.standard_normal(shape).astype(dtype))
    pooled, idx = torch.nn.functional.max_pool2d(x, kernel, stride, padding, return_indices=True)
    compare(
        lambda t: cr.nn.MaxUnpool2d(kernel, stride, padding)(
            t, cr.tensor(idx.numpy()), output_size
        ),
        lambda t: torch.nn.MaxUnpool2d(kernel, stride, padding)(t, idx, output_size),
        [pooled.numpy()],
        rng,
    )


@pytest.mark.parametrize("dtype", DTYPES)
def test_max_unpool1d_matches_torch(dtype, rng):
    x = torch.tensor(rng.standard_normal((2, 3, 9)).astype(dtype))
    pooled, idx = torch.nn.functional.max_pool1d(x, 3, 2, return_indices=True)
    compare(
        lambda t: cr.nn.MaxUnpool1d(3, 2)(t, cr.tensor(idx.numpy())),
        lambda t: torch.nn.MaxUnpool1d(3, 2)(t, idx),
        [pooled.numpy()],
        rng,
    )


def test_gather_and_scatter_gradcheck(rng):
    x = cr.tensor(rng.standard_normal((2, 2, 5, 4)), requires_grad=True)
    gradcheck(lambda t: cr.nn.functional.adaptive_max_pool2d(t, (3, 3)), x)
    values = cr.tensor(rng.standard_normal((2, 3, 2)), requires_grad=True)
    index = cr.tensor(np.array([[[0, 3], [1, 2], [2, 3]]] * 2))
    gradcheck(lambda t: cr.nn.functional.max_unpool1d(t, index, 2), values)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "shape, normalized, eps, affine",
    [((4, 6), 6, None, True), ((2, 3, 4, 5), (4, 5), 1e-5, True), ((3, 5), [5], 0.1, False)],
)
def test_rmsnorm_matches_torch_with_weight_gradient(shape, normalized, eps, affine, dtype, rng):
    ours = cr.nn.RMSNorm(normalized, eps, affine, dtype=dtype)
    theirs = torch.nn.RMSNorm(normalized, eps, affine, dtype=_tdtype(dtype))
    assert list(ours.state_dict()) == list(theirs.state_dict()) and repr(ours) == repr(theirs)
    if affine:
        w = rng.standard_normal(ours.weight.shape).astype(dtype)
        ours.weight.data[...] = w
        with torch.no_grad():
            theirs.weight.copy_(torch.tensor(w))
    x = rng.standard_normal(shape).astype(dtype) * 0.01
    compare(ours, theirs, [x], rng)
    if affine:
        np.testing.assert_allclose(ours.weight.grad, theirs.weight.grad.numpy(), **TOLERANCE[dtype])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("padding_idx", [None, 2])
def test_embedding_bag_with_offsets_matches_torch(mode, padding_idx, dtype, rng):
    weight = rng.standard_normal((6, 3)).astype(dtype)
    idx = np.array([1, 2, 4, 5, 4, 3, 2, 2, 0], dtype=np.int64)
    for offsets, last in (([0, 2, 2, 5], False), ([0, 4, 9], True), ([0, 3, 3, 9], True)):

        def run(m, w, offsets=offsets, last=last):
            bag = m.nn.EmbeddingBag(6, 3, mode=mode, padding_idx=padding_idx,
                                    include_last_offset=last, dtype=w.dtype)  # fmt: skip
            with torch.no_grad() if m is torch else cr.no_grad():
                bag.weight.copy_(w) if m is torch else bag.weight.data.__setitem__(..., w.data)
            return bag(m.tensor(idx), m.tensor(offsets)) + 0 * w.sum()

        ours_w, ref_w = cr.tensor(weight), torch.tensor(weight)
        out = run(cr, ours_w)
        ref = run(torch, ref_w)
        np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), **TOLERANCE[dtype])


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
def test_embedding_bag_gradients_match_torch(mode, rng):
    weight = rng.standard_normal((6, 3))
    idx = np.array([[1, 2, 4], [5, 4, 4], [0, 2, 3]])

    def fn(m):
        return lambda w: m.nn.functional.embedding_bag(m.tensor(idx), w, mode=mode)

    compare(fn(cr), fn(torch), [weight], rng)


def test_embedding_bag_per_sample_weights_gradient_matches_torch(rng):
    weight, psw = rng.standard_normal((6, 3)), rng.standard_normal(7)
    idx, offsets = np.array([1, 2, 4, 5, 4, 3, 0]), np.array([0, 3, 3])

    def fn(m):
        return lambda w, p: m.nn.functional.embedding_bag(
            m.tensor(idx), w, m.tensor(offsets), mode="sum", per_sample_weights=p
        )

    compare(fn(cr), fn(torch), [weight, psw], rng)


def test_embedding_bag_init_state_dict_and_repr():
    ours = cr.nn.EmbeddingBag(5, 4, mode="max", padding_idx=1, generator=0)
    theirs = torch.nn.EmbeddingBag(5, 4, mode="max", padding_idx=1)
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
    assert repr(ours) == repr(theirs)
    np.testing.assert_array_equal(ours.weight.detach().numpy()[1], 0)


@pytest.mark.parametrize(
    "make",
    [
        lambda nn: nn.AdaptiveMaxPool2d((2, 3), True),
        lambda nn: nn.AdaptiveMaxPool1d(3),
        lambda nn: nn.MaxUnpool2d(2),
        lambda nn: nn.MaxUnpool2d((2, 3), 1, (0, 1)),
        lambda nn: nn.MaxUnpool1d(3, 2),
        lambda nn: nn.LPPool2d(2, 3),
        lambda nn: nn.LPPool1d(1.5, 2, 1, True),
        lambda nn: nn.RMSNorm([3, 4], eps=1e-6),
        lambda nn: nn.LocalResponseNorm(5, k=2.0),
        lambda nn: nn.EmbeddingBag(10, 3, mode="sum", max_norm=1.0),
    ],
)
def test_reprs_match_torch(make):
    assert repr(make(cr.nn)) == repr(make(torch.nn))


@pytest.mark.parametrize(
    "call, family",
    [
        (lambda m: m.nn.functional.adaptive_max_pool2d(m.zeros(2, 3), 2), RuntimeError),
        (lambda m: m.nn.functional.rms_norm(m.zeros(2, 3), (4,)), RuntimeError),
        (lambda m: m.nn.functional.embedding_bag(m.tensor([1, 2]), m.zeros(3, 2)), ValueError),
        (lambda m: m.nn.functional.embedding_bag(m.tensor([[1, 2]]), m.zeros(3, 2), mode="mean",
                                                 per_sample_weights=m.ones(1, 2)), NotImplementedError),
        (lambda m: m.nn.functional.local_response_norm(m.zeros(2, 3), 2), ValueError),
        (lambda m: m.nn.functional.max_unpool2d(m.zeros(1, 1, 2, 2), m.zeros(1, 1, 2, 2).long(), 2,
                                                output_size=(9, 9)), ValueError),
    ],
)  # fmt: skip
def test_errors_are_torchs_family(call, family):
    with pytest.raises(family):
        call(torch)
    with pytest.raises(family if family is not NotImplementedError else ValueError):
        call(cr)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "kwargs",
    [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1),
     dict(kernel_size=(2, 3), stride=1, dilation=(2, 1)), dict(kernel_size=3, stride=2, ceil_mode=True)],
)  # fmt: skip
def test_max_pool_with_indices_matches_torch_and_feeds_unpool(kwargs, dtype, rng):
    x = rng.standard_normal((2, 3, 7, 8)).astype(dtype)
    x[0, 0, :2, :2] = 1.0  # a tie: the first maximum wins in both
    values, index = cr.nn.functional.max_pool2d_with_indices(cr.tensor(x), **kwargs)
    ref, ref_index = torch.nn.functional.max_pool2d(torch.tensor(x), return_indices=True, **kwargs)
    np.testing.assert_array_equal(index.numpy(), ref_index.numpy())
    np.testing.assert_array_equal(values.numpy(), ref.numpy())
    compare(
        lambda t: cr.nn.functional.max_pool2d_with_indices(t, **kwargs)[0],
        lambda t: torch.nn.functional.max_pool2d(t, **kwargs),
        [x],
        rng,
    )
    if "dilation" not in kwargs:
        args = (kwargs["kernel_size"], kwargs.get("stride"), kwargs.get("padding", 0))
        size = x.shape[-2:]
        back = cr.nn.functional.max_unpool2d(values, index, *args, output_size=size)
        theirs = torch.nn.functional.max_unpool2d(ref, ref_index, *args, output_size=size)
        np.testing.assert_array_equal(back.numpy(), theirs.numpy())


def test_max_pool1d_with_indices_matches_torch(rng):
    x = rng.standard_normal((2, 3, 9))
    values, index = cr.nn.functional.max_pool1d_with_indices(cr.tensor(x), 3, 2, 1)
    ref, ref_index = torch.nn.functional.max_pool1d(torch.tensor(x), 3, 2, 1, return_indices=True)
    np.testing.assert_array_equal(index.numpy(), ref_index.numpy())
    np.testing.assert_array_equal(values.numpy(), ref.numpy())
