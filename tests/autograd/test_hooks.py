"""Tensor.register_hook / retain_grad and Module forward hooks, each program run under torch
and chainrule with the same code."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule
from chainrule.errors import GraphError

pytestmark = pytest.mark.oracle

LIBS = [torch, chainrule]


def _both(program):
    expected, got = program(torch), program(chainrule)
    np.testing.assert_equal(got, expected)
    return got


def _lists(*tensors):
    return [None if t is None else t.tolist() for t in tensors]


def test_a_hook_on_a_computed_tensor_replaces_its_gradient_for_the_rest_of_backward():
    def program(lib):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y.retain_grad()
        y.register_hook(lambda g: g * 10)
        (y * y).sum().backward()
        return _lists(x.grad, y.grad) + [y.retains_grad, x.retains_grad]

    assert _both(program)[0] == [80.0, 160.0, 240.0]


def test_a_leaf_hook_sees_the_gradient_summed_over_every_path_and_shapes_its_grad():
    def program(lib):
        w = lib.tensor([1.0, -1.0], requires_grad=True)
        seen = []
        w.register_hook(lambda g: seen.append(g.tolist()))
        w.register_hook(lambda g: g.clamp(min=0.0) + 1)
        (w * 3 + w * w).sum().backward()
        return seen + _lists(w.grad)

    assert _both(program) == [[5.0, 1.0], [6.0, 2.0]]


def test_hooks_run_once_per_backward_in_registration_order_and_remove_takes_them_out():
    def program(lib):
        a = lib.tensor([2.0], requires_grad=True)
        b = a * a
        calls = []
        first = b.register_hook(lambda g: calls.append(("first", g.item())))
        b.register_hook(lambda g: calls.append(("second", g.item())))
        (b + b * 3).sum().backward(retain_graph=True)
        first.remove()
        (b * 2).sum().backward()
        return calls + _lists(a.grad)

    assert _both(program) == [("first", 4.0), ("second", 4.0), ("second", 2.0), [24.0]]


def test_retain_grad_keeps_the_gradient_after_every_hook_whatever_the_order():
    def program(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x + 0
        y.retain_grad()
        y.register_hook(lambda g: g * 3)
        y.sum().backward()
        return _lists(y.grad, x.grad)

    assert _both(program) == [[3.0, 3.0], [3.0, 3.0]]


def test_hooks_fire_for_autograd_grad_too():
    def program(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = x * x
        y.register_hook(lambda g: g * 2)
        (gx,) = lib.autograd.grad(y.sum(), x)
        return _lists(gx, x.grad)

    assert _both(program) == [[4.0, 8.0], None]


@pytest.mark.parametrize("lib", LIBS, ids=["torch", "chainrule"])
def test_a_hook_on_a_tensor_without_grad_is_refused(lib):
    with pytest.raises(RuntimeError, match="requires grad|require gradient"):
        lib.tensor([1.0]).register_hook(lambda g: g)


def test_a_hook_returning_the_wrong_shape_or_type_names_what_it_expected():
    x = chainrule.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g.sum())
    with pytest.raises(
        GraphError, match=r"register_hook: expected .* shape \(2,\).*got shape \(\)"
    ):
        (x * 2).sum().backward()
    y = chainrule.tensor([1.0], requires_grad=True)
    y.register_hook(lambda g: [1.0])
    with pytest.raises(GraphError, match="got list"):
        (y * 2).sum().backward()
    with pytest.raises(TypeError, match="register_hook: expected a callable, got int"):
        y.register_hook(3)


def test_a_python_hook_inside_a_cpugraph_capture_is_refused():
    w = chainrule.nn.Parameter(chainrule.tensor([1.0, 2.0]))
    w.register_hook(lambda g: g * 2)
    graph = chainrule.CPUGraph()
    with pytest.raises(GraphError, match="CPUGraph capture"):
        with chainrule.graph(graph):
            (w * w).sum().backward()


def _weights(lib, module):
    rng = np.random.default_rng(0)
    with lib.no_grad():
        for p in module.parameters():
            p.copy_(lib.tensor(rng.standard_normal(tuple(p.shape)).astype(np.float32)))
    return module


def test_forward_hooks_read_and_replace_inputs_and_outputs():
    def program(lib):
        model = _weights(
            lib, lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 2))
        )
        features, order = {}, []
        model[1].register_forward_hook(lambda m, args, out: features.update(relu=out.tolist()))
        model[0].register_forward_pre_hook(lambda m, args: (args[0] * 2,))
        model[2].register_forward_hook(lambda m, args, out: out + 1)
        model[2].register_forward_hook(lambda m, args, out: order.append("late"))
        model[2].register_forward_hook(lambda m, args, out: order.append("early"), prepend=True)
        handle = model[2].register_forward_hook(lambda m, args, out: out * 0)
        handle.remove()
        x = lib.tensor(np.linspace(-1, 1, 6, dtype=np.float32).reshape(2, 3))
        out = model(x)
        return [
            np.round(out.detach().numpy(), 5).tolist(),
            np.round(features["relu"], 5).tolist(),
            order,
        ]

    _both(program)


def test_forward_hooks_with_kwargs():
    def program(lib):
        layer = _weights(lib, lib.nn.Linear(2, 2))
        seen = []

        def pre(module, args, kwargs):
            return (args[0] + 1,), kwargs

        layer.register_forward_pre_hook(pre, with_kwargs=True)
        layer.register_forward_hook(
            lambda m, args, kwargs, out: seen.append(sorted(kwargs)), with_kwargs=True
        )
        out = layer(lib.ones(1, 2))
        return [np.round(out.detach().numpy(), 5).tolist(), seen]

    _both(program)


def test_a_forward_hook_with_always_call_runs_when_forward_raises():
    def program(lib):
        layer = lib.nn.Linear(2, 2)
        calls = []
        layer.register_forward_hook(lambda m, a, o: calls.append("always"), always_call=True)
        layer.register_forward_hook(lambda m, a, o: calls.append("normal"))
        with pytest.raises((RuntimeError, ValueError)):
            layer(lib.ones(1, 3))
        return calls

    assert _both(program) == ["always"]


def test_the_legacy_module_backward_hook_is_refused_with_a_way_round():
    with pytest.raises(NotImplementedError, match="register_full_backward_hook"):
        chainrule.nn.Linear(2, 2).register_backward_hook(lambda m, gi, go: None)


@pytest.mark.parametrize("lib", LIBS, ids=["torch", "chainrule"])
def test_add_and_sub_scale_the_other_operand_by_alpha(lib):
    x = lib.tensor([1.0, 2.0])
    assert x.add(x, alpha=3).tolist() == [4.0, 8.0]
    assert x.sub(1, alpha=2).tolist() == [-1.0, 0.0]
    assert lib.add(x, 1, alpha=2).tolist() == [3.0, 4.0]
    assert lib.sub(x, x, alpha=0.5).tolist() == [0.5, 1.0]


def test_a_module_forward_hook_inside_a_cpugraph_capture_is_refused():
    layer = chainrule.nn.Linear(2, 1)
    seen = []
    handle = layer.register_forward_hook(lambda m, a, out: seen.append(out))
    graph = chainrule.CPUGraph()
    with pytest.raises(GraphError, match="Linear: expected no forward hook inside a CPUGraph"):
        with chainrule.graph(graph):
            layer(chainrule.ones(1, 2)).sum().backward()
    handle.remove()
    with chainrule.graph(chainrule.CPUGraph()):  # without the hook the capture goes through
        layer.zero_grad()
        layer(chainrule.ones(1, 2)).sum().backward()


def test_shape_and_dtype_errors_are_runtime_errors_as_torch_raises():
    with pytest.raises(RuntimeError):
        chainrule.nn.Linear(3, 2)(chainrule.ones(2, 5))
    with pytest.raises(RuntimeError):
        chainrule.nn.Linear(3, 2)(chainrule.ones(2, 3, dtype=chainrule.float64))


def test_the_gradient_clipping_hook_idiom_on_every_parameter():
    def program(lib):
        model = _weights(lib, lib.nn.Linear(2, 2))
        for p in model.parameters():
            p.register_hook(lambda g: g.clamp_(-0.01, 0.01))
        model(lib.ones(3, 2)).sum().backward()
        return [np.asarray(p.grad).round(6).tolist() for p in model.parameters()]

    assert np.allclose(_both(program)[1], 0.01)
