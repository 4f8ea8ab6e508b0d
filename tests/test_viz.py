"""chainrule.viz: the DOT text of a recorded graph, checked structurally against autograd."""

import re
import shutil

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn, viz
from chainrule.errors import GraphError


def _nodes(source):
    """node id -> label, for the tensors (records) and the Functions (ellipses)."""
    return dict(re.findall(r'^  (n\d+) \[shape=\w+.*?label="(.*)"\];$', source, flags=re.M))


def _edges(source):
    return re.findall(r"^  (n\d+) -> (n\d+);$", source, flags=re.M)


def _regression_loss(dtype):
    theta = cr.tensor(np.array([[0.5, -1.0]], dtype=dtype), requires_grad=True)
    inputs = cr.tensor(np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 5.0]], dtype=dtype))
    targets = cr.tensor(np.array([[1.0], [2.0], [4.0]], dtype=dtype))
    return nn.functional.mse_loss(inputs @ theta.T, targets), theta, inputs


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_one_node_per_tensor_and_function_with_shapes_and_dtypes(dtype):
    loss, theta, inputs = _regression_loss(dtype)
    g = viz.graph(loss, names={"theta": theta, "X": inputs})
    nodes = _nodes(g.source)
    functions = [label for label in nodes.values() if not label.startswith("{")]
    tensors = [label for label in nodes.values() if label.startswith("{")]
    assert len(functions) == len(g.functions) and len(tensors) == len(g.tensors)
    assert sorted(functions) == sorted(type(f).__name__ for f in g.functions.values())
    name = np.dtype(dtype).name
    assert any(label.startswith(f"{{theta (1, 2) {name}") for label in tensors)
    assert any(label.startswith(f"{{X (3, 2) {name}") for label in tensors)
    assert any(label.startswith(f"{{loss () {name}") for label in tensors)
    # every edge joins a tensor and a Function, and the loss has no outgoing edge
    kinds = {node: label.startswith("{") for node, label in nodes.items()}
    edges = _edges(g.source)
    assert edges and all(kinds[a] != kinds[b] for a, b in edges)
    loss_node = next(n for n, label in nodes.items() if label.startswith("{loss"))
    assert all(a != loss_node for a, _ in edges)
    assert sum(b == loss_node for _, b in edges) == 1


def test_gradients_in_the_graph_are_the_ones_backward_gives():
    loss, theta, inputs = _regression_loss(np.float64)
    g = viz.graph(loss, names={"theta": theta, "X": inputs})
    shown = g.grads[id(theta)].copy()
    assert theta.grad is None  # drawing leaves .grad alone
    loss.backward()
    np.testing.assert_allclose(shown, np.asarray(theta.grad), rtol=1e-15)
    label = _nodes(g.source)
    theta_label = next(v for v in label.values() if v.startswith("{theta"))
    expected = np.array2string(np.asarray(theta.grad), precision=4, separator=", ")
    assert theta_label.endswith(f"|grad {expected}}}")


def test_large_tensors_show_the_gradient_norm():
    rng = np.random.default_rng(0)
    weight = cr.tensor(rng.normal(size=(3, 4)), requires_grad=True)
    loss = (cr.tensor(rng.normal(size=(5, 4))) @ weight.T).sum()
    g = viz.graph(loss, names={"weight": weight})
    weight_label = next(v for v in _nodes(g.source).values() if v.startswith("{weight"))
    loss.backward()
    assert f"grad norm {np.linalg.norm(np.asarray(weight.grad)):.4g}" in weight_label
    assert "data" not in weight_label  # 12 values are too many to print


def test_a_freed_graph_is_a_clear_error_and_retain_graph_keeps_it():
    loss, theta, _ = _regression_loss(np.float64)
    loss.backward(retain_graph=True)
    g = viz.graph(loss, names={"theta": theta})
    assert len(g.functions) >= 2
    loss.backward()
    with pytest.raises(
        GraphError,
        match=r"viz.graph: expected a graph that backward has not freed.*\nHint: draw before loss.backward\(\)",
    ):
        viz.graph(loss)


def test_not_a_tensor():
    with pytest.raises(TypeError, match=r"viz.graph: expected a Tensor, got ndarray"):
        viz.graph(np.zeros(3))


def test_without_graphviz_the_notebook_shows_the_dot_text_and_how_to_get_svg():
    loss, theta, _ = _regression_loss(np.float64)
    g = viz.graph(loss, names={"theta": theta})
    bundle = g._repr_mimebundle_()
    if shutil.which("dot") is not None:
        assert bundle["image/svg+xml"].lstrip().startswith("<?xml")
        return
    text = bundle["text/plain"]
    assert "expected Graphviz's dot program" in text or "pip install" in text
    assert g.source in text
    with pytest.raises((RuntimeError, ImportError), match="pip install|apt install graphviz"):
        g.svg()


@pytest.mark.skipif(
    shutil.which("dot") is None,
    reason="renders only where Graphviz's dot is installed; the DOT tests above always run",
)
def test_render_svg(tmp_path):
    loss, theta, _ = _regression_loss(np.float64)
    g = viz.graph(loss, names={"theta": theta})
    out = g.render(str(tmp_path / "graph"))
    with open(out) as svg:
        assert svg.read().count('class="node"') == len(g.tensors) + len(g.functions)
