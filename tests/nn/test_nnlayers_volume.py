"""Conv3d, ConvTranspose3d, MaxPool3d, AvgPool3d, AdaptiveAvgPool3d and BatchNorm3d against
torch: values, input and parameter gradients, both dtypes."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr  # noqa: E402
from chainrule.gradcheck import gradcheck  # noqa: E402
from tests.torch_oracle import TOLERANCE, compare  # noqa: E402

pytestmark = pytest.mark.oracle

DTYPES = [np.float32, np.float64]


def _same_params(ours, theirs):
    with torch.no_grad():
        for name, p in ours.named_parameters():
            getattr(theirs, name).copy_(torch.tensor(p.detach().numpy()))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda nn, **k: nn.Conv3d(2, 3, 3, **k), (2, 2, 5, 4, 6)),
        (lambda nn, **k: nn.Conv3d(4, 6, (1, 2, 3), stride=(1, 2, 1), padding=(0, 1, 2),
                                   dilation=(2, 1, 1), groups=2, **k), (1, 4, 5, 5, 5)),  # fmt: skip
        (lambda nn, **k: nn.Conv3d(2, 2, 3, padding="same", bias=False, **k), (2, 3, 4, 5)),
        (lambda nn, **k: nn.Conv3d(2, 3, 2, padding=1, padding_mode="circular", **k), (1, 2, 3, 3, 4)),
        (lambda nn, **k: nn.ConvTranspose3d(2, 3, 3, **k), (2, 2, 3, 2, 4)),
        (lambda nn, **k: nn.ConvTranspose3d(4, 2, (2, 3, 2), stride=(2, 1, 3), padding=(0, 1, 1),
                                            output_padding=(1, 0, 2), groups=2, **k), (1, 4, 3, 3, 2)),  # fmt: skip
        (lambda nn, **k: nn.ConvTranspose3d(2, 2, 2, stride=2, dilation=2, bias=False, **k), (2, 2, 2, 3)),
        (lambda nn, **k: nn.BatchNorm3d(3, **k), (4, 3, 2, 3, 2)),
    ],
)  # fmt: skip
def test_volume_layers_with_parameters_match_torch(make, shape, dtype, rng):
    ours = make(cr.nn, dtype=dtype)
    theirs = make(torch.nn, dtype=getattr(torch, np.dtype(dtype).name))
    _same_params(ours, theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    compare(ours, theirs, [rng.standard_normal(shape).astype(dtype)], rng)
    for (name, p), tp in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.grad, tp.grad.numpy(), **TOLERANCE[dtype], err_msg=name)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda nn: nn.MaxPool3d(2), (2, 3, 4, 4, 6)),
        (lambda nn: nn.MaxPool3d((2, 3, 2), stride=1, padding=1, dilation=(1, 1, 2)), (1, 2, 4, 5, 6)),
        (lambda nn: nn.MaxPool3d(3, stride=2, ceil_mode=True), (2, 6, 6, 7)),
        (lambda nn: nn.AvgPool3d(2), (2, 3, 4, 4, 6)),
        (lambda nn: nn.AvgPool3d(3, stride=2, padding=1), (1, 2, 5, 4, 6)),
        (lambda nn: nn.AvgPool3d(3, stride=1, padding=1, count_include_pad=False), (2, 3, 4, 5)),
        (lambda nn: nn.AvgPool3d(2, divisor_override=3), (1, 2, 4, 4, 4)),
        (lambda nn: nn.AdaptiveAvgPool3d(2), (2, 3, 5, 4, 7)),
        (lambda nn: nn.AdaptiveAvgPool3d((1, None, 3)), (2, 5, 4, 7)),
    ],
)  # fmt: skip
def test_volume_pools_match_torch(make, shape, dtype, rng):
    compare(make(cr.nn), make(torch.nn), [rng.standard_normal(shape).astype(dtype)], rng)
    assert repr(make(cr.nn)).split("(")[0] == repr(make(torch.nn)).split("(")[0]


def test_conv3d_and_max_pool3d_gradcheck(rng):
    x = cr.tensor(rng.standard_normal((1, 2, 3, 4, 3)), requires_grad=True)
    w = cr.tensor(rng.standard_normal((4, 1, 2, 2, 2)), requires_grad=True)
    b = cr.tensor(rng.standard_normal(4), requires_grad=True)
    gradcheck(
        lambda a, k, c: cr.nn.functional.conv3d(a, k, c, stride=(1, 2, 1), padding=1, groups=2),
        x,
        w,
        b,
    )
    gradcheck(lambda a: cr.nn.functional.max_pool3d(a, 2, stride=1), x)


def test_batchnorm3d_running_statistics_match_torch(rng):
    ours, theirs = (
        cr.nn.BatchNorm3d(2, dtype=np.float64),
        torch.nn.BatchNorm3d(2, dtype=torch.float64),
    )
    for _ in range(3):
        x = rng.standard_normal((3, 2, 2, 2, 3))
        ours(cr.tensor(x))
        theirs(torch.tensor(x))
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        np.testing.assert_allclose(
            getattr(ours, name).numpy(), getattr(theirs, name).numpy(), rtol=1e-12
        )


@pytest.mark.parametrize(
    "call, family",
    [
        (lambda m: m.nn.functional.conv3d(m.zeros(1, 2, 3, 3), m.zeros(1, 2, 2, 2, 2)), RuntimeError),
        (lambda m: m.nn.Conv3d(2, 3, 2)(m.zeros(1, 3, 4, 4, 4)), RuntimeError),
        (lambda m: m.nn.BatchNorm3d(2)(m.zeros(2, 2, 3, 3)), ValueError),
        (lambda m: m.nn.functional.max_pool3d(m.zeros(1, 1, 2, 2, 2), 3), RuntimeError),
    ],
)  # fmt: skip
def test_errors_are_torchs_family(call, family):
    with pytest.raises(family):
        call(torch)
    with pytest.raises(family):
        call(cr)
