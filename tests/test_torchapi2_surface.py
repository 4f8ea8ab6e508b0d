"""torchapi2: torch-level in-place aliases, the complex API on real tensors, strided
allocation, histc, nonzero_static, apply_/map_, nn.Buffer and the new lazy layers, against torch."""

import warnings

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule import nn
from chainrule.tensor_api_extra import _TOP_LEVEL_METHODS

UNARY = (
    "abs_ acos_ arccos_ arcsin_ arctan_ asin_ atan_ atanh_ arctanh_ asinh_ arcsinh_ ceil_ cos_ "
    "cosh_ deg2rad_ erf_ erfc_ exp2_ exp_ expm1_ fix_ floor_ frac_ log10_ log1p_ log2_ log_ "
    "logit_ neg_ negative_ rad2deg_ reciprocal_ round_ rsqrt_ sin_ sinc_ sinh_ sqrt_ square_ "
    "tan_ trunc_ i0_ zero_ detach_ nan_to_num_"
).split()


@pytest.mark.parametrize("name", UNARY)
def test_top_level_in_place_forms_write_into_their_input(name):
    x = np.array([0.2, 0.45, 0.7], dtype=np.float32)
    ours, theirs = cr.tensor(x), torch.tensor(x)
    assert getattr(cr, name)(ours) is ours
    getattr(torch, name)(theirs)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=2e-6)


@pytest.mark.parametrize(
    "name, args",
    [("clamp_", (0.3, 0.5)), ("clamp_min_", (0.4,)), ("clamp_max_", (0.4,)), ("clip_", (0.3,)),
     ("fill_", (2.5,)), ("xlogy_", (2.0,)), ("ldexp_", (cr.tensor([1.0, 2.0, 3.0]),))],
)  # fmt: skip
def test_top_level_in_place_forms_with_arguments(name, args):
    x = np.array([0.2, 0.45, 0.7], dtype=np.float32)
    ours, theirs = cr.tensor(x), torch.tensor(x)
    getattr(cr, name)(ours, *args)
    torch_args = [torch.tensor(a.numpy()) if isinstance(a, cr.Tensor) else a for a in args]
    getattr(torch, name)(theirs, *torch_args)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=2e-6)


def test_every_top_level_alias_exists_in_torch_too():
    assert all(hasattr(torch, name) and hasattr(cr, name) for name in _TOP_LEVEL_METHODS)
    ours = cr.unflatten(cr.zeros(2, 6), 1, (2, 3))
    assert ours.shape == tuple(torch.unflatten(torch.zeros(2, 6), 1, (2, 3)).shape)
    index = (cr.tensor([0, 1]),)
    target = cr.zeros(3)
    assert cr.index_put_(target, index, cr.tensor([4.0, 5.0])) is target
    np.testing.assert_array_equal(target.numpy(), [4.0, 5.0, 0.0])


def test_complex_api_on_real_tensors_is_torchs(rng):
    x = rng.standard_normal((2, 3, 4)).astype(np.float32)
    ours, theirs = cr.tensor(x), torch.tensor(x)
    for name in ("conj", "resolve_conj", "resolve_neg", "conj_physical"):
        np.testing.assert_array_equal(
            getattr(cr, name)(ours).numpy(), getattr(torch, name)(theirs).numpy()
        )
        np.testing.assert_array_equal(getattr(ours, name)().numpy(), x)
    np.testing.assert_array_equal(ours.real.numpy(), theirs.real.numpy())
    np.testing.assert_array_equal(ours.mH.numpy(), theirs.mH.numpy())
    np.testing.assert_array_equal(ours.adjoint().numpy(), theirs.adjoint().numpy())
    np.testing.assert_array_equal(cr.adjoint(ours).numpy(), torch.adjoint(theirs).numpy())
    np.testing.assert_array_equal(ours[0].H.numpy(), theirs[0].H.numpy())
    assert ours.layout is cr.strided and repr(cr.strided) == "chainrule.strided"
    assert theirs.layout is torch.strided
    with pytest.raises(
        cr.ArgumentError, match="imag: expected a complex tensor, got dtype float32"
    ):
        _ = ours.imag
    with pytest.raises(RuntimeError, match="imag is not implemented"):
        _ = theirs.imag
    with pytest.raises(cr.ShapeError, match="Tensor.H: expected a 0-D or 2-D tensor, got 3-D"):
        _ = ours.H
    with pytest.raises(RuntimeError):
        _ = theirs.H


def test_a_gradient_flows_through_mh_and_conj(rng):
    x = rng.standard_normal((3, 2))
    ours, theirs = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (cr.conj(ours).mH * cr.tensor(np.arange(6.0).reshape(2, 3))).sum().backward()
    (torch.conj(theirs).mH * torch.arange(6.0, dtype=torch.float64).reshape(2, 3)).sum().backward()
    np.testing.assert_array_equal(ours.grad.numpy(), theirs.grad.numpy())


def test_empty_strided_and_new_empty_strided_read_back_their_strides():
    for size, stride in (((2, 3), (1, 2)), ((2, 3), (3, 1)), ((4,), (2,)), ((2, 0), (1, 1))):
        ours, theirs = cr.empty_strided(size, stride), torch.empty_strided(size, stride)
        assert ours.shape == tuple(theirs.shape) and ours.stride() == theirs.stride()
        assert ours.dtype == cr.float32
    made = cr.ones(2, dtype=cr.float64).new_empty_strided((2, 2), (1, 2))
    assert made.dtype == cr.float64 and made.stride() == (1, 2)
    with pytest.raises(cr.ArgumentError, match="empty_strided: expected as many strides"):
        cr.empty_strided((2, 3), (1,))


def test_frombuffer_shares_memory_and_warns_on_read_only_buffers():
    buffer = bytearray(np.arange(4, dtype=np.float32).tobytes())
    ours = cr.frombuffer(buffer, dtype=cr.float32, count=2, offset=4)
    theirs = torch.frombuffer(bytearray(buffer), dtype=torch.float32, count=2, offset=4)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    ours.add_(10)
    assert np.frombuffer(buffer, dtype=np.float32)[1] == 11.0
    with pytest.warns(UserWarning, match="not writable"):
        cr.frombuffer(b"\x01\x02", dtype=cr.uint8)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "bins, low, high", [(100, 0, 0), (7, -1.0, 1.5), (3, 0.25, 0.25), (10, -3, 3)]
)
def test_histc_matches_torch(bins, low, high, dtype, rng):
    x = rng.standard_normal(500).astype(dtype)
    ours, theirs = (
        cr.histc(cr.tensor(x), bins, low, high),
        torch.histc(torch.tensor(x), bins, low, high),
    )
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert ours.dtype == theirs.numpy().dtype
    np.testing.assert_array_equal(
        cr.tensor(x).histc(bins=4).numpy(), torch.tensor(x).histc(bins=4).numpy()
    )
    with pytest.raises(cr.DTypeError, match="histc: expected a floating tensor"):
        cr.histc(cr.tensor([1, 2]))
    with pytest.raises(cr.ArgumentError, match="histc: expected max >= min"):
        cr.histc(cr.tensor(x), 4, 1.0, 0.0)


@pytest.mark.parametrize("size", [0, 2, 3, 6])
def test_nonzero_static_cuts_or_pads(size):
    x = np.array([[0, 1, 0], [2, 0, 3]])
    ours = cr.nonzero_static(cr.tensor(x), size=size, fill_value=-7)
    theirs = torch.nonzero_static(torch.tensor(x), size=size, fill_value=-7)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    assert ours.dtype == cr.int64
    assert cr.tensor(x).nonzero_static(size=1).shape == (1, 2)


def test_apply_and_map_run_python_callables_in_place():
    ours, theirs = cr.tensor([[1.0, 2.0], [3.0, 4.0]]), torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    for t, other in ((ours, cr.tensor([10.0, 20.0])), (theirs, torch.tensor([10.0, 20.0]))):
        assert t.apply_(lambda v: v * v + 1) is t
        t.map_(other, lambda a, b: a - b)
        t.map2_(other, other, lambda a, b, c: a + b * c)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    with pytest.raises(
        cr.GraphError, match="Tensor.apply_: expected a tensor that does not require grad"
    ):
        cr.ones(2, requires_grad=True).apply_(abs)
    with pytest.raises(RuntimeError, match="requires grad"):
        torch.ones(2, requires_grad=True).apply_(abs)


def test_special_methods_match_torch(rng):
    x = rng.random(6) * 3 + 1.5
    ours, theirs = cr.tensor(x), torch.tensor(x)
    np.testing.assert_allclose(ours.i0().numpy(), theirs.i0().numpy(), rtol=1e-12)
    # n = 2, not 1: torch's trigamma is the less accurate one, by 5e-10 (README)
    np.testing.assert_allclose(ours.polygamma(2).numpy(), theirs.polygamma(2).numpy(), rtol=1e-10)
    np.testing.assert_allclose(ours.mvlgamma(2).numpy(), theirs.mvlgamma(2).numpy(), rtol=1e-12)
    for a, b in zip(ours.frexp(), theirs.frexp()):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    ours.polygamma_(3)
    theirs.polygamma_(3)
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-10)


def test_switches_fill_rsub_and_get_device():
    assert cr.is_anomaly_enabled() is torch.is_anomaly_enabled() is False
    with cr.autograd.detect_anomaly(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert cr.is_anomaly_enabled() and cr.is_anomaly_check_nan_enabled()
    cr.set_anomaly_enabled(True)
    assert cr.is_anomaly_enabled()
    cr.set_anomaly_enabled(False)
    assert not cr.is_anomaly_enabled()
    x = cr.tensor([1.0, 2.0], requires_grad=True)
    filled = cr.fill(x, 3.0)
    np.testing.assert_array_equal(filled.numpy(), torch.fill(torch.tensor([1.0, 2.0]), 3.0).numpy())
    assert x.detach().numpy().tolist() == [1.0, 2.0]
    ref = torch.rsub(torch.tensor([1.0, 2.0]), torch.tensor([5.0, 5.0]), alpha=2)
    np.testing.assert_array_equal(
        cr.rsub(cr.tensor([1.0, 2.0]), cr.tensor([5.0, 5.0]), alpha=2).numpy(), ref.numpy()
    )
    assert cr.get_device(cr.zeros(1)) == torch.get_device(torch.zeros(1)) == -1


# --- nn ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("lib", [cr, torch])
def test_nn_buffer_registers_on_assignment(lib):
    module = lib.nn.Module()
    source = lib.zeros(2)
    module.count = lib.nn.Buffer(source)
    module.scratch = lib.nn.Buffer(lib.ones(1), persistent=False)
    source.add_(1)  # the buffer shares its memory, as torch's detach()
    assert list(module.state_dict()) == ["count"]
    assert [name for name, _ in module.named_buffers()] == ["count", "scratch"]
    assert module.count.numpy().tolist() == [1.0, 1.0]
    module.scratch = lib.nn.Buffer(lib.ones(1))  # persistent again
    assert list(module.state_dict()) == ["count", "scratch"]
    module.plain = 3
    with pytest.raises(KeyError, match="attribute 'plain' already exists"):
        module.plain = lib.nn.Buffer(lib.ones(1))


def test_nn_buffer_defaults_and_a_model_that_declares_one():
    assert nn.Buffer().shape == (0,) and nn.Buffer().dtype == cr.float32

    class Scaler(nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = nn.Buffer(cr.tensor([2.0]))

        def forward(self, x):
            return x * self.scale

    model = Scaler()
    assert type(model.scale) is cr.Tensor and not model.scale.requires_grad
    assert model(cr.ones(2)).numpy().tolist() == [2.0, 2.0]
    model.to(cr.float64)
    assert model.scale.dtype == cr.float64


LAZY = [
    ("LazyConv3d", (2, 3, 4, 4, 4), (5, 2)),
    ("LazyConvTranspose1d", (2, 3, 6), (4, 3)),
    ("LazyConvTranspose2d", (2, 4, 5, 5), (4, 2, 2, 1, 1, 2)),
    ("LazyConvTranspose3d", (2, 3, 4, 4, 4), (2, 2)),
    ("LazyBatchNorm3d", (2, 3, 2, 2, 2), ()),
]


@pytest.mark.parametrize("name, shape, args", LAZY)
def test_lazy_layers_take_their_sizes_at_the_first_forward(name, shape, args, rng):
    ours, theirs = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    x = rng.standard_normal(shape).astype(np.float32)
    optimizer = cr.optim.SGD(ours.parameters(), lr=0.1)  # built before the sizes are known
    ours(cr.tensor(x))
    theirs(torch.tensor(x))
    assert type(ours).__name__ == type(theirs).__name__ == name[4:]
    ours.load_state_dict({k: cr.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    out, ref = ours(cr.tensor(x)), theirs(torch.tensor(x))
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-5, atol=1e-5)
    out.sum().backward()
    optimizer.step()
    assert all(p.grad is not None for p in optimizer.param_groups[0]["params"])
