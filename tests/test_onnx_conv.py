"""ONNX converters for convolution and pooling, against torch.nn.functional on the same weights.

The layers themselves are being written in another branch with torch's class and attribute
names; the converters key on those names, so stand-ins with the same names and attributes,
computing with torch.nn.functional, test them now.
"""

import numpy as np
import onnxruntime
import pytest

torch = pytest.importorskip("torch")
TF = torch.nn.functional

import chainrule as cr
import chainrule.onnx
from chainrule import nn
from chainrule.errors import ExportError

pytestmark = pytest.mark.oracle  # compared with PyTorch / scikit-learn

F32 = np.float32


def _torch(x):
    return torch.from_numpy(np.ascontiguousarray(x.detach().numpy() if hasattr(x, "numpy") else x))


class _StandIn(nn.Module):
    def forward(self, x):
        with torch.no_grad():
            return cr.tensor(self.compute(_torch(x)).numpy())


class Conv1d(_StandIn):
    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        dilation=1,
        groups=1,
        bias=True,
        seed=0,
    ):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.stride, self.padding, self.dilation, self.groups = stride, padding, dilation, groups
        self.kernel_size, self.padding_mode = kernel_size, "zeros"
        self.weight = nn.Parameter(
            rng.standard_normal((out_channels, in_channels // groups, kernel_size)).astype(F32)
        )
        self.bias = nn.Parameter(rng.standard_normal(out_channels).astype(F32)) if bias else None

    def compute(self, x):
        bias = None if self.bias is None else _torch(self.bias)
        return TF.conv1d(
            x, _torch(self.weight), bias, self.stride, self.padding, self.dilation, self.groups
        )


class Conv2d(_StandIn):
    def __init__(
        self,
        in_channels,
        out_channels,
        kernel_size,
        stride=1,
        padding=0,
        dilation=1,
        groups=1,
        bias=True,
        padding_mode="zeros",
        seed=0,
    ):
        super().__init__()
        rng = np.random.default_rng(seed)
        kernel = kernel_size if isinstance(kernel_size, tuple) else (kernel_size, kernel_size)
        self.stride, self.padding, self.dilation, self.groups = stride, padding, dilation, groups
        self.kernel_size, self.padding_mode = kernel, padding_mode
        self.weight = nn.Parameter(
            (rng.standard_normal((out_channels, in_channels // groups) + kernel) / 3).astype(F32)
        )
        self.bias = nn.Parameter(rng.standard_normal(out_channels).astype(F32)) if bias else None

    def compute(self, x):
        bias = None if self.bias is None else _torch(self.bias)
        return TF.conv2d(
            x, _torch(self.weight), bias, self.stride, self.padding, self.dilation, self.groups
        )


class MaxPool2d(_StandIn):
    def __init__(
        self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False
    ):
        super().__init__()
        self.kernel_size, self.stride = kernel_size, stride if stride is not None else kernel_size
        self.padding, self.dilation, self.ceil_mode, self.return_indices = (
            padding,
            dilation,
            ceil_mode,
            return_indices,
        )

    def compute(self, x):
        return TF.max_pool2d(
            x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode
        )


class AvgPool2d(_StandIn):
    def __init__(
        self,
        kernel_size,
        stride=None,
        padding=0,
        ceil_mode=False,
        count_include_pad=True,
        divisor_override=None,
    ):
        super().__init__()
        self.kernel_size, self.stride = kernel_size, stride if stride is not None else kernel_size
        self.padding, self.ceil_mode, self.count_include_pad = padding, ceil_mode, count_include_pad
        self.divisor_override = divisor_override

    def compute(self, x):
        return TF.avg_pool2d(
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )


class AdaptiveAvgPool2d(_StandIn):
    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def compute(self, x):
        return TF.adaptive_avg_pool2d(x, self.output_size)


class BatchNorm2d(_StandIn):
    def __init__(self, num_features, eps=1e-5, momentum=0.1, seed=0):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.num_features, self.eps, self.momentum, self.track_running_stats = (
            num_features,
            eps,
            momentum,
            True,
        )
        self.weight = nn.Parameter(rng.uniform(0.5, 2, num_features).astype(F32))
        self.bias = nn.Parameter(rng.standard_normal(num_features).astype(F32))
        self.register_buffer("running_mean", rng.standard_normal(num_features).astype(F32))
        self.register_buffer("running_var", rng.uniform(0.5, 3, num_features).astype(F32))
        self.register_buffer("num_batches_tracked", np.array(4, dtype=np.int64))

    def compute(self, x):
        return TF.batch_norm(
            x,
            _torch(self.running_mean),
            _torch(self.running_var),
            _torch(self.weight),
            _torch(self.bias),
            False,
            self.momentum,
            self.eps,
        )


class Dropout2d(_StandIn):
    def __init__(self, p=0.5):
        super().__init__()
        self.p = p

    def compute(self, x):
        return x  # eval mode


def _check(model, example, path, batches=(1, 2, 7)):
    rng = np.random.default_rng(11)
    chainrule.onnx.export(
        model, example, path, dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}}
    )
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for n in batches:
        x = rng.standard_normal((n,) + example.shape[1:]).astype(F32)
        expected = model(cr.tensor(x)).detach().numpy()
        np.testing.assert_allclose(session.run(None, {"input": x})[0], expected, rtol=0, atol=1e-5)


@pytest.mark.parametrize(
    "conv",
    [
        Conv2d(3, 4, 3),
        Conv2d(3, 4, 3, stride=2, padding=1),
        Conv2d(3, 6, (3, 2), padding=(1, 0), dilation=(2, 1)),
        Conv2d(4, 4, 3, groups=2, padding="same", bias=False),
        Conv2d(3, 4, 4, padding="same", dilation=2),
        Conv2d(3, 4, 3, padding="valid"),
    ],
    ids=lambda m: f"{m.kernel_size}-s{m.stride}-p{m.padding}-d{m.dilation}-g{m.groups}",
)
def test_conv2d_settings(tmp_path, conv):
    example = np.zeros((5, conv.weight.shape[1] * conv.groups, 9, 8), F32)
    _check(nn.Sequential(conv), example, tmp_path / "m.onnx")


@pytest.mark.parametrize(
    "pool",
    [
        MaxPool2d(2),
        MaxPool2d(3, stride=2, padding=1),
        MaxPool2d(2, dilation=2),
        MaxPool2d(3, stride=2, ceil_mode=True),
        AvgPool2d(2),
        AvgPool2d(3, stride=2, padding=1),
        AvgPool2d(3, stride=2, padding=1, count_include_pad=False),
        AdaptiveAvgPool2d(1),
        AdaptiveAvgPool2d((1, 1)),
        AdaptiveAvgPool2d((3, 2)),
        AdaptiveAvgPool2d((None, 2)),
    ],
    ids=lambda m: f"{type(m).__name__}-{vars(m).get('kernel_size', vars(m).get('output_size'))}",
)
def test_pooling_settings(tmp_path, pool):
    _check(
        nn.Sequential(pool),
        np.zeros((5, 3, 9, 8) if "Adaptive" not in type(pool).__name__ else (5, 3, 6, 8), F32),
        tmp_path / "m.onnx",
    )


def test_a_small_cnn_end_to_end(tmp_path):
    model = nn.Sequential(
        Conv2d(1, 4, 3, padding=1, seed=1),
        BatchNorm2d(4, seed=2),
        nn.ReLU(),
        MaxPool2d(2),
        Dropout2d(0.3),
        Conv2d(4, 8, 3, padding="same", seed=3),
        nn.GELU(),
        AvgPool2d(2),
        AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(8, 10, dtype=F32, generator=0),
        nn.LogSoftmax(dim=1),
    )
    _check(model, np.zeros((5, 1, 12, 12), F32), tmp_path / "m.onnx", batches=(1, 3, 32))


def test_conv1d(tmp_path):
    model = nn.Sequential(
        Conv1d(2, 3, 3, stride=2, padding=1),
        nn.ReLU(),
        Conv1d(3, 3, 2, dilation=2, groups=3, seed=1),
    )
    _check(model, np.zeros((5, 2, 11), F32), tmp_path / "m.onnx")


@pytest.mark.parametrize(
    "module, setting",
    [
        (Conv2d(3, 4, 3, padding_mode="reflect"), "padding_mode='reflect'"),
        (MaxPool2d(2, return_indices=True), "return_indices=True"),
        (AvgPool2d(2, divisor_override=3), "divisor_override=3"),
        (AvgPool2d(3, stride=2, ceil_mode=True), "ceil_mode=True"),
        (AdaptiveAvgPool2d((4, 3)), r"output_size=\(4, 3\) from spatial size \(9, 8\)"),
    ],
    ids=lambda v: v if isinstance(v, str) else type(v).__name__,
)
def test_unsupported_settings_are_named(tmp_path, module, setting):
    with pytest.raises(
        ExportError, match=rf"onnx.export\(0: {type(module).__name__}\): .*got {setting}"
    ):
        chainrule.onnx.export(
            nn.Sequential(module), np.zeros((2, 3, 9, 8), F32), tmp_path / "m.onnx"
        )
