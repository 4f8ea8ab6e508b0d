"""Differences found by porting pytorch/examples, nanoGPT, makemore and d2l programs (p74 on)."""

import io

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle


def test_save_and_load_through_binary_file_objects_as_word_language_model_does(tmp_path):
    state = {"w": chainrule.arange(6.0).view(2, 3), "step": 3}
    path = tmp_path / "model.pt"
    with open(path, "wb") as f:
        assert chainrule.save(state, f) is None
    with open(path, "rb") as f:  # torch.save's format, so torch reads it too
        theirs = torch.load(f)
    np.testing.assert_array_equal(theirs["w"].numpy(), np.arange(6.0).reshape(2, 3))
    with open(path, "rb") as f:
        ours = chainrule.load(f)
    np.testing.assert_array_equal(ours["w"].numpy(), state["w"].numpy())
    assert ours["step"] == 3
    buffer = io.BytesIO()
    torch.save({"b": torch.ones(2)}, buffer)
    buffer.seek(0)
    np.testing.assert_array_equal(chainrule.load(buffer)["b"].numpy(), np.ones(2, np.float32))


@pytest.mark.parametrize("format", ["npz", "safetensors"])
def test_file_objects_take_the_other_formats_when_asked(format):
    buffer = io.BytesIO()
    chainrule.save({"a": chainrule.ones(3)}, buffer, format=format)
    buffer.seek(0)
    np.testing.assert_array_equal(chainrule.load(buffer)["a"].numpy(), np.ones(3, np.float32))


def test_a_text_stream_is_refused_with_the_mode_to_use():
    with pytest.raises(TypeError, match=r"load: expected a binary file object.*\nHint: .*'rb'"):
        chainrule.load(io.StringIO("PK"))


def test_rnn_modules_have_flatten_parameters_as_a_no_op():
    for kind in ("RNN", "LSTM", "GRU"):
        layer = getattr(chainrule.nn, kind)(3, 4)
        before = [p.numpy().copy() for p in layer.parameters()]
        assert layer.flatten_parameters() is None
        for p, b in zip(layer.parameters(), before):
            np.testing.assert_array_equal(p.numpy(), b)
