"""Every nn layer export covers, through onnxruntime, against chainrule's forward and torch's.

Each case builds the same layer in chainrule and torch (torch loads chainrule's state_dict
strictly), exports it with a dynamic axis on each input, then runs onnxruntime on inputs of two
other sizes along that axis. README's "Moving on" lists these layers.
"""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")
pytest.importorskip("onnx")
onnxruntime = pytest.importorskip("onnxruntime")

pytestmark = pytest.mark.oracle

F = "f"  # a float input
I10 = "i10"  # integer indices below 10

# (label, class name, args, kwargs, inputs: [(shape, kind, dynamic axis)])
ROW = [((5, 6), F, 0)]
SEQ = [((5, 3, 8), F, 0)]
IMG = [((5, 3, 6, 6), F, 0)]
VOL = [((5, 2, 4, 4, 4), F, 0)]
CASES = [
    *[
        (name, name, args, kwargs, ROW)
        for name, args, kwargs in [
            ("ReLU", (), {}),
            ("ReLU6", (), {}),
            ("Sigmoid", (), {}),
            ("Tanh", (), {}),
            ("LeakyReLU", (0.2,), {}),
            ("ELU", (0.7,), {}),
            ("SELU", (), {}),
            ("CELU", (0.8,), {}),
            ("GELU", (), {}),
            ("SiLU", (), {}),
            ("Mish", (), {}),
            ("Softplus", (2.0, 1.5), {}),
            ("Softsign", (), {}),
            ("Tanhshrink", (), {}),
            ("Hardtanh", (-0.5, 0.7), {}),
            ("Hardswish", (), {}),
            ("Hardsigmoid", (), {}),
            ("Hardshrink", (0.3,), {}),
            ("Softshrink", (0.3,), {}),
            ("Threshold", (0.1, -1.0), {}),
            ("LogSigmoid", (), {}),
            ("Softmax", (1,), {}),
            ("LogSoftmax", (1,), {}),
            ("Softmin", (1,), {}),
            ("GLU", (1,), {}),
            ("PReLU", (), {}),
            ("RReLU", (), {}),
            ("Identity", (), {}),
            ("Dropout", (0.3,), {}),
            ("AlphaDropout", (0.3,), {}),
            ("Linear", (6, 3), {}),
            ("LayerNorm", (6,), {}),
            ("RMSNorm", (6,), {}),
            ("BatchNorm1d", (6,), {}),
            ("Unflatten", (1, (2, 3)), {}),
        ]
    ],
    ("GELU(tanh)", "GELU", (), {"approximate": "tanh"}, ROW),
    ("PReLU(6)", "PReLU", (6,), {}, [((5, 6, 4), F, 0)]),
    ("Flatten", "Flatten", (), {}, SEQ),
    ("Conv1d", "Conv1d", (3, 4, 3), {"padding": 1}, SEQ),
    ("Conv2d", "Conv2d", (3, 4, 3), {"stride": 2}, IMG),
    ("Conv3d", "Conv3d", (2, 3, 3), {"padding": 1}, VOL),
    ("ConvTranspose1d", "ConvTranspose1d", (3, 2, 3), {"stride": 2}, SEQ),
    (
        "ConvTranspose2d",
        "ConvTranspose2d",
        (3, 2, 3),
        {"stride": 2, "padding": 1, "output_padding": 1},
        IMG,
    ),
    ("ConvTranspose3d", "ConvTranspose3d", (2, 2, 2), {"stride": 2}, VOL),
    ("MaxPool1d", "MaxPool1d", (2,), {}, SEQ),
    ("MaxPool2d", "MaxPool2d", (3, 2, 1), {}, IMG),
    ("MaxPool3d", "MaxPool3d", (2,), {}, VOL),
    ("AvgPool1d", "AvgPool1d", (2,), {}, SEQ),
    ("AvgPool2d", "AvgPool2d", (3, 2, 1), {}, IMG),
    ("AvgPool3d", "AvgPool3d", (2,), {}, VOL),
    ("AdaptiveAvgPool1d", "AdaptiveAvgPool1d", (4,), {}, SEQ),
    ("AdaptiveAvgPool2d", "AdaptiveAvgPool2d", ((3, 2),), {}, IMG),
    ("AdaptiveAvgPool3d", "AdaptiveAvgPool3d", (1,), {}, VOL),
    ("AdaptiveMaxPool1d", "AdaptiveMaxPool1d", (2,), {}, SEQ),
    ("AdaptiveMaxPool2d", "AdaptiveMaxPool2d", (1,), {}, IMG),
    ("LPPool1d", "LPPool1d", (2, 2), {}, SEQ),
    ("LPPool2d", "LPPool2d", (2, 2), {}, IMG),
    ("BatchNorm2d", "BatchNorm2d", (3,), {}, IMG),
    ("BatchNorm3d", "BatchNorm3d", (2,), {}, VOL),
    ("LayerNorm2", "LayerNorm", ((6, 6),), {}, IMG),
    ("GroupNorm", "GroupNorm", (2, 4), {}, [((5, 4, 3, 3), F, 0)]),
    ("InstanceNorm1d", "InstanceNorm1d", (3,), {}, SEQ),
    ("InstanceNorm2d", "InstanceNorm2d", (3,), {"affine": True}, IMG),
    ("LocalResponseNorm", "LocalResponseNorm", (2,), {}, [((5, 4, 3, 3), F, 0)]),
    ("Dropout2d", "Dropout2d", (0.5,), {}, IMG),
    ("Softmax2d", "Softmax2d", (), {}, IMG),
    ("ZeroPad1d", "ZeroPad1d", (2,), {}, SEQ),
    ("ZeroPad2d", "ZeroPad2d", ((1, 0, 2, 1),), {}, IMG),
    ("ZeroPad3d", "ZeroPad3d", (1,), {}, VOL),
    ("ConstantPad1d", "ConstantPad1d", (2, 0.5), {}, SEQ),
    ("ConstantPad2d", "ConstantPad2d", (1, -1.0), {}, IMG),
    ("ConstantPad3d", "ConstantPad3d", (1, 0.2), {}, VOL),
    ("ReflectionPad1d", "ReflectionPad1d", (2,), {}, SEQ),
    ("ReflectionPad2d", "ReflectionPad2d", (1,), {}, IMG),
    ("ReflectionPad3d", "ReflectionPad3d", (1,), {}, VOL),
    ("ReplicationPad1d", "ReplicationPad1d", (2,), {}, SEQ),
    ("ReplicationPad2d", "ReplicationPad2d", (1,), {}, IMG),
    ("ReplicationPad3d", "ReplicationPad3d", (1,), {}, VOL),
    ("CircularPad1d", "CircularPad1d", (2,), {}, SEQ),
    ("CircularPad2d", "CircularPad2d", (1,), {}, IMG),
    ("CircularPad3d", "CircularPad3d", (1,), {}, VOL),
    ("PixelShuffle", "PixelShuffle", (2,), {}, [((5, 8, 3, 3), F, 0)]),
    ("PixelUnshuffle", "PixelUnshuffle", (2,), {}, [((5, 2, 4, 4), F, 0)]),
    ("ChannelShuffle", "ChannelShuffle", (2,), {}, [((5, 4, 3, 3), F, 0)]),
    ("Upsample(nearest)", "Upsample", (), {"scale_factor": 2}, IMG),
    ("Upsample(bilinear)", "Upsample", (), {"scale_factor": 2, "mode": "bilinear"}, IMG),
    (
        "Upsample(nearest-exact)",
        "Upsample",
        (),
        {"scale_factor": 1.5, "mode": "nearest-exact"},
        IMG,
    ),
    ("Upsample(linear)", "Upsample", (), {"scale_factor": 2, "mode": "linear"}, SEQ),
    (
        "Upsample(size, aligned)",
        "Upsample",
        (),
        {"size": (5, 7), "mode": "bilinear", "align_corners": True},
        IMG,
    ),
    ("UpsamplingNearest2d", "UpsamplingNearest2d", (), {"scale_factor": 2}, IMG),
    ("UpsamplingBilinear2d", "UpsamplingBilinear2d", (), {"scale_factor": 2}, IMG),
    ("Embedding", "Embedding", (10, 4), {}, [((5, 7), I10, 0)]),
    ("EmbeddingBag", "EmbeddingBag", (10, 4), {"mode": "mean"}, [((5, 3), I10, 0)]),
    ("Bilinear", "Bilinear", (6, 4, 3), {}, [((5, 6), F, 0), ((5, 4), F, 0)]),
    ("CosineSimilarity", "CosineSimilarity", (), {}, [((5, 6), F, 0), ((5, 6), F, 0)]),
    ("PairwiseDistance", "PairwiseDistance", (), {}, [((5, 6), F, 0), ((5, 6), F, 0)]),
    ("RNN", "RNN", (4, 6), {}, [((7, 5, 4), F, 1)]),
    ("LSTM", "LSTM", (4, 6), {"num_layers": 2, "batch_first": True}, [((5, 7, 4), F, 0)]),
    ("GRU", "GRU", (4, 6), {"bidirectional": True}, [((7, 5, 4), F, 1)]),
    ("GRU(x, h0)", "GRU", (4, 6), {}, [((7, 5, 4), F, 1), ((1, 5, 6), F, 1)]),
    ("RNNCell", "RNNCell", (4, 6), {}, [((5, 4), F, 0)]),
    ("LSTMCell", "LSTMCell", (4, 6), {}, [((5, 4), F, 0)]),
    ("GRUCell", "GRUCell", (4, 6), {}, [((5, 4), F, 0)]),
    (
        "MultiheadAttention",
        "MultiheadAttention",
        (8, 2),
        {"batch_first": True},
        [((5, 4, 8), F, 0)] * 3,
    ),
    (
        "TransformerEncoderLayer",
        "TransformerEncoderLayer",
        (8, 2, 16),
        {"batch_first": True},
        [((5, 4, 8), F, 0)],
    ),
    (
        "TransformerDecoderLayer",
        "TransformerDecoderLayer",
        (8, 2, 16),
        {"batch_first": True},
        [((5, 4, 8), F, 0), ((5, 3, 8), F, 0)],
    ),
    (
        "Transformer",
        "Transformer",
        (),
        {
            "d_model": 8,
            "nhead": 2,
            "num_encoder_layers": 1,
            "num_decoder_layers": 1,
            "dim_feedforward": 16,
            "batch_first": True,
        },
        [((5, 4, 8), F, 0), ((5, 3, 8), F, 0)],
    ),
]


def _make(spec, size, rng):
    shape, kind, axis = spec
    shape = list(shape)
    shape[axis] = size
    if kind == I10:
        return rng.integers(0, 10, size=shape).astype(np.int64)
    return rng.standard_normal(shape).astype(np.float32)


def _leaves(output):
    if isinstance(output, (tuple, list)):
        return [leaf for item in output for leaf in _leaves(item)]
    return [output]


def _pair(class_name, args, kwargs, rng):
    """The chainrule layer, with its float buffers (running statistics) set away from 0 and 1,
    and torch's, loaded strictly from it."""
    cr.manual_seed(0)
    ours = getattr(cr.nn, class_name)(*args, **kwargs)
    for key, buffer in ours.named_buffers():
        if buffer.dtype == cr.float32:
            buffer.data.copy_(cr.tensor(rng.uniform(0.5, 1.5, buffer.shape).astype(np.float32)))
    theirs = getattr(torch.nn, class_name)(*args, **kwargs)
    state = {
        key: torch.from_numpy(value.numpy().copy()) for key, value in ours.state_dict().items()
    }
    theirs.load_state_dict(state, strict=True)
    return ours.eval(), theirs.eval()


@pytest.mark.parametrize(
    "label, class_name, args, kwargs, inputs", CASES, ids=[c[0] for c in CASES]
)
def test_layer_exports_with_a_dynamic_axis(tmp_path, label, class_name, args, kwargs, inputs):
    rng = np.random.default_rng(0)
    ours, theirs = _pair(class_name, args, kwargs, rng)
    examples = [_make(spec, spec[0][spec[2]], rng) for spec in inputs]
    names = [f"x{i}" for i in range(len(inputs))]
    path = tmp_path / "m.onnx"
    cr.onnx.export(
        ours,
        tuple(cr.tensor(e) for e in examples),
        path,
        input_names=names,
        dynamic_axes={name: {spec[2]: "batch"} for name, spec in zip(names, inputs)},
    )
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for size in (1, 3):
        feed = [_make(spec, size, rng) for spec in inputs]
        produced = session.run(None, dict(zip(names, feed)))
        with cr.no_grad():
            expected = [t.numpy() for t in _leaves(ours(*[cr.tensor(a) for a in feed]))]
        with torch.no_grad():
            oracle = [t.numpy() for t in _leaves(theirs(*[torch.from_numpy(a) for a in feed]))]
        assert len(produced) == len(expected) == len(oracle)
        for got, want, torch_value in zip(produced, expected, oracle):
            assert got.shape == want.shape == torch_value.shape
            np.testing.assert_allclose(got, want, rtol=1e-4, atol=2e-5)
            np.testing.assert_allclose(got, torch_value, rtol=1e-4, atol=1e-4)
