"""``import chainrule as torch; torch.onnx.export(...)`` as torch's call is written, its common
keywords accepted or refused with the reason, and the ImportError without onnx."""

from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("onnx")
onnxruntime = pytest.importorskip("onnxruntime")


def _model(torch):
    return torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))


def test_torch_onnx_export_call_runs_after_a_plain_import(tmp_path):
    import chainrule as torch  # the swap: nothing else changes

    model = _model(torch)
    model.eval()
    x = torch.randn(3, 4)
    result = torch.onnx.export(
        model,
        (x,),
        str(tmp_path / "m.onnx"),
        export_params=True,
        opset_version=17,
        do_constant_folding=True,
        input_names=["input"],
        output_names=["output"],
        dynamic_axes={"input": {0: "batch_size"}, "output": {0: "batch_size"}},
        verbose=False,
        training=torch.onnx.TrainingMode.EVAL,
        dynamo=False,
        keep_initializers_as_inputs=False,
    )
    assert result.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "batch_size"
    session = onnxruntime.InferenceSession(
        str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"]
    )
    batch = np.random.default_rng(0).standard_normal((11, 4)).astype(np.float32)
    np.testing.assert_allclose(
        session.run(None, {"input": batch})[0],
        model(torch.tensor(batch)).detach().numpy(),
        atol=1e-5,
    )


def test_a_file_object_and_opset_18(tmp_path):
    import chainrule as torch

    buffer = io.BytesIO()
    torch.onnx.export(_model(torch), torch.randn(2, 4), buffer, opset_version=18, dynamo=True)
    session = onnxruntime.InferenceSession(buffer.getvalue(), providers=["CPUExecutionProvider"])
    assert session.run(None, {"input": np.ones((2, 4), np.float32)})[0].shape == (2, 2)


@pytest.mark.parametrize(
    "keyword, value, said",
    [
        ("export_params", False, "export_params=False"),
        ("keep_initializers_as_inputs", True, "keep_initializers_as_inputs=True"),
        ("kwargs", {"x": 1}, r"keyword inputs \(kwargs=...\)"),
        ("dynamic_shapes", {"x": {0: "b"}}, "dynamic_shapes=..."),
        ("custom_opsets", {"my": 1}, "custom_opsets=..."),
        ("export_modules_as_functions", True, "export_modules_as_functions=..."),
        ("operator_export_type", "ONNX_ATEN", "operator_export_type='ONNX_ATEN'"),
    ],
)
def test_keywords_chainrule_cannot_honour_are_refused(tmp_path, keyword, value, said):
    import chainrule as torch

    with pytest.raises(
        ValueError, match=rf"onnx.export: expected a setting chainrule can honour, got {said}"
    ):
        torch.onnx.export(_model(torch), torch.randn(2, 4), tmp_path / "m.onnx", **{keyword: value})
    assert not (tmp_path / "m.onnx").exists()


def test_training_modes(tmp_path):
    import chainrule as torch

    model = _model(torch)
    with pytest.raises(ValueError, match=r"got training=<TrainingMode.TRAINING: 2>"):
        torch.onnx.export(
            model, torch.randn(2, 4), tmp_path / "m.onnx", training=torch.onnx.TrainingMode.TRAINING
        )
    with pytest.raises(ValueError, match=r"PRESERVE with a model in training mode"):
        torch.onnx.export(
            model, torch.randn(2, 4), tmp_path / "m.onnx", training=torch.onnx.TrainingMode.PRESERVE
        )
    model.eval()
    torch.onnx.export(
        model, torch.randn(2, 4), tmp_path / "m.onnx", training=torch.onnx.TrainingMode.PRESERVE
    )
    model.train()
    torch.onnx.export(model, torch.randn(2, 4), tmp_path / "m.onnx")  # EVAL: export in eval mode
    assert model.training and all(m.training for m in model.modules())  # and the mode given back


def test_an_unknown_keyword_is_a_type_error(tmp_path):
    import chainrule as torch

    with pytest.raises(TypeError, match="unexpected keyword argument 'fancy'"):
        torch.onnx.export(_model(torch), torch.randn(2, 4), tmp_path / "m.onnx", fancy=True)


def test_without_onnx_the_attribute_names_the_export_extra():
    code = (
        "import sys; sys.modules['onnx'] = None\n"
        "import chainrule\n"
        "try:\n    chainrule.onnx\nexcept ImportError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "expected the onnx package, got none installed" in out.stdout
    assert "pip install 'chainrule[export]'" in out.stdout
