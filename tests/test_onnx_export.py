"""chainrule.onnx.export: onnx.checker passes and onnxruntime reproduces chainrule's outputs."""

import numpy as np
import onnx
import onnxruntime
import pytest

import chainrule as cr
import chainrule.onnx
from chainrule import nn
from chainrule.errors import ExportError

BATCHES = [1, 3, 16]  # the example below has 5 rows: every size here differs from it
F32 = np.float32


def _session(path):
    return onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def _export_and_compare(model, example, path, batches=BATCHES, make=None, atol=1e-5, **kwargs):
    """Export with a dynamic batch axis, then compare onnxruntime and chainrule on fresh batches."""
    rng = np.random.default_rng(7)
    make = make or (lambda n: rng.standard_normal((n,) + example.shape[1:]).astype(example.dtype))
    proto = chainrule.onnx.export(
        model,
        cr.tensor(example),
        path,
        input_names=["x"],
        output_names=["y"],
        dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}},
        **kwargs,
    )
    onnx.checker.check_model(onnx.load(str(path)), full_check=True)
    assert proto.opset_import[0].version >= 17
    session = _session(path)
    model.eval()
    for n in batches:
        x = make(n)
        produced = session.run(None, {"x": x})[0]
        with cr.no_grad():
            expected = model(cr.tensor(x)).numpy()
        assert produced.shape == expected.shape and produced.dtype == expected.dtype
        np.testing.assert_allclose(produced, expected, rtol=0, atol=atol)
    return proto


def _trained_batch_norm(model, example):
    """Train-mode passes give the batch norms running statistics that differ from 0 and 1."""
    model.train()
    for shift in (1.0, -0.5, 2.0):
        model(cr.tensor(example * 2 + example.dtype.type(shift)))
    return model


@pytest.mark.parametrize(
    "activation",
    [
        nn.ReLU(),
        nn.Sigmoid(),
        nn.Tanh(),
        nn.LeakyReLU(0.2),
        nn.ELU(0.7),
        nn.GELU(),
        nn.GELU(approximate="tanh"),
        nn.Softplus(),
        nn.Softplus(beta=2.0, threshold=1.5),
        nn.Identity(),
    ],
    ids=lambda m: repr(m),
)
def test_each_activation_in_an_mlp(tmp_path, rng, activation):
    model = nn.Sequential(
        nn.Linear(4, 8, dtype=F32, generator=0), activation, nn.Linear(8, 3, dtype=F32, generator=1)
    )
    example = (3 * rng.standard_normal((5, 4))).astype(F32)
    _export_and_compare(model, example, tmp_path / "m.onnx")


@pytest.mark.parametrize(
    "head", [nn.Softmax(dim=1), nn.LogSoftmax(dim=1), nn.LogSoftmax(dim=-1)], ids=repr
)
def test_softmax_heads(tmp_path, rng, head):
    model = nn.Sequential(nn.Linear(4, 6, dtype=F32, generator=0), head)
    _export_and_compare(model, rng.standard_normal((5, 4)).astype(F32), tmp_path / "m.onnx")


def test_a_deep_mlp_with_batch_norm_dropout_and_layer_norm(tmp_path, rng):
    model = nn.Sequential(
        nn.Linear(10, 32, dtype=F32, generator=0),
        nn.BatchNorm1d(32, dtype=F32),
        nn.GELU(),
        nn.Dropout(0.5),
        nn.Linear(32, 16, dtype=F32, generator=1),
        nn.LayerNorm(16, dtype=F32),
        nn.Tanh(),
        nn.Linear(16, 4, dtype=F32, generator=2),
    )
    example = rng.standard_normal((5, 10)).astype(F32)
    _trained_batch_norm(model, example)
    model.train()  # export must switch to eval itself, and give the mode back afterwards
    _export_and_compare(model, example, tmp_path / "m.onnx", batches=[1, 5, 33, 128])
    model.train()
    chainrule.onnx.export(model, cr.tensor(example), tmp_path / "again.onnx")
    assert all(module.training for module in model.modules())


def test_batch_norm_on_sequences_and_affine_free_norms(tmp_path, rng):
    model = nn.Sequential(
        nn.BatchNorm1d(3, affine=False, dtype=F32),
        nn.Flatten(),
        nn.LayerNorm(12, elementwise_affine=False, dtype=F32),
    )
    example = rng.standard_normal((5, 3, 4)).astype(F32)
    _trained_batch_norm(model, example)
    _export_and_compare(model, example, tmp_path / "m.onnx")


@pytest.mark.parametrize("start_dim, end_dim", [(1, -1), (0, -1), (1, 2), (2, 3), (0, 1)])
def test_flatten_any_range_of_axes(tmp_path, rng, start_dim, end_dim):
    model = nn.Sequential(nn.Flatten(start_dim, end_dim))
    example = rng.standard_normal((5, 2, 3, 4)).astype(F32)
    batches = (
        BATCHES if start_dim > 0 else [5]
    )  # flattening the batch axis fixes the output's first size
    _export_and_compare(model, example, tmp_path / "m.onnx", batches=batches)


def test_linear_on_three_dimensional_inputs(tmp_path, rng):
    model = nn.Sequential(
        nn.Linear(4, 3, dtype=F32, generator=0),
        nn.ReLU(),
        nn.Linear(3, 2, bias=False, dtype=F32, generator=1),
    )
    _export_and_compare(model, rng.standard_normal((5, 7, 4)).astype(F32), tmp_path / "m.onnx")


def test_embedding_then_layer_norm_and_a_classifier(tmp_path):
    model = nn.Sequential(
        nn.Embedding(20, 6, padding_idx=0, dtype=F32, generator=0),
        nn.LayerNorm(6, dtype=F32),
        nn.Flatten(),
        nn.Linear(18, 5, dtype=F32, generator=1),
        nn.LogSoftmax(dim=1),
    )
    rng = np.random.default_rng(3)
    make = lambda n: rng.integers(0, 20, size=(n, 3)).astype(np.int64)
    proto = _export_and_compare(model, make(5), tmp_path / "m.onnx", make=make)
    assert proto.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.INT64


def test_float64_models_export_as_double(tmp_path, rng):
    model = nn.Sequential(
        nn.Linear(4, 8, dtype=np.float64, generator=0),
        nn.BatchNorm1d(8, dtype=np.float64),
        nn.Sigmoid(),
        nn.Linear(8, 2, dtype=np.float64, generator=1),
    )
    example = rng.standard_normal((5, 4))
    _trained_batch_norm(model, example)
    proto = _export_and_compare(model, example, tmp_path / "m.onnx", atol=1e-12)
    assert proto.graph.input[0].type.tensor_type.elem_type == onnx.TensorProto.DOUBLE


def test_nested_sequentials_name_initializers_by_path(tmp_path, rng):
    inner = nn.Sequential(nn.Linear(4, 4, dtype=F32, generator=0), nn.ReLU())
    model = nn.Sequential(inner, nn.Linear(4, 2, dtype=F32, generator=1))
    proto = _export_and_compare(model, rng.standard_normal((5, 4)).astype(F32), tmp_path / "m.onnx")
    names = {init.name for init in proto.graph.initializer}
    assert {"0.0.weight", "0.0.bias", "1.weight", "1.bias"} <= names


def test_without_dynamic_axes_the_batch_is_fixed_as_in_torch(tmp_path, rng):
    model = nn.Sequential(nn.Linear(4, 2, dtype=F32, generator=0))
    example = rng.standard_normal((5, 4)).astype(F32)
    proto = chainrule.onnx.export(model, example, tmp_path / "m.onnx")
    dims = [d.dim_value for d in proto.graph.input[0].type.tensor_type.shape.dim]
    assert (
        dims == [5, 4]
        and proto.graph.input[0].name == "input"
        and proto.graph.output[0].name == "output"
    )
    session = _session(tmp_path / "m.onnx")
    np.testing.assert_allclose(
        session.run(None, {"input": example})[0],
        model(cr.tensor(example)).detach().numpy(),
        atol=1e-6,
    )
    with pytest.raises(Exception, match="[Ii]nvalid"):
        session.run(None, {"input": example[:2]})


def test_dynamic_axes_as_a_list_and_a_newer_opset(tmp_path, rng):
    model = nn.Sequential(nn.Linear(4, 2, dtype=F32, generator=0), nn.GELU())
    proto = chainrule.onnx.export(
        model,
        (rng.standard_normal((5, 4)).astype(F32),),
        tmp_path / "m.onnx",
        opset_version=18,
        dynamic_axes={"input": [0], "output": [0]},
    )
    assert proto.opset_import[0].version == 18
    assert proto.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "input_dynamic_axes_1"
    x = rng.standard_normal((9, 4)).astype(F32)
    np.testing.assert_allclose(
        _session(tmp_path / "m.onnx").run(None, {"input": x})[0],
        model(cr.tensor(x)).detach().numpy(),
        rtol=0,
        atol=1e-5,
    )


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner = nn.Linear(4, 4, dtype=F32, generator=0)

    def forward(self, x):
        return x + self.inner(x)


class Inverse(nn.Module):
    def forward(self, x):
        return cr.linalg.inv(x.reshape(-1, 2, 2))


def test_an_op_without_an_onnx_form_is_named_with_its_module_path_and_class(tmp_path, rng):
    """A module with its own forward is traced (Residual exports); an op that ONNX has no
    operator for (a matrix inverse) is refused, naming the module that applied it."""
    model = nn.Sequential(
        nn.Linear(4, 4, dtype=F32, generator=0), nn.Sequential(nn.ReLU(), Residual())
    )
    _export_and_compare(model, rng.standard_normal((5, 4)).astype(F32), tmp_path / "r.onnx")
    model = nn.Sequential(nn.Linear(4, 4, dtype=F32, generator=0), nn.Sequential(Inverse()))
    with pytest.raises(
        ExportError,
        match=r"onnx.export\(1.0: Inverse\): expected operations that have an ONNX form, "
        r"got inv \(Function Inv\)",
    ):
        chainrule.onnx.export(model, rng.standard_normal((2, 4)).astype(F32), tmp_path / "m.onnx")
    assert not (tmp_path / "m.onnx").exists()
    with pytest.raises(ExportError, match=r"onnx.export\(the model: Inverse\)"):
        chainrule.onnx.export(Inverse(), rng.standard_normal((2, 4)).astype(F32), tmp_path / "m")


def test_settings_onnx_cannot_express_are_refused(tmp_path, rng):
    model = nn.Sequential(nn.BatchNorm1d(4, track_running_stats=False, dtype=F32))
    with pytest.raises(
        ExportError,
        match=r"onnx.export\(0: BatchNorm1d\): expected a setting ONNX can express, "
        r"got track_running_stats=False",
    ):
        chainrule.onnx.export(model, rng.standard_normal((2, 4)).astype(F32), tmp_path / "m.onnx")


def test_bad_arguments(tmp_path, rng):
    model = nn.Sequential(nn.Linear(4, 2, dtype=F32, generator=0))
    x = rng.standard_normal((2, 4)).astype(F32)
    with pytest.raises(ValueError, match=r"expected opset_version in \[17, \d+\], got 13"):
        chainrule.onnx.export(model, x, tmp_path / "m.onnx", opset_version=13)
    with pytest.raises(
        ValueError, match=r"expected dynamic_axes keys among \['input', 'output'\], got \['x'\]"
    ):
        chainrule.onnx.export(model, x, tmp_path / "m.onnx", dynamic_axes={"x": [0]})
    with pytest.raises(TypeError):  # two inputs for a forward that takes one, as in torch
        chainrule.onnx.export(model, (x, x), tmp_path / "m.onnx")


def test_the_real_cnn_layers_export(tmp_path, rng):
    """chainrule's own Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, BatchNorm2d, Dropout2d,
    Unflatten and Conv1d, trained statistics included (the converters were first written
    against stand-ins with torch's attribute names)."""
    from chainrule.models import cnn

    model = cnn((1, 8, 8), 10, generator=np.random.default_rng(0), dtype=F32)
    example = rng.standard_normal((5, 64)).astype(F32)
    _export_and_compare(_trained_batch_norm(model, example), example, tmp_path / "cnn.onnx")
    layers = nn.Sequential(
        nn.Conv2d(2, 4, 3, padding="same", dtype=F32),
        nn.BatchNorm2d(4, dtype=F32),
        nn.ReLU(),
        nn.Dropout2d(0.3),
        nn.AvgPool2d(2),
        nn.Conv2d(4, 4, 3, stride=2, padding=1, groups=2, dtype=F32),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(4, 3, dtype=F32),
    )
    image = rng.standard_normal((5, 2, 8, 8)).astype(F32)
    _export_and_compare(_trained_batch_norm(layers, image), image, tmp_path / "layers.onnx")
    sequence = nn.Sequential(
        nn.Conv1d(3, 5, 3, padding=1, dtype=F32),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(5 * 7, 2, dtype=F32),
    )
    series = rng.standard_normal((5, 3, 7)).astype(F32)
    _export_and_compare(sequence, series, tmp_path / "conv1d.onnx")
