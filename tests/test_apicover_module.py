"""Module methods real scripts call: full backward hooks and pre-hooks (torch's semantics),
requires_grad_, state_dict's prefix/keep_vars/destination, registration and lookup by name."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule
from chainrule.errors import GraphError

pytestmark = pytest.mark.oracle  # compared with PyTorch

W = np.arange(6, dtype=np.float32).reshape(2, 3) / 10


def _listed(grads):
    return [None if g is None else g.tolist() for g in grads]


def _linear(lib):
    layer = lib.nn.Linear(3, 2)
    with lib.no_grad():
        layer.weight.copy_(lib.tensor(W))
        layer.bias.zero_()
    return layer


def _hooked_program(lib):
    layer, seen = _linear(lib), []

    def pre(module, grad_output):
        seen.append(("pre", _listed(grad_output)))
        return (grad_output[0] * 2,)

    def full(module, grad_input, grad_output):
        seen.append(("full", _listed(grad_input), _listed(grad_output)))
        return None if grad_input[0] is None else (grad_input[0] + 1,)

    layer.register_full_backward_pre_hook(pre)
    handle = layer.register_full_backward_hook(full)
    x = lib.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    (layer(x) * lib.tensor([[1.0, -1.0]])).sum().backward()
    result = [seen[:], x.grad.tolist(), layer.weight.grad.tolist()]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer(lib.ones(1, 3)).sum().backward()  # no input requires grad: fired from the output
    result.append((seen[2:], [str(w.message)[:60] for w in caught]))
    handle.remove()
    seen.clear()
    layer(x).sum().backward()
    result.append(seen[:])
    return result


def test_full_backward_hooks_see_and_replace_gradients_as_torchs():
    assert _hooked_program(chainrule) == _hooked_program(torch)


def _two_input_program(lib):
    class Two(lib.nn.Module):
        def forward(self, a, b, k):
            return a * b * k, a + 0

    module, got = Two(), []
    module.register_full_backward_hook(lambda m, gi, go: got.append((_listed(gi), _listed(go))))
    module.register_full_backward_hook(lambda m, gi, go: (gi[0] * 10, gi[1], gi[2]))
    a, b = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([3.0, 4.0])
    c = lib.tensor([5.0, 6.0], requires_grad=True)
    p, q = module(a, b, 2.0)
    (p.sum() + 3 * q.sum()).backward()
    p, q = module(a, c, 2.0)
    (p * q).sum().backward()
    return got, a.grad.tolist(), c.grad.tolist()


def test_backward_hooks_on_several_inputs_and_outputs_as_torchs():
    assert _two_input_program(chainrule) == _two_input_program(torch)


def test_a_wrong_number_of_replacement_gradients_is_refused():
    layer = _linear(chainrule)
    layer.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
    x = chainrule.ones(1, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match="invalid number of grad_input, got 2, but expected 1"):
        layer(x).sum().backward()


def test_a_backward_hook_inside_a_cpugraph_capture_is_refused():
    layer = _linear(chainrule)
    layer.register_full_backward_hook(lambda m, gi, go: None)
    graph = chainrule.CPUGraph()
    with pytest.raises(GraphError, match="expected no module hook inside a CPUGraph capture"):
        with chainrule.graph(graph):
            layer(chainrule.ones(1, 3))


def _module_program(lib):
    nn = lib.nn
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 1)))
    out = []
    model.requires_grad_(False)
    out.append([p.requires_grad for p in model.parameters()])
    out.append(model.requires_grad_() is model)
    out.append(list(model.state_dict(prefix="model.")))
    out.append(model.state_dict(keep_vars=True)["0.weight"] is model[0].weight)
    destination = {}
    out.append(model.state_dict(destination=destination, prefix="x.") is destination)
    out.append(list(destination))
    out.append(type(model.get_submodule("2.0")).__name__)
    out.append(model.get_parameter("2.0.bias") is model[2][0].bias)
    for target in ("2.5", "0.foo", "1.weight"):
        try:
            model.get_parameter(target) if target != "2.5" else model.get_submodule(target)
        except AttributeError as error:
            out.append(str(error))
    model.register_module("head", nn.Linear(1, 1))
    model.add_module("tail", nn.Identity())
    out.append(list(dict(model.named_children())))
    out.append(model(lib.ones(4, 2)).shape[1])
    model.to_empty(device="cpu")
    out.append(tuple(model[0].weight.shape))
    out.append(model.share_memory() is model)
    with pytest.raises(KeyError):
        model.add_module("a.b", nn.Identity())
    return out


def test_module_methods_as_torchs():
    assert _module_program(chainrule) == _module_program(torch)


def test_state_dict_copies_unless_keep_vars():
    layer = chainrule.nn.Linear(2, 2)
    plain = layer.state_dict()
    assert plain["weight"] is not layer.weight
    assert layer.state_dict(keep_vars=True)["weight"] is layer.weight
    assert list(layer.state_dict(None, "p.", False)) == ["p.weight", "p.bias"]


def test_forward_pre_hook_with_kwargs_runs_as_torchs():
    def program(lib):
        layer = _linear(lib)
        layer.register_forward_pre_hook(
            lambda m, args, kwargs: ((args[0] * 2,), kwargs), with_kwargs=True
        )
        return layer(lib.ones(1, 3)).tolist()

    assert program(chainrule) == program(torch)
