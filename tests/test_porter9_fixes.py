"""Differences found by porting fast.ai's course notebooks and other programs (p82 on)."""

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle


def _hook_tables(lib):
    layer = lib.nn.Linear(2, 2)
    tables = [layer._forward_hooks, layer._forward_pre_hooks]
    tables += [layer._backward_hooks, layer._backward_pre_hooks]
    before = [len(t) for t in tables]
    seen = []
    handles = [
        layer.register_forward_hook(lambda m, i, o: seen.append("post")),
        layer.register_forward_pre_hook(lambda m, i: seen.append("pre")),
        layer.register_forward_pre_hook(lambda m, i: seen.append("pre2")),
        layer.register_full_backward_hook(lambda m, gi, go: None),
    ]
    during = [len(t) for t in (layer._forward_hooks, layer._forward_pre_hooks)]
    during += [len(layer._backward_hooks), len(layer._backward_pre_hooks)]
    callables = all(callable(h) for h in layer._forward_pre_hooks.values())
    handles[0].remove()
    after_remove = len(layer._forward_hooks)
    layer._forward_pre_hooks.clear()
    layer(lib.ones(1, 2))
    return before, during, callables, after_remove, len(layer._forward_pre_hooks), seen


def test_modules_hook_tables_read_as_torchs_ordered_dicts():
    # fastai's Hooks and torch's prune count, list and clear module._forward_hooks & co.
    assert _hook_tables(chainrule) == _hook_tables(torch)


def test_a_fresh_module_has_empty_hook_tables_and_no_extra_cost_path():
    layer = chainrule.nn.Linear(2, 2)
    assert len(layer._forward_hooks) == 0 and not list(layer._forward_hooks.items())
    assert "_forward_hooks" not in layer.__dict__  # the shared empty table, never written
    handle = layer.register_forward_hook(lambda m, i, o: o * 2)
    assert len(layer._forward_hooks) == 1 and len(chainrule.nn.Linear(1, 1)._forward_hooks) == 0
    handle.remove()


def _grads_after_changing_the_output(lib, op):
    a = lib.tensor([0.5, -1.5, 0.25], requires_grad=True)
    b = lib.tensor([1.5, 2.0, -3.0], requires_grad=True)
    y = op(lib, a, b)
    y.mul_(2.0).add_(1.0)  # torch saved the inputs, not y, so this is allowed
    y.pow(2).sum().backward()
    return [t.grad.numpy() if t.grad is not None else None for t in (a, b)]


@pytest.mark.parametrize(
    "op",
    [
        lambda lib, a, b: a / b,  # fastai's RunningBatchNorm: (x - m).div_(s).mul_(g)
        lambda lib, a, b: (a * 1.0).div_(b),
        lambda lib, a, b: a / 4.0,
        lambda lib, a, b: lib.nn.functional.elu(a * b, alpha=0.7),
        lambda lib, a, b: lib.erfinv(a * 0.5),
    ],
    ids=["div", "div_", "div_scalar", "elu", "erfinv"],
)
def test_ops_that_save_their_inputs_let_their_output_change_in_place(op):
    ours = _grads_after_changing_the_output(chainrule, op)
    theirs = _grads_after_changing_the_output(torch, op)
    for mine, reference in zip(ours, theirs):
        if reference is None:
            assert mine is None
        else:
            np.testing.assert_allclose(mine, reference, rtol=1e-5, atol=1e-6)


def test_ops_that_save_their_output_still_refuse_a_changed_output():
    x = chainrule.tensor([0.5, 1.0], requires_grad=True)
    y = x.exp()
    y.mul_(2.0)
    with pytest.raises(chainrule.errors.GraphError, match="output modified"):
        y.sum().backward()


def _lists(lib):
    nn = lib.nn
    blocks = [nn.Linear(2, 2), nn.Linear(2, 2), nn.Linear(2, 3), nn.Sequential(nn.ReLU())]
    blocks += [nn.Sequential(nn.ReLU()), nn.Sequential(nn.ReLU()), nn.Linear(2, 2)]
    layer = nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0)
    return [
        str(nn.ModuleList(blocks)),
        str(nn.ModuleList()),
        str(nn.ModuleList([nn.Tanh()])),
        str(nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))),  # Sequential does not compress
        str(nn.TransformerEncoder(layer, 3, enable_nested_tensor=False)),
    ]


def test_module_list_prints_runs_of_alike_children_once_as_torch():
    # fastai's TabularModel prints its embeddings as (3-4): 2 x Embedding(3, 3)
    for ours, theirs in zip(_lists(chainrule), _lists(torch)):
        assert ours == theirs


def _variable_and_storage(lib):
    from_np = lib.from_numpy(np.arange(6, dtype=np.float32).reshape(2, 3))
    Variable = lib.autograd.Variable
    leaf = Variable(from_np, requires_grad=True)
    made = lib.ones(2, requires_grad=True) * 2
    cut = Variable(made)
    view = from_np.t()
    return [
        leaf is from_np,
        leaf.requires_grad,
        leaf.is_leaf,
        leaf.data_ptr() == from_np.data_ptr(),
        cut.requires_grad,
        cut.grad_fn is None,
        isinstance(from_np, Variable),
        isinstance(3, Variable),
        from_np.storage().tolist(),
        view.storage().tolist(),  # a view's storage is its base's memory, in memory order
        len(view[1].storage()),
        from_np.storage()[4],
        from_np.storage().element_size(),
    ]


def test_variable_and_storage_as_old_scripts_use_them():
    import warnings

    with warnings.catch_warnings():  # torch says TypedStorage is deprecated
        warnings.filterwarnings("ignore", "TypedStorage is deprecated")
        theirs = _variable_and_storage(torch)
    assert _variable_and_storage(chainrule) == theirs
    with pytest.raises(TypeError, match="Variable: expected data to be a Tensor, got list"):
        chainrule.autograd.Variable([1.0, 2.0])


def test_lr_scheduler_subclassed_through_the_old_name():
    def lrs(lib):
        class Warmup(lib.optim.lr_scheduler._LRScheduler):
            def get_lr(self):
                return [base * min(1.0, (self.last_epoch + 1) / 3) for base in self.base_lrs]

        opt = lib.optim.SGD([lib.nn.Parameter(lib.zeros(1))], lr=0.3)
        sched = Warmup(opt)
        seen = []
        for _ in range(4):
            opt.step()
            sched.step()
            seen.append(sched.get_last_lr()[0])
        return seen, isinstance(sched, lib.optim.lr_scheduler.LRScheduler)

    ours, theirs = lrs(chainrule), lrs(torch)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-6)
    assert ours[1] and theirs[1]


def _parametrized_prints_and_cache(lib):
    nn, parametrize = lib.nn, lib.nn.utils.parametrize

    class Symmetric(nn.Module):
        def forward(self, X):
            calls.append(1)
            return X.triu() + X.triu(1).transpose(-1, -2)

    calls = []
    layer = nn.Linear(3, 3)
    parametrize.register_parametrization(layer, "weight", Symmetric())
    _ = layer.weight, layer.weight
    outside = len(calls)
    with parametrize.cached():
        with parametrize.cached():  # nested: one cache until the outermost block ends
            first = layer.weight
        same = layer.weight is first
    after = layer.weight is first

    class Block(nn.Module):  # extra_repr and children: the extra line goes inside, as torch's
        def __init__(self):
            super().__init__()
            self.inner = nn.Linear(2, 2)

        def extra_repr(self):
            return "scale=2\nmode=fast"

    return [outside, len(calls) - outside, same, after, str(layer), str(Block())]


def test_parametrize_cached_and_the_print_of_a_parametrized_module():
    assert _parametrized_prints_and_cache(chainrule) == _parametrized_prints_and_cache(torch)
