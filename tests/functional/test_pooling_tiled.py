"""max_pool2d where the windows tile the image (pooling_tiled.py) against torch: the cases
the block comparison in its backward must get right."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
TF = torch.nn.functional

import chainrule as cr
import chainrule.functional as F
from tests.torch_oracle import compare

pytestmark = pytest.mark.oracle


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kernel", [2, 3, (2, 3), (1, 2)])
def test_tiled_max_pool2d_matches_torch_with_ties(kernel, dtype, rng):
    # 0/1 values tie often; 7x8 leaves rows and columns past the last whole block.
    x = rng.integers(0, 2, (2, 3, 7, 8)).astype(dtype)
    compare(lambda a: F.max_pool2d(a, kernel), lambda a: TF.max_pool2d(a, kernel), [x], rng)


def test_tiled_max_pool2d_sends_a_nan_window_gradient_to_its_first_nan(rng):
    x = rng.standard_normal((1, 2, 4, 4)).astype(np.float32)
    x[0, 0, 0, 1] = x[0, 0, 1, 0] = np.nan
    x[0, 1, 3, 3] = np.nan
    grad = rng.standard_normal((1, 2, 2, 2)).astype(np.float32)
    a, b = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yb = F.max_pool2d(a, 2), TF.max_pool2d(b, 2)
    np.testing.assert_array_equal(ya.detach().numpy(), yb.detach().numpy())
    ya.backward(cr.tensor(grad))
    yb.backward(torch.tensor(grad))
    np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())


def test_tiled_max_pool2d_keeps_inf_upstream_gradients_off_the_other_elements():
    x = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
    grad = np.array([[[[np.inf, 1], [2, -np.inf]]]], dtype=np.float32)
    a, b = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    F.max_pool2d(a, 2).backward(cr.tensor(grad))
    TF.max_pool2d(b, 2).backward(torch.tensor(grad))
    np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())


def test_tiled_max_pool2d_on_an_unbatched_transposed_image(rng):
    x = rng.standard_normal((6, 4, 3)).astype(np.float32).transpose(2, 0, 1)  # not contiguous
    compare(lambda a: F.max_pool2d(a, 2), lambda a: TF.max_pool2d(a, 2), [x], rng)


def test_tiled_max_pool2d_gradient_survives_an_inplace_op_on_its_output(rng):
    x = rng.standard_normal((2, 3, 4, 4)).astype(np.float32)
    grad = rng.standard_normal((2, 3, 2, 2)).astype(np.float32)
    a, b = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    ya, yb = F.max_pool2d(a, 2), TF.max_pool2d(b, 2)
    ya.mul_(0.0)  # torch saves indices, not the output, so this is allowed there
    yb.mul_(0.0)
    ya.backward(cr.tensor(grad))
    yb.backward(torch.tensor(grad))
    np.testing.assert_array_equal(a.grad.numpy(), b.grad.numpy())


class _ShiftThenPool(cr.nn.Module):
    """max_pool2d(x + p): with NaN in x the loss is NaN, but p's gradient (ones routed to each
    window's maximum) stays finite, so training goes on and every step shows which path ran."""

    def __init__(self):
        super().__init__()
        self.p = cr.nn.Parameter(cr.from_numpy(np.linspace(-1, 1, 32, dtype=np.float32)))

    def forward(self, x):
        return F.max_pool2d(x + self.p.reshape(1, 2, 4, 4), 2)


def _pool_loss(model, x):
    y = model(x)
    return y.sum(), y


def _batch_with_nan_every_other_step(i):
    x = np.random.default_rng(i).integers(0, 2, (3, 2, 4, 4)).astype(np.float32)  # ties
    if i % 2:  # a replay that leaves the tiled path for the running maximum, then comes back
        x[0, 1, 2, 3] = x[2, 0, 0, 0] = np.nan
    return (cr.from_numpy(x),)


def test_tiled_max_pool2d_replays_bit_for_bit_as_eager_across_the_nan_fallback():
    from tests.cpugraph.module_harness import _assert_same, _trainer

    _assert_same(
        _trainer(_ShiftThenPool, _pool_loss, opt=cr.optim.SGD),
        _batch_with_nan_every_other_step,
        steps=6,
    )
