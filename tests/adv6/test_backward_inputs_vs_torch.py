"""adv6: Tensor.backward(inputs=...) and autograd.grad against torch 2.13: what runs, what
accumulates, what is refused, and CPUGraph replays of it."""

import warnings

import numpy as np
import pytest
import torch

import chainrule as cr

LIBS = pytest.mark.parametrize("lib", [cr, torch], ids=["chainrule", "torch"])


def _list(t):
    return None if t is None else t.detach().tolist()


def _both(case):
    return case(cr), case(torch)


def _accumulate_in_place(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    (a * a).sum().backward(inputs=[a])
    first = a.grad  # torch adds the next gradient into this very tensor
    (a * a).sum().backward(inputs=[a])
    return _list(first), _list(a.grad)


def test_backward_inputs_accumulates_into_the_existing_grad_in_place():
    got, want = _both(_accumulate_in_place)
    assert got == want == ([4.0, 8.0], [4.0, 8.0])


def _named_twice(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 1.0], requires_grad=True)
    (a * a * b).sum().backward(inputs=[a, b, a])
    return _list(a.grad), _list(b.grad)


def test_an_input_named_twice_gets_its_gradient_once():
    got, want = _both(_named_twice)
    assert got == want


def _hooks_off_the_path(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 4.0], requires_grad=True)
    seen = []
    a.register_hook(lambda g: seen.append(("a", g.tolist())))
    b.register_hook(lambda g: seen.append(("b", g.tolist())))  # b is no input: torch skips it
    h = a * b
    h.register_hook(lambda g: seen.append(("h", g.tolist())))
    k = b * 2  # off every path to a: no hook, no retained grad
    k.retain_grad()
    h.retain_grad()
    (h * h + k).sum().backward(inputs=[a])
    return seen, _list(a.grad), _list(b.grad), _list(h.grad), _list(k.grad)


def test_only_the_nodes_on_a_path_to_the_inputs_run_their_hooks_and_retain_grad():
    got, want = _both(_hooks_off_the_path)
    assert got == want
    assert [name for name, _ in got[0]] == ["h", "a"]


@LIBS
def test_autograd_grad_runs_no_hook_of_a_leaf_it_was_not_asked_for(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 4.0], requires_grad=True)
    seen = []
    b.register_hook(lambda g: seen.append(g))
    (grad_a,) = lib.autograd.grad((a * b).sum(), [a])
    assert seen == [] and grad_a.tolist() == [3.0, 4.0] and b.grad is None


@LIBS
def test_a_freed_graph_is_refused_with_a_runtime_error(lib):
    # the second backward crashed with AttributeError ('Sum' object has no attribute 'inputs')
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    y = a.exp().sum()
    y.backward(inputs=[a])
    with pytest.raises(RuntimeError, match="(second time|freed)"):
        y.backward(inputs=[a])
    z = a.exp().sum()
    lib.autograd.grad(z, a)
    with pytest.raises(RuntimeError, match="(second time|freed)"):
        lib.autograd.grad(z, a)


@LIBS
def test_an_input_that_is_no_tensor_is_refused(lib):
    # chainrule crashed with AttributeError ('float' object has no attribute 'requires_grad')
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    error = cr.errors.NotATensorError if lib is cr else RuntimeError
    with pytest.raises(error, match="Tensor"):
        (a * 2).sum().backward(inputs=[a, 1.0])
    with pytest.raises(error, match="Tensor"):
        lib.autograd.grad((a * 2).sum(), [np.ones(2)])


def _claims_that_hold(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    b = lib.tensor([3.0, 4.0], requires_grad=True)
    out = []
    (a * b).sum().backward(inputs=(a, b))  # a tuple
    out.append((_list(a.grad), _list(b.grad)))
    (a * 2).sum().backward(inputs=b)  # one tensor, not reached: nothing changes
    out.append((_list(a.grad), _list(b.grad)))
    h = a * 3
    y = (h * h).sum()
    y.backward(inputs=[h], retain_graph=True)  # a non-leaf gets a .grad, its leaf nothing new
    y.backward(inputs=[h, a])
    out.append((_list(h.grad), _list(a.grad), _list(b.grad)))
    c = lib.tensor([1.0, 2.0], dtype=lib.float64, requires_grad=True)
    (c**3).sum().backward(inputs=[c], create_graph=True)
    first = c.grad
    out.append((first.requires_grad, str(first.dtype)[-7:]))
    first.sum().backward(inputs=[c])
    out.append(_list(c.grad))
    for shape in ((), (1,), (1, 1)):  # an implicit root on a leaf, twice
        s = lib.ones(shape, requires_grad=True)
        s.backward()
        s.backward(inputs=[s])
        out.append((tuple(s.grad.shape), _list(s.grad)))
    return out


def test_tuple_single_unreached_nonleaf_create_graph_and_scalar_roots_match_torch():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # torch's create_graph cycle warning
        got, want = _both(_claims_that_hold)
    assert got == want


@LIBS
def test_inputs_that_require_no_grad_and_roots_without_a_graph_are_refused(lib):
    a = lib.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError):
        (a * 2).sum().backward(inputs=[lib.tensor([1.0, 2.0])])
    with pytest.raises(RuntimeError):
        lib.tensor([1.0]).sum().backward(inputs=[a])
    with pytest.raises(RuntimeError):
        (a * 2).backward(inputs=[a])  # no implicit gradient for a non-scalar


@pytest.mark.parametrize("clear", [False, True], ids=["accumulating", "set_to_none"])
def test_a_replayed_backward_into_inputs_gives_eager_bits(clear):
    # finding: the accumulation ran once at capture only: replays left w.grad stale (or None)
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal((3, 2)).astype(np.float32)
    tensors = []
    for _ in range(2):
        w = cr.tensor(w0.copy(), requires_grad=True)
        b = cr.tensor(np.zeros(2, np.float32), requires_grad=True)
        if not clear:
            w.grad = cr.zeros(3, 2)
        tensors.append((w, b))

    def step(w, b, x):
        if clear:
            w.grad = None
        ((x @ w + b) ** 2).sum().backward(inputs=[w])

    (w, b), (we, be) = tensors
    static_x = cr.tensor(rng.standard_normal((4, 3)).astype(np.float32))
    graph = cr.CPUGraph()
    with cr.graph(graph):
        step(w, b, static_x)
    step(we, be, static_x)
    for _ in range(3):
        batch = rng.standard_normal((4, 3)).astype(np.float32)
        static_x.copy_(cr.tensor(batch))
        graph.replay()
        step(we, be, cr.tensor(batch))
        assert w.grad.numpy().tobytes() == we.grad.numpy().tobytes()
        assert b.grad is None and be.grad is None
