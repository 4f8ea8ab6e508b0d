"""unbind, narrow, movedim, tile, roll, diagonal, trace, dot, hstack, vstack, meshgrid and the
torch constants against torch: values and gradients."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from tests.torch_oracle import compare  # noqa: E402

pytestmark = pytest.mark.oracle


@pytest.mark.parametrize(
    "fn",
    [
        lambda m, x: m.stack(m.unbind(x, 1)[::-1], 0),
        lambda m, x: x.unbind()[1] * 2,
        lambda m, x: m.narrow(x, 2, 1, 2),
        lambda m, x: x.narrow(0, -1, 1),
        lambda m, x: m.movedim(x, 0, -1),
        lambda m, x: x.movedim((0, 2), (2, 0)),
        lambda m, x: m.broadcast_to(x[:, :1], (2, 3, 4)),
        lambda m, x: m.tile(x, (2, 1, 1)),
        lambda m, x: x[0].tile(2),
        lambda m, x: m.tile(x[0, 0], (3, 2)),
        lambda m, x: m.roll(x, 1),
        lambda m, x: m.roll(x, shifts=(1, -2), dims=(1, 2)),
        lambda m, x: m.diagonal(x),
        lambda m, x: x.diagonal(offset=1, dim1=1, dim2=2),
        lambda m, x: m.diagonal(x[0], -1),
        lambda m, x: m.trace(x[1]).reshape(1),
        lambda m, x: m.dot(x[0, 0], x[1, 1]).reshape(1),
        lambda m, x: m.hstack([x[0], x[1]]),
        lambda m, x: m.vstack([x[0, 0], x[1]]),
        lambda m, x: m.concat([x, x], dim=1),
        lambda m, x: x.clamp_min(0.1) + x.clamp_max(-0.1),
        lambda m, x: m.fliplr(x[0]) + x.flipud()[0],
    ],
)
def test_rearrangements_match_torch(fn, rng):
    compare(lambda x: fn(cr, x), lambda x: fn(torch, x), [rng.standard_normal((2, 3, 4))], rng)


@pytest.mark.parametrize("indexing", ["ij", "xy"])
def test_meshgrid_matches_torch(indexing, rng):
    a, b, c = np.arange(3.0), np.arange(2.0), np.arange(4.0)
    ours = cr.meshgrid(cr.tensor(a), cr.tensor(b), cr.tensor(c), indexing=indexing)
    theirs = torch.meshgrid(torch.tensor(a), torch.tensor(b), torch.tensor(c), indexing=indexing)
    for o, t in zip(ours, theirs):
        np.testing.assert_array_equal(o.numpy(), t.numpy())
    ours = cr.meshgrid([cr.tensor(a), cr.tensor(b)], indexing=indexing)
    theirs = torch.meshgrid([torch.tensor(a), torch.tensor(b)], indexing=indexing)
    for o, t in zip(ours, theirs):
        np.testing.assert_array_equal(o.numpy(), t.numpy())


def test_constants_limits_and_small_helpers_match_torch():
    for name in ("inf", "pi", "e"):
        assert getattr(cr, name) == getattr(torch, name)
    assert np.isnan(cr.nan)
    assert cr.finfo(cr.float32).eps == torch.finfo(torch.float32).eps
    assert cr.finfo(cr.float64).max == torch.finfo(torch.float64).max
    assert cr.iinfo(cr.int64).max == torch.iinfo(torch.int64).max
    x = np.array([[0.0, 1.0], [2.0, 0.0]])
    np.testing.assert_array_equal(
        cr.argwhere(cr.tensor(x)).numpy(), torch.argwhere(torch.tensor(x)).numpy()
    )
    assert cr.tensor(x).is_contiguous() and not cr.tensor(x).t().is_contiguous()


def test_errors_name_the_op():
    with pytest.raises(cr.ShapeError, match="narrow: expected start and length inside dim 0"):
        cr.zeros(3).narrow(0, 2, 2)
    with pytest.raises(cr.ShapeError, match="roll: expected as many shifts as dims"):
        cr.roll(cr.zeros(3), (1, 2), 0)
    with pytest.raises(cr.ShapeError, match="trace: expected a 2-D tensor"):
        cr.trace(cr.zeros(3))
    with pytest.raises(cr.ShapeError, match="dot: expected two 1-D tensors of the same length"):
        cr.dot(cr.zeros(3), cr.zeros(2))
    with pytest.raises(cr.ShapeError, match="movedim: expected as many source as destination"):
        cr.movedim(cr.zeros(2, 3), (0, 1), 0)
    with pytest.raises(ValueError, match="meshgrid: expected indexing 'ij' or 'xy'"):
        cr.meshgrid(cr.zeros(2), indexing="yx")
