"""Every op torch documents as returning a view (tensor_view.html), against torch 2.13: a write
into the view reaches the base, a write into the base shows in the view, and an in-place op on
the view of a tensor in the graph gives torch's gradients."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule as cr


def _lib(t):
    return torch if isinstance(t, torch.Tensor) else cr


# name -> the view, taken of a (3, 4) tensor; each keeps every element apart (no overlap)
VIEWS = {
    "slice": lambda t: t[1:3, ::2],
    "int index": lambda t: t[1],
    "as_strided": lambda t: t.as_strided((2, 2), (1, 4), 1),
    "detach": lambda t: t.detach(),
    "diagonal": lambda t: t.diagonal(),
    "diagonal(1)": lambda t: t.diagonal(1),
    "diagonal(-1, 1, 0)": lambda t: _lib(t).diagonal(t, -1, 1, 0),
    "movedim": lambda t: t.movedim(0, 1),
    "narrow": lambda t: t.narrow(1, 1, 2),
    "permute": lambda t: t.permute(1, 0),
    "select": lambda t: t.select(1, 2),
    "squeeze": lambda t: t[None].squeeze(0),
    "transpose": lambda t: t.transpose(0, 1),
    "t": lambda t: t.t(),
    "T": lambda t: t.T,
    "mT": lambda t: t.mT,
    "H": lambda t: t.H,
    "mH": lambda t: t.mH,
    "unflatten": lambda t: t.unflatten(1, (2, 2)),
    "unfold (apart)": lambda t: t.unfold(1, 2, 2),
    "unsqueeze": lambda t: t.unsqueeze(0),
    "view": lambda t: t.view(4, 3),
    "view of t()": lambda t: t.t().view(2, 2, 3),
    "view_as": lambda t: t.view_as(t.reshape(2, 6)),
    "unbind": lambda t: t.unbind(0)[1],
    "split": lambda t: t.split(1, 0)[0],
    "split_with_sizes": lambda t: t.split_with_sizes([1, 2], 0)[1],
    "chunk": lambda t: t.chunk(3, 0)[1],
    "swapaxes": lambda t: t.swapaxes(0, 1),
    "swapdims": lambda t: t.swapdims(0, 1),
    "reshape": lambda t: t.reshape(2, 6),
    "flatten": lambda t: t.flatten(),
    "contiguous": lambda t: t.contiguous(),
}
# views torch refuses to write in place in the graph (see test_refusals.py)
MULTI_OUTPUT = {"unbind", "split", "split_with_sizes", "chunk"}
WRITES = {
    "add_": lambda v: v.add_(1),
    "setitem": lambda v: v.__setitem__(0, 5.0),
    "zero_": lambda v: v.zero_(),
    "mul_ tensor": lambda v: v.mul_(v.detach() * 0 + 3),
}


def _base(lib):
    return lib.tensor(np.arange(12.0).reshape(3, 4))


@pytest.mark.parametrize("write", WRITES)
@pytest.mark.parametrize("name", VIEWS)
def test_a_write_into_the_view_reaches_the_base(name, write):
    results = []
    for lib in (cr, torch):
        x = _base(lib)
        WRITES[write](VIEWS[name](x))
        results.append(x.numpy().copy())
    np.testing.assert_array_equal(*results)


@pytest.mark.parametrize("name", VIEWS)
def test_a_write_into_the_base_shows_in_the_view(name):
    results = []
    for lib in (cr, torch):
        x = _base(lib)
        view = VIEWS[name](x)
        x.mul_(10).add_(1)
        x[0, 1] = -7.0
        results.append(view.numpy().copy())
    np.testing.assert_array_equal(*results)


@pytest.mark.parametrize("name", sorted(set(VIEWS) - MULTI_OUTPUT - {"detach"}))
def test_an_in_place_op_on_a_view_in_the_graph_gives_torchs_gradients(name):
    values = np.random.default_rng(0).standard_normal((3, 4))
    weights = np.random.default_rng(1).standard_normal((3, 4))
    results = []
    for lib in (cr, torch):
        x = lib.tensor(values, requires_grad=True)
        s = lib.tensor(0.5, dtype=lib.float64, requires_grad=True)
        y = x * 1.0
        view = VIEWS[name](y)
        view.mul_(view.detach() * 0 + 3.0)
        view.add_(s * s)  # a write whose value has a gradient of its own
        (y * lib.tensor(weights)).sum().backward()
        results.append((y.detach().numpy().copy(), x.grad.numpy().copy(), s.grad.numpy().copy()))
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", sorted(set(VIEWS) - MULTI_OUTPUT - {"detach"}))
def test_the_view_itself_after_the_write_gives_torchs_gradients(name):
    values = np.random.default_rng(2).standard_normal((3, 4))
    results = []
    for lib in (cr, torch):
        x = lib.tensor(values, requires_grad=True)
        view = VIEWS[name](x * 2.0)
        view.mul_(3.0).add_(1.0)
        (view * view).sum().backward()
        results.append(x.grad.numpy().copy())
    np.testing.assert_allclose(*results, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", VIEWS)
def test_memory_answers_match_torch(name):
    answers = []
    for lib in (cr, torch):
        x = _base(lib)
        view = VIEWS[name](x)
        offset = (view.data_ptr() - x.data_ptr()) // x.element_size()
        base = view._base
        answers.append(
            (
                view.is_contiguous(),
                offset,
                view.stride(),
                None if base is None else base.data_ptr() == x.data_ptr(),
                view.untyped_storage().data_ptr() == x.untyped_storage().data_ptr(),
                view.untyped_storage().nbytes(),
            )
        )
    assert answers[0] == answers[1]


def test_base_is_the_first_tensor_of_a_chain_of_views():
    x = cr.zeros(3, 4)
    assert x._base is None
    assert x.t()[1:]._base is x
    assert x.diagonal()._base is x
    assert x.detach()._base is None  # torch's detach is a view with no _base too
