"""LazyLinear, LazyConv1d/2d and LazyBatchNorm1d/2d: sizes from the first forward, then the
plain layer, as torch; an optimizer built before that forward trains the real parameters."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from tests.torch_oracle import TOLERANCE  # noqa: E402

pytestmark = pytest.mark.oracle

CASES = [
    (lambda nn, **k: nn.LazyLinear(4, **k), (3, 5), "Linear"),
    (lambda nn, **k: nn.LazyLinear(2, bias=False, **k), (2, 3, 6), "Linear"),
    (lambda nn, **k: nn.LazyConv1d(4, 3, padding=1, **k), (2, 3, 7), "Conv1d"),
    (lambda nn, **k: nn.LazyConv2d(4, 3, stride=2, groups=2, **k), (2, 4, 7, 6), "Conv2d"),
    (lambda nn, **k: nn.LazyConv2d(3, 2, **k), (2, 5, 4), "Conv2d"),  # unbatched
    (lambda nn, **k: nn.LazyBatchNorm1d(**k), (6, 3), "BatchNorm1d"),
    (lambda nn, **k: nn.LazyBatchNorm2d(momentum=None, **k), (4, 3, 2, 2), "BatchNorm2d"),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("make, shape, becomes", CASES)
def test_lazy_layers_become_torchs_layer_and_match_it(make, shape, becomes, dtype, rng):
    tdtype = getattr(torch, np.dtype(dtype).name)
    ours, theirs = make(cr.nn, dtype=dtype), make(torch.nn, dtype=tdtype)
    assert repr(ours).split("(")[0] == repr(theirs).split("(")[0] == "Lazy" + becomes
    assert list(ours.state_dict()) == list(theirs.state_dict())
    opt = cr.optim.SGD(ours.parameters(), lr=0.1)  # before the first forward, as torch allows
    x = rng.standard_normal(shape).astype(dtype)
    theirs(torch.tensor(x))  # materialize torch's, then give it our initial values
    with cr.no_grad():
        out = ours(cr.tensor(x))
    assert type(ours).__name__ == type(theirs).__name__ == becomes
    assert repr(ours) == repr(theirs)
    for name, p in ours.named_parameters():
        assert type(p) is cr.nn.Parameter and p.dtype == dtype
    ours.load_state_dict({k: v for k, v in ours.state_dict().items()})
    fresh = make(cr.nn, dtype=dtype)
    with torch.no_grad():
        theirs.load_state_dict({k: torch.tensor(v.numpy()) for k, v in ours.state_dict().items()})
    xs, xt = cr.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    out, ref = ours(xs), theirs(xt)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), **TOLERANCE[dtype])
    upstream = rng.standard_normal(out.shape).astype(dtype)  # a sum would give BatchNorm's weight 0
    out.backward(upstream)
    ref.backward(torch.tensor(upstream))
    for (name, p), tp in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad, tp.grad.numpy(), **TOLERANCE[dtype], err_msg=name)
    before = [p.detach().numpy().copy() for p in ours.parameters()]
    opt.step()
    for b, p in zip(before, ours.parameters()):
        assert not np.array_equal(b, p.detach().numpy())  # the optimizer held the materialized ones
    assert fresh.has_uninitialized_params()


def test_uninitialized_parameter_refuses_its_shape_with_a_hint():
    layer = cr.nn.LazyLinear(3)
    assert isinstance(layer.weight, cr.nn.UninitializedParameter)
    assert repr(layer.weight) == repr(torch.nn.LazyLinear(3).weight)
    with pytest.raises(RuntimeError, match="UninitializedParameter: .*\nHint: run one forward"):
        _ = layer.weight.shape
    with pytest.raises(RuntimeError):
        _ = torch.nn.LazyLinear(3).weight.shape


def test_lazy_init_is_seeded_like_the_plain_layer():
    lazy, plain = cr.nn.LazyLinear(3, generator=4), cr.nn.Linear(5, 3, generator=4)
    lazy(cr.zeros(2, 5))
    np.testing.assert_array_equal(lazy.weight.detach().numpy(), plain.weight.detach().numpy())
    np.testing.assert_array_equal(lazy.bias.detach().numpy(), plain.bias.detach().numpy())


def test_loading_a_state_dict_before_the_first_forward_is_refused_with_a_hint():
    layer = cr.nn.LazyLinear(3)
    with pytest.raises(RuntimeError, match="run one forward"):
        layer.load_state_dict(cr.nn.Linear(5, 3).state_dict())
