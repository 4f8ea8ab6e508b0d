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
        before = [p.detach().numpy().copy() for p in layer.parameters()]
        assert layer.flatten_parameters() is None
        for p, b in zip(layer.parameters(), before):
            np.testing.assert_array_equal(p.detach().numpy(), b)


def test_histogram_defaults_to_100_bins_and_is_a_method_as_histc():
    x = np.linspace(-1, 1, 50, dtype=np.float32)
    ours_hist, ours_edges = chainrule.histogram(chainrule.from_numpy(x), density=True)
    theirs_hist, theirs_edges = torch.histogram(torch.from_numpy(x), density=True)
    np.testing.assert_allclose(ours_hist.numpy(), theirs_hist.numpy(), rtol=1e-6)
    np.testing.assert_allclose(ours_edges.numpy(), theirs_edges.numpy(), rtol=1e-6)
    method = chainrule.from_numpy(x).histogram(5)
    np.testing.assert_array_equal(method.hist.numpy(), torch.from_numpy(x).histogram(5).hist)
    np.testing.assert_array_equal(
        chainrule.from_numpy(x).histc(bins=4).numpy(), torch.from_numpy(x).histc(bins=4).numpy()
    )


NUMPY_NAMED = [
    "x.sum(1, keepdims=True)",
    "x.mean(axis=0, keepdims=True)",
    "x.max(axis=1).values",
    "x.amax(1, keepdims=True)",
    "x.std(0, keepdims=True)",
    "x.var(axis=0)",
    "x.logsumexp(1, keepdims=True)",
    "x.prod(1, keepdims=True)",
    "x.argmax(axis=1)",
    "x.softmax(axis=1)",
    "x.cumsum(axis=1)",
    "x.unsqueeze(axis=0)",
    "x.min(1, keepdims=True).values",
    "x.median(1, keepdims=True).values",
    "lib.sum(x, axis=0, keepdims=True)",
    "lib.cat([x, x], axis=0)",
    "lib.stack([x, x], axis=1)",
    "lib.argmax(x, axis=1, keepdims=True)",
]


@pytest.mark.parametrize("expr", NUMPY_NAMED)
def test_numpy_keyword_names_axis_and_keepdims_are_taken_as_torch_takes_them(expr):
    values = np.arange(6, dtype=np.float32).reshape(2, 3) / 7
    results = []
    for lib in (torch, chainrule):
        x = lib.from_numpy(values.copy())
        results.append(np.asarray(eval(expr, {"x": x, "lib": lib}).numpy()))
    np.testing.assert_allclose(results[1], results[0], rtol=1e-6)


def test_both_spellings_at_once_is_an_error_naming_the_two():
    x = chainrule.ones(2, 3)
    with pytest.raises(TypeError, match=r"mean: expected keepdim= or its NumPy name keepdims="):
        x.mean(1, keepdim=True, keepdims=True)
    assert chainrule.nn.functional.softmax(x, dim=1).shape == (2, 3)


def test_every_top_level_function_torch_also_has_as_a_method_is_one():
    methods = {n for n in dir(torch.Tensor) if not n.startswith("_")}
    ours = {n for n in dir(chainrule.Tensor) if not n.startswith("_")}
    missing = sorted(n for n in methods - ours if callable(getattr(chainrule, n, None)))
    assert missing == []


@pytest.mark.filterwarnings("ignore:torch.lu is deprecated")
@pytest.mark.filterwarnings("ignore:torch.lu_solve is deprecated")
def test_the_linalg2_methods_agree_with_torch():
    a = np.array([[4.0, 3.0], [6.0, 3.0]], dtype=np.float32)
    b = np.array([[1.0], [2.0]], dtype=np.float32)
    results = []
    for lib in (torch, chainrule):
        x = lib.from_numpy(a.copy())
        lu, pivots = x.lu()
        results.append(
            [
                x.frexp()[0].numpy(),
                x.msort().numpy(),
                x.i0().numpy(),
                (x + 2).mvlgamma(2).numpy(),
                x.polygamma(1).numpy(),
                lib.from_numpy(b).lu_solve(lu, pivots).numpy(),
            ]
        )
    for ours, theirs in zip(results[1], results[0]):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5)
