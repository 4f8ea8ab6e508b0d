"""AdaptiveLogSoftmaxWithLoss, FractionalMaxPool2d and CrossMapLRN2d against torch: values,
gradients, state_dict keys, reprs and errors."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from chainrule import errors  # noqa: E402
from chainrule.gradcheck import gradcheck  # noqa: E402
from tests.torch_oracle import TOLERANCE, compare  # noqa: E402

pytestmark = pytest.mark.oracle


def _same_weights(ours, theirs):
    ours.load_state_dict({k: cr.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})


@pytest.mark.parametrize("head_bias", [False, True])
@pytest.mark.parametrize(("cutoffs", "div_value"), [([5, 9, 14], 2.0), ([3], 4.0)])
def test_adaptive_log_softmax_matches_torch(cutoffs, div_value, head_bias, rng):
    ours = cr.nn.AdaptiveLogSoftmaxWithLoss(16, 20, cutoffs, div_value, head_bias)
    theirs = torch.nn.AdaptiveLogSoftmaxWithLoss(16, 20, cutoffs, div_value, head_bias)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert repr(ours) == repr(theirs)
    _same_weights(ours, theirs)
    x = rng.standard_normal((12, 16)).astype(np.float32)
    target = rng.integers(0, 20, 12)
    target[:2] = [0, 19]
    xa, xb = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out_a, out_b = ours(xa, cr.tensor(target)), theirs(xb, torch.tensor(target))
    assert out_a._fields == ("output", "loss")
    (out_a.loss + 0.3 * out_a.output.sum()).backward()
    (out_b.loss + 0.3 * out_b.output.sum()).backward()
    tol = TOLERANCE[np.float32]
    np.testing.assert_allclose(out_a.output.detach().numpy(), out_b.output.detach().numpy(), **tol)
    np.testing.assert_allclose(out_a.loss.item(), out_b.loss.item(), **tol)
    np.testing.assert_allclose(xa.grad.numpy(), xb.grad.numpy(), **tol)
    for (name, a), b in zip(ours.named_parameters(), theirs.parameters()):
        if b.grad is None:  # a cluster no target fell in
            assert a.grad is None, name
            continue
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), **tol, err_msg=name)
    log_prob_a = ours.log_prob(cr.tensor(x)).detach().numpy()
    np.testing.assert_allclose(log_prob_a, theirs.log_prob(torch.tensor(x)).detach().numpy(), **tol)
    np.testing.assert_array_equal(
        ours.predict(cr.tensor(x)).numpy(), theirs.predict(torch.tensor(x)).numpy()
    )
    single = ours(cr.tensor(x[0]), cr.tensor(target[0]))
    assert single.output.shape == () and ours.log_prob(cr.tensor(x[0])).shape == (20,)


def test_adaptive_log_softmax_errors():
    with pytest.raises(ValueError, match="cutoffs"):
        cr.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [])
    with pytest.raises(ValueError, match="unique increasing integers"):
        cr.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [5, 3])
    with pytest.raises(ValueError, match="unique increasing integers"):
        cr.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [10])
    asm = cr.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [4])
    with pytest.raises(RuntimeError, match=r"expected target values in \[0, 9\]"):
        asm(cr.zeros(2, 8), cr.tensor([0, 10]))
    with pytest.raises(RuntimeError, match="input"):
        asm(cr.zeros(3, 8), cr.tensor([0, 1]))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    ("shape", "kernel", "kwargs"),
    [((2, 3, 9, 11), 2, {"output_size": (4, 6)}),
     ((2, 3, 9, 11), (3, 2), {"output_ratio": (0.5, 0.7)}),
     ((3, 8, 8), 3, {"output_size": 5}),
     ((1, 2, 7, 7), 2, {"output_size": 1})],
)  # fmt: skip
def test_fractional_max_pool_matches_torch_given_the_samples(shape, kernel, kwargs, dtype, rng):
    x = rng.standard_normal(shape).astype(dtype)
    x[..., 0, 0] = x[..., 0, 1]  # a tie: the first in scan order wins in both
    n = 1 if len(shape) == 3 else shape[0]
    samples = rng.random((n, shape[-3], 2)).astype(dtype)
    ours = cr.nn.FractionalMaxPool2d(
        kernel, return_indices=True, _random_samples=cr.tensor(samples), **kwargs
    )
    theirs = torch.nn.FractionalMaxPool2d(
        kernel, return_indices=True, _random_samples=torch.tensor(samples), **kwargs
    )
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["_random_samples"]
    compare(lambda t: ours(t)[0], lambda t: theirs(t)[0], [x], rng)
    np.testing.assert_array_equal(ours(cr.tensor(x))[1].numpy(), theirs(torch.tensor(x))[1].numpy())


def test_fractional_max_pool_draws_from_the_default_generator_and_gradchecks(rng):
    x = cr.tensor(rng.standard_normal((2, 2, 8, 8)), requires_grad=True)
    pool = cr.nn.FractionalMaxPool2d(2, output_ratio=0.5)
    cr.manual_seed(3)
    first = pool(x)
    cr.manual_seed(3)
    np.testing.assert_array_equal(pool(x).detach().numpy(), first.detach().numpy())
    assert first.shape == (2, 2, 4, 4) and list(pool.state_dict()) == []
    samples = cr.tensor(rng.random((2, 2, 2)))
    assert gradcheck(
        lambda t: cr.nn.functional.fractional_max_pool2d(t, 3, (3, 4), _random_samples=samples), x
    )


def test_fractional_max_pool_errors():
    with pytest.raises(ValueError, match="an output size or a pooling ratio"):
        cr.nn.FractionalMaxPool2d(2)
    with pytest.raises(ValueError, match="only one of output_size and output_ratio"):
        cr.nn.FractionalMaxPool2d(2, output_size=3, output_ratio=0.5)
    with pytest.raises(ValueError, match="output_ratio between 0 and 1"):
        cr.nn.FractionalMaxPool2d(2, output_ratio=1.5)
    with pytest.raises(ValueError, match="within the input"):
        cr.nn.functional.fractional_max_pool2d(cr.zeros(1, 1, 5, 5), 2, output_size=5)
    with pytest.raises(RuntimeError, match=r"_random_samples of shape \(1, 1, 2\)"):
        cr.nn.functional.fractional_max_pool2d(
            cr.zeros(1, 1, 5, 5), 2, output_size=3, _random_samples=cr.zeros(1, 2, 2)
        )


@pytest.mark.parametrize("size", [2, 3, 4, 5])
@pytest.mark.parametrize("channels", [1, 3, 7])
def test_cross_map_lrn_matches_torch_legacy_numbers(size, channels, rng):
    x = rng.standard_normal((2, channels, 3, 4))
    compare(
        cr.nn.CrossMapLRN2d(size, alpha=0.3, beta=0.6, k=1.5),
        torch.nn.CrossMapLRN2d(size, alpha=0.3, beta=0.6, k=1.5),
        [x],
        rng,
    )


def test_cross_map_lrn_float32_repr_and_errors(rng):
    x = rng.standard_normal((2, 5, 3, 3)).astype(np.float32)
    compare(cr.nn.CrossMapLRN2d(3), torch.nn.CrossMapLRN2d(3), [x], rng)
    assert repr(cr.nn.CrossMapLRN2d(3)) == repr(torch.nn.CrossMapLRN2d(3))
    with pytest.raises(errors.ShapeError, match="a 4-d input"):
        cr.nn.CrossMapLRN2d(3)(cr.zeros(5, 3, 3))
