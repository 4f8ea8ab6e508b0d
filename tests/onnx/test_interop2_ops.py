"""The ops a user's own forward applies, traced into ONNX: onnxruntime against chainrule and
torch running the same forward (written once against torch's API), with a dynamic batch."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule.errors import ExportError

torch = pytest.importorskip("torch")
pytest.importorskip("onnx")
onnxruntime = pytest.importorskip("onnxruntime")

pytestmark = pytest.mark.oracle

W = np.random.default_rng(3).standard_normal((6, 4)).astype(np.float32)
K = np.random.default_rng(4).standard_normal((2, 1, 3, 3)).astype(np.float32)
K1 = np.random.default_rng(5).standard_normal((3, 2, 2)).astype(np.float32)


def _image(x):
    return x.reshape(-1, 1, 2, 3)


FORWARDS = {
    "view(size(0), -1)": lambda t, x: x.view(x.size(0), -1),
    "reshape(-1, 3)": lambda t, x: x.reshape(-1, 3),
    "reshape(b, 2, 3)": lambda t, x: x.reshape(x.shape[0], 2, 3),
    "flatten": lambda t, x: t.flatten(x.reshape(x.shape[0], 3, 2), 1),
    "permute": lambda t, x: x.reshape(x.shape[0], 2, 3).permute(0, 2, 1) * 1.0,
    "transpose": lambda t, x: x.reshape(x.shape[0], 2, 3).transpose(1, 2) + 0.0,
    "unsqueeze/squeeze": lambda t, x: x.unsqueeze(1).squeeze(1) * 2,
    "cat": lambda t, x: t.cat([x, x * 2], 1),
    "stack": lambda t, x: t.stack([x, -x], 1),
    "mean(1)": lambda t, x: x.mean(1),
    "sum(-1, keepdim)": lambda t, x: x.sum(-1, keepdim=True),
    "mean()": lambda t, x: x.mean() + x * 0,
    "amax/amin": lambda t, x: x.amax(1) - x.amin(1),
    "var": lambda t, x: x.var(1),
    "std": lambda t, x: x.std(1, keepdim=True),
    "softmax": lambda t, x: t.softmax(x, -1),
    "log_softmax": lambda t, x: t.nn.functional.log_softmax(x, dim=1),
    "matmul constant": lambda t, x: x @ t.from_numpy(W),
    "bmm": lambda t, x: t.matmul(x.reshape(-1, 2, 3), x.reshape(-1, 3, 2)),
    "einsum": lambda t, x: t.einsum("bi,ij->bj", x, t.from_numpy(W)),
    "index [:, 0]": lambda t, x: x[:, 0],
    "index [:, 1:4]": lambda t, x: x[:, 1:4],
    "index [..., ::2]": lambda t, x: x[..., ::2],
    "index [:, None]": lambda t, x: x[:, None],
    "index [:, -1]": lambda t, x: x[:, -1],
    "index [:, [0, 2]]": lambda t, x: x[:, [0, 2]],
    "arith": lambda t, x: (x * 2 + 1 - x / 3) ** 2,
    "rsub/rdiv": lambda t, x: 1 - x + 2 / (x.abs() + 1),
    "pow 3": lambda t, x: x**3,
    "unary": lambda t, x: t.exp(x) + t.log(x.abs() + 1) + t.sqrt(x.abs()) + t.sin(x),
    "activations": lambda t, x: t.relu(x) + t.sigmoid(x) + t.tanh(x),
    "functional": lambda t, x: t.nn.functional.gelu(x) + t.nn.functional.silu(x),
    "clamp": lambda t, x: x.clamp(-0.5, 0.5) + x.clamp(min=0.1),
    "expand": lambda t, x: x[:, :1].expand(-1, 4),
    "repeat": lambda t, x: x.repeat(1, 2),
    "pad": lambda t, x: t.nn.functional.pad(x, (1, 2)),
    "pad reflect": lambda t, x: t.nn.functional.pad(x[:, None], (2, 1), mode="reflect"),
    "constant tensor": lambda t, x: x + t.ones(6) * 0.5,
    "maximum": lambda t, x: t.maximum(x, t.zeros(6)),
    "layer_norm": lambda t, x: t.nn.functional.layer_norm(x, (6,)),
    "normalize": lambda t, x: t.nn.functional.normalize(x, dim=1),
    "F.conv2d": lambda t, x: t.nn.functional.conv2d(_image(x), t.from_numpy(K), padding=1),
    "F.conv1d": lambda t, x: t.nn.functional.conv1d(x.reshape(-1, 2, 3), t.from_numpy(K1)),
    "F.max_pool2d": lambda t, x: t.nn.functional.max_pool2d(_image(x), 2, 1, ceil_mode=True),
    "F.avg_pool2d": lambda t, x: t.nn.functional.avg_pool2d(
        _image(x), 2, 2, padding=1, ceil_mode=True, count_include_pad=False
    ),
    "attention": lambda t, x: t.nn.functional.scaled_dot_product_attention(
        x.reshape(-1, 1, 2, 3), x.reshape(-1, 1, 2, 3), x.reshape(-1, 1, 2, 3)
    ),
}


class Forward(cr.nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(cr, x)


@pytest.mark.parametrize("label", list(FORWARDS))
def test_traced_op_matches_chainrule_and_torch(tmp_path, label):
    fn = FORWARDS[label]
    rng = np.random.default_rng(0)
    example = rng.standard_normal((5, 6)).astype(np.float32)
    path = tmp_path / "f.onnx"
    cr.onnx.export(
        Forward(fn), cr.tensor(example), path, input_names=["x"], dynamic_axes={"x": [0]}
    )
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for size in (1, 8):
        x = rng.standard_normal((size, 6)).astype(np.float32)
        got = session.run(None, {"x": x})[0]
        want = fn(cr, cr.tensor(x)).numpy()
        oracle = fn(torch, torch.from_numpy(x)).numpy()
        assert got.shape == want.shape == oracle.shape
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(got, oracle, rtol=1e-4, atol=1e-5)


class Residual(cr.nn.Module):
    """A user's model: layers and ops mixed in its own forward, two inputs, two outputs."""

    def __init__(self):
        super().__init__()
        self.embed = cr.nn.Embedding(10, 6)
        self.proj = cr.nn.Linear(6, 6)
        self.norm = cr.nn.LayerNorm(6)
        self.head = cr.nn.Linear(6, 3)

    def forward(self, tokens, scale):
        h = self.embed(tokens)  # (B, T, 6)
        h = self.norm(h + self.proj(h).relu() * scale[:, None, :])
        pooled = h.mean(1)
        return self.head(pooled).log_softmax(-1), h


def test_a_user_model_with_two_inputs_and_outputs(tmp_path):
    rng = np.random.default_rng(1)
    model = Residual()
    tokens = rng.integers(0, 10, (5, 7))
    scale = rng.standard_normal((5, 6)).astype(np.float32)
    path = tmp_path / "r.onnx"
    proto = cr.onnx.export(
        model,
        (cr.tensor(tokens), cr.tensor(scale)),
        path,
        input_names=["tokens", "scale"],
        output_names=["logp", "hidden"],
        dynamic_axes={"tokens": {0: "batch", 1: "time"}, "scale": {0: "batch"}},
    )
    assert [i.name for i in proto.graph.input] == ["tokens", "scale"]
    assert [o.name for o in proto.graph.output] == ["logp", "hidden"]
    assert {i.name for i in proto.graph.initializer} >= {"embed.weight", "head.weight"}
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    for batch, time in ((2, 3), (9, 11)):
        t = rng.integers(0, 10, (batch, time))
        s = rng.standard_normal((batch, 6)).astype(np.float32)
        got = session.run(None, {"tokens": t, "scale": s})
        want = [y.detach().numpy() for y in model(cr.tensor(t), cr.tensor(s))]
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-5)


class Comparing(cr.nn.Module):
    def forward(self, x):
        return cr.where(x > 0, x, x * 0.1)  # x > 0 is NumPy's: the trace cannot see it


class Argmax(cr.nn.Module):
    def forward(self, x):
        return x.argmax(1)


class Reading(cr.nn.Module):
    def forward(self, x):
        return x * 2 if x.sum().item() > 0 else x


def test_what_a_trace_cannot_see_is_refused(tmp_path):
    x = cr.tensor(np.random.default_rng(2).standard_normal((5, 6)).astype(np.float32))
    with pytest.raises(ExportError, match=r"expected the ONNX graph to match the model on a "):
        cr.onnx.export(Comparing(), x, tmp_path / "c.onnx")
    with pytest.raises(
        ExportError, match=r"expected outputs computed from the inputs, got output 0"
    ):
        cr.onnx.export(Argmax(), x, tmp_path / "a.onnx")
    with pytest.raises(ExportError, match=r"onnx.export\(the model: Reading\): expected a forward"):
        cr.onnx.export(Reading(), x, tmp_path / "r.onnx")
    assert list(tmp_path.iterdir()) == []


def test_forward_hooks_run_inside_the_trace_and_stay_registered(tmp_path):
    """torch's old weight_norm recomputes the weight in a forward pre-hook; a forward hook may
    change the output. Both are traced, and both are still there after export."""
    rng = np.random.default_rng(3)
    with pytest.warns(FutureWarning):
        first = cr.nn.utils.weight_norm(cr.nn.Linear(3, 4))
    model = cr.nn.Sequential(first, cr.nn.ReLU(), cr.nn.Linear(4, 2))
    model[2].register_forward_hook(
        lambda module, args, output: output * 2 + args[0].sum(1, keepdim=True)
    )
    model[1].register_forward_pre_hook(lambda module, args: (args[0] - 0.1,))
    example = rng.standard_normal((5, 3)).astype(np.float32)
    path = tmp_path / "h.onnx"
    cr.onnx.export(model, cr.tensor(example), path, dynamic_axes={"input": [0]})
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    x = rng.standard_normal((9, 3)).astype(np.float32)
    np.testing.assert_allclose(
        session.run(None, {"input": x})[0],
        model(cr.tensor(x)).detach().numpy(),
        rtol=1e-5,
        atol=1e-5,
    )
    assert model[2]._forward_hooks is not None and "forward" not in model[2].__dict__
