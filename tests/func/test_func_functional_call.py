"""functional_call (torch.func and torch.nn.utils.stateless) and stack_module_state against
torch 2.13: dicts, tuples of dicts, strict, tie_weights, buffers, and an ensemble under vmap."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.errors import ArgumentError, StateDictError

pytestmark = pytest.mark.oracle
torch = pytest.importorskip("torch")

rng = np.random.default_rng(72)
X = rng.standard_normal((4, 3)).astype(np.float32)


def _model(lib, seed):
    r = np.random.default_rng(seed)
    model = lib.nn.Sequential(
        lib.nn.Linear(3, 5), lib.nn.BatchNorm1d(5), lib.nn.Tanh(), lib.nn.Linear(5, 2)
    )
    with lib.no_grad():
        for p in model.parameters():
            p.copy_(lib.tensor(r.standard_normal(tuple(p.shape)).astype(np.float32)))
    return model.eval()


def _new_state(lib, model, seed):
    r = np.random.default_rng(seed)
    return {
        k: lib.tensor(r.standard_normal(tuple(v.shape)).astype(np.float32))
        for k, v in model.state_dict().items()
        if v.dtype == lib.float32
    }


@pytest.mark.parametrize("split", [False, True])
def test_functional_call_uses_the_given_tensors_and_puts_the_module_back(split):
    outs = []
    for lib in (cr, torch):
        model = _model(lib, 1)
        before = {k: v.clone() for k, v in model.state_dict().items()}
        state = _new_state(lib, model, 2)
        state = {k: v.abs() if "running_var" in k else v for k, v in state.items()}
        if split:
            params = {k: v for k, v in state.items() if "running" not in k}
            buffers = {k: v for k, v in state.items() if "running" in k}
            state = (params, buffers)
        outs.append(lib.func.functional_call(model, state, lib.tensor(X)))
        for k, v in model.state_dict().items():
            np.testing.assert_array_equal(v.numpy(), before[k].numpy())
    np.testing.assert_allclose(
        outs[0].detach().numpy(), outs[1].detach().numpy(), rtol=1e-5, atol=1e-6
    )


def test_gradients_reach_the_given_tensors_not_the_module():
    grads = []
    for lib in (cr, torch):
        model = _model(lib, 3)
        w = lib.tensor(np.ones((5, 3), np.float32), requires_grad=True)
        out = lib.func.functional_call(model, {"0.weight": w}, (lib.tensor(X),))
        out.sum().backward()
        assert model[0].weight.grad is None
        grads.append(w.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-5, atol=1e-6)


def test_stateless_functional_call_is_the_same_function():
    model = _model(cr, 4)
    a = cr.nn.utils.stateless.functional_call(model, {"0.bias": cr.zeros(5)}, (cr.tensor(X),))
    b = cr.func.functional_call(model, {"0.bias": cr.zeros(5)}, (cr.tensor(X),))
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())


def test_strict_and_repeated_keys():
    model = _model(cr, 5)
    with pytest.raises(StateDictError, match=r"missing keys \['0.bias'"):
        cr.func.functional_call(model, {"0.weight": cr.ones(5, 3)}, (cr.tensor(X),), strict=True)
    with pytest.raises(RuntimeError):
        torch.func.functional_call(
            _model(torch, 5), {"0.weight": torch.ones(5, 3)}, (torch.tensor(X),), strict=True
        )
    with pytest.raises(ArgumentError, match=r"each name in one dict only, got \['0.bias'\]"):
        cr.func.functional_call(
            model, ({"0.bias": cr.ones(5)}, {"0.bias": cr.ones(5)}), cr.tensor(X)
        )


class _Tied:
    def __init__(self, lib):
        class Net(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.a = lib.nn.Linear(3, 3, bias=False)
                self.b = lib.nn.Linear(3, 3, bias=False)
                self.b.weight = self.a.weight

            def forward(self, x):
                return self.b(self.a(x))

        self.net = Net()


@pytest.mark.parametrize("tie", [True, False])
def test_tie_weights(tie):
    outs = []
    for lib in (cr, torch):
        net = _Tied(lib).net
        with lib.no_grad():
            net.a.weight.copy_(lib.tensor(np.eye(3, dtype=np.float32)))
        new = lib.tensor(np.full((3, 3), 0.5, np.float32))
        outs.append(
            lib.func.functional_call(net, {"a.weight": new}, (lib.tensor(X),), tie_weights=tie)
        )
    np.testing.assert_allclose(outs[0].detach().numpy(), outs[1].detach().numpy(), rtol=1e-6)


def test_stack_module_state_and_an_ensemble_under_vmap():
    outs = []
    for lib in (cr, torch):
        models = [_model(lib, s) for s in range(3)]
        params, buffers = lib.func.stack_module_state(models)
        assert tuple(params["0.weight"].shape) == (3, 5, 3) and params["0.weight"].requires_grad
        assert tuple(buffers["1.running_mean"].shape) == (3, 5)
        base = _model(lib, 9)
        out = lib.func.vmap(
            lambda p, b, x, lib=lib, base=base: lib.func.functional_call(base, (p, b), (x,)),
            in_dims=(0, 0, None),
        )(params, buffers, lib.tensor(X))
        out.sum().backward()
        outs.append((out.detach().numpy(), params["3.bias"].grad.numpy()))
    for a, b in zip(*outs):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_stack_module_state_errors():
    with pytest.raises(ArgumentError, match="at least one model, got 0"):
        cr.func.stack_module_state([])
    a, b = cr.nn.Linear(2, 2), cr.nn.Linear(2, 2).eval()
    with pytest.raises(ArgumentError, match="same training/eval mode"):
        cr.func.stack_module_state([a, b])


def test_a_name_the_module_lacks_is_set_for_the_call_only():
    outs = []
    for lib in (cr, torch):

        class Scaled(lib.nn.Module):
            def __init__(self, lib=lib):
                super().__init__()
                self.lin = lib.nn.Linear(3, 2)

            def forward(self, x):
                return self.lin(x) * getattr(self, "scale", 1.0)

        model = Scaled()
        state = {"scale": lib.tensor(3.0), "lin.weight": lib.ones(2, 3), "lin.bias": lib.zeros(2)}
        outs.append(lib.func.functional_call(model, state, (lib.tensor(X),)).detach().numpy())
        assert not hasattr(model, "scale")
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-6)
