"""One focused test per bug the hostile10 fuzzer found and src/ now fixes, each against torch."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")


def _same(ours, theirs):
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    assert tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(
        ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6, equal_nan=True
    )


@pytest.mark.parametrize("name", ["sum", "mean", "amax", "amin", "var", "std", "norm", "nansum"])
@pytest.mark.parametrize("dim", [(), []])
def test_dim_empty_tuple_reduces_every_dim(name, dim):
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    for keepdim in (False, True):
        ours = getattr(cr.tensor(x), name)(dim=dim, keepdim=keepdim)
        _same(ours, getattr(torch.tensor(x), name)(dim=dim, keepdim=keepdim))


def test_logsumexp_dim_empty_tuple_keepdim():
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    _same(
        cr.tensor(x).logsumexp(dim=(), keepdim=True),
        torch.tensor(x).logsumexp(dim=(), keepdim=True),
    )
    assert cr.tensor(x).logsumexp(dim=()).shape == ()


@pytest.mark.parametrize(
    "op",
    [
        lambda lib, a, s: a + s,
        lambda lib, a, s: a * s,
        lambda lib, a, s: a - s,
        lambda lib, a, s: lib.maximum(a, s),
        lambda lib, a, s: lib.minimum(a, s),
        lambda lib, a, s: lib.where(a > 1, a, s),
        lambda lib, a, s: a // s,
        lambda lib, a, s: a % s,
        lambda lib, a, s: lib.fmod(a, s),
        lambda lib, a, s: lib.bitwise_or(a, s),
        lambda lib, a, s: lib.bitwise_xor(a, s),
    ],
)
def test_zero_d_int_tensor_does_not_widen_uint8_tensor(op):
    a, s = np.array([1, 2, 200], np.uint8), np.array(-3, np.int16)
    _same(op(cr, cr.tensor(a), cr.tensor(s)), op(torch, torch.tensor(a), torch.tensor(s)))


def test_int8_tensor_plus_zero_d_int64_tensor_stays_int8():
    _same(
        cr.tensor([1, 2], dtype=cr.int8) + cr.tensor(5),
        torch.tensor([1, 2], dtype=torch.int8) + torch.tensor(5),
    )


def test_bitwise_or_numpy_int8_scalar_reads_as_python_int():
    _same(
        cr.bitwise_or(cr.tensor([1, 2], dtype=cr.uint8), np.int8(-1)),
        torch.bitwise_or(torch.tensor([1, 2], dtype=torch.uint8), np.int8(-1)),
    )


def test_rfloordiv_numpy_uint8_scalar_reads_as_python_int():
    ours = cr.tensor(True).__rfloordiv__(np.uint8(7))
    _same(ours, torch.tensor(True).__rfloordiv__(np.uint8(7)))


@pytest.mark.parametrize("name", ["cumsum", "cumprod"])
@pytest.mark.parametrize("dtype", ["int16", "uint8", "bool", "int64", "float64"])
def test_cumsum_cumprod_of_zero_d_integer_is_int64(name, dtype):
    x = np.array(3, dtype=dtype)
    _same(getattr(cr.tensor(x), name)(0), getattr(torch.tensor(x), name)(0))
    with pytest.raises(IndexError, match=f"{name}: expected dim"):
        getattr(cr.tensor(x), name)(1)


def test_flip_of_zero_d_tensor():
    _same(cr.tensor(3.0).flip(0), torch.tensor(3.0).flip(0))
    _same(cr.tensor(3.0).flip(-1), torch.tensor(3.0).flip(-1))


@pytest.mark.parametrize("name,shape", [("flipud", ()), ("fliplr", ()), ("fliplr", (2,))])
def test_flipud_fliplr_refuse_too_few_dims(name, shape):
    with pytest.raises(RuntimeError):
        getattr(torch.ones(shape), name)()
    with pytest.raises(
        RuntimeError, match=rf"^{name}: expected at least \d-d input, got a \d-d tensor\."
    ):
        getattr(cr.ones(shape), name)()


def test_nanmean_of_integers_is_refused():
    with pytest.raises(RuntimeError):
        torch.tensor([1, 2]).nanmean()
    with pytest.raises(
        TypeError, match=r"^nanmean: expected a floating-point input, got dtype int64\."
    ):
        cr.tensor([1, 2]).nanmean()


def test_relu_of_bools_is_refused():
    with pytest.raises(RuntimeError):
        torch.tensor([True]).relu()
    with pytest.raises(RuntimeError, match="^relu: expected numbers"):
        cr.tensor([True]).relu()


@pytest.mark.parametrize("name", ["relu6", "hardtanh"])
def test_relu6_hardtanh_keep_integer_dtype(name):
    x = np.array([-3, 0, 2, 9])
    _same(
        getattr(cr.nn.functional, name)(cr.tensor(x)),
        getattr(torch.nn.functional, name)(torch.tensor(x)),
    )
    with pytest.raises(RuntimeError, match="^hardtanh: expected numbers"):
        getattr(cr.nn.functional, name)(cr.tensor([True]))


def test_unbind_of_zero_d_tensor_names_the_op():
    with pytest.raises(IndexError, match="^unbind: expected a tensor with at least 1 dim"):
        cr.tensor(1.0).unbind(0)


def test_index_select_of_zero_d_tensor():
    _same(
        cr.tensor(3.0).index_select(0, cr.tensor([0])),
        torch.tensor(3.0).index_select(0, torch.tensor([0])),
    )


@pytest.mark.parametrize("shape,pad", [((2, 3, 0), (1, 0)), ((2, 0, 2), (1, 0, 2, 1))])
def test_pad_of_an_empty_dim(shape, pad):
    _same(
        cr.nn.functional.pad(cr.ones(*shape), pad, value=3.0),
        torch.nn.functional.pad(torch.ones(*shape), pad, value=3.0),
    )


@pytest.mark.parametrize("layer", [("GroupNorm", (1, 2)), ("InstanceNorm1d", (2,))])
def test_group_and_instance_norm_of_an_empty_batch(layer):
    name, config = layer
    ours = getattr(cr.nn, name)(*config)(cr.ones(0, 2, 3))
    _same(ours, getattr(torch.nn, name)(*config)(torch.ones(0, 2, 3)))


def test_kl_div_of_negative_or_nan_target_is_nan():
    i, t = [0.5, -1.0, 0.3, 0.2], [-0.5, 0.0, float("nan"), 0.7]
    ours = cr.nn.functional.kl_div(cr.tensor(i), cr.tensor(t), reduction="none")
    _same(ours, torch.nn.functional.kl_div(torch.tensor(i), torch.tensor(t), reduction="none"))


def test_masked_fill_with_zero_d_tensor_keeps_input_dtype():
    x = np.array([1, 2, 3], np.int32)
    ours = cr.tensor(x).masked_fill(cr.tensor(x) > 1, cr.tensor(9))
    _same(ours, torch.tensor(x).masked_fill(torch.tensor(x) > 1, torch.tensor(9)))


@pytest.mark.parametrize("name", ["cross_entropy", "nll_loss"])
def test_class_index_out_of_range_is_a_chainrule_index_error(name):
    with pytest.raises(
        cr.errors.IndexRangeError, match=rf"^{name}: expected class indices in \[0, 2\], got 5"
    ):
        getattr(cr.nn.functional, name)(cr.ones(2, 3), cr.tensor([0, 5]))


def test_rprop_steps_a_zero_d_parameter():
    values = {}
    for lib in (torch, cr):
        p = lib.nn.Parameter(lib.tensor(0.5))
        opt = lib.optim.Rprop([p])
        for g in (1.0, -2.0, float("nan")):
            p.grad = lib.tensor(g)
            opt.step()
        values[lib.__name__] = float(p.detach())
    assert values["chainrule"] == pytest.approx(values["torch"])
