"""What torch refuses about views, chainrule refuses too, with its own error template: in-place
ops on a view of a leaf that requires grad, on the pieces of split/chunk/unbind in the graph, on
expand()'s overlapping memory; view() where no strides give the shape; numpy() on a tensor that
requires grad."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule.errors import GraphError, ShapeError


def _refused_by_both(program, error, match):
    with pytest.raises(RuntimeError):
        program(torch)
    with pytest.raises(error, match=match):
        program(cr)


@pytest.mark.parametrize(
    "make",
    [
        lambda t: t[0],
        lambda t: t.diagonal(),
        lambda t: t.t(),
        lambda t: t.unfold(1, 2, 2),
        lambda t: t.as_strided((2,), (1,)),
        lambda t: t.view(-1),
    ],
)
def test_a_view_of_a_leaf_that_requires_grad_is_not_written(make):
    def program(lib):
        make(lib.zeros(3, 4, requires_grad=True)).add_(1)

    _refused_by_both(program, GraphError, "add_: expected a tensor that does not require grad")


@pytest.mark.parametrize(
    "pieces, who",
    [
        (lambda t: t.split(2, 1), "split"),
        (lambda t: t.chunk(2, 0), "split"),
        (lambda t: t.unbind(1), "unbind"),
        (lambda t: t.split_with_sizes([1, 3], 1), "split_with_sizes"),
    ],
)
def test_the_pieces_of_a_split_are_not_written_in_the_graph(pieces, who):
    def program(lib):
        x = lib.ones(4, 4, requires_grad=True)
        pieces(x * 2)[1].mul_(3)

    _refused_by_both(
        program, GraphError, rf"mul_: expected an out-of-place op on output 1 of {who} \(a view"
    )


def test_the_pieces_of_a_split_are_written_outside_the_graph():
    for lib in (cr, torch):
        x = lib.ones(4, 4, requires_grad=True)
        with lib.no_grad():
            x.split(2, 1)[1].mul_(3)
        y = lib.ones(4, 4)
        y.chunk(2)[0].add_(1)
        assert float(x.detach().sum()) == 32.0 and float(y.sum()) == 24.0


def test_out_of_place_ops_on_the_pieces_give_torchs_gradients():
    values = np.random.default_rng(3).standard_normal((4, 6))
    grads = []
    for lib in (cr, torch):
        x = lib.tensor(values, requires_grad=True)
        a, b, c = (x * 2).chunk(3, 1)
        (a * b + c.clone().mul_(3)).sum().backward()
        grads.append(x.grad.numpy())
    np.testing.assert_allclose(*grads, rtol=1e-12)


@pytest.mark.parametrize("write", [lambda v: v.add_(1), lambda v: v.mul_(2)])
def test_an_expanded_view_is_not_written(write):
    def program(lib):
        write(lib.zeros(1, 4).expand(3, 4))

    _refused_by_both(program, ShapeError, "own writable memory, got a read-only view")


def test_an_expanded_view_in_the_graph_is_not_written():
    def program(lib):
        x = lib.zeros(1, 4, requires_grad=True)
        (x * 1).expand(3, 4).mul_(2)

    _refused_by_both(program, ShapeError, r"mul_: .* read-only view of shape \(3, 4\)")


def test_chainrule_is_stricter_than_torch_on_fills_of_expanded_and_overlapping_views():
    # torch writes these (fill_ of an expand; overlapping unfold windows, in an order it leaves
    # undefined); chainrule refuses every in-place write into memory elements share
    with pytest.raises(ShapeError, match="zero_|fill_"):
        cr.zeros(1, 4).expand(3, 4).zero_()
    with pytest.raises(ShapeError, match="add_: .*strides"):
        cr.zeros(6).unfold(0, 3, 1).add_(1)


@pytest.mark.parametrize(
    "make, shape",
    [
        (lambda t: t.t(), (12,)),
        (lambda t: t.permute(1, 0), (2, 6)),
        (lambda t: t[:, 1:3], (6,)),
        (lambda t: t.transpose(0, 1).unsqueeze(0), (3, 4)),
    ],
)
def test_view_refuses_what_no_strides_give(make, shape):
    def program(lib):
        return make(lib.zeros(3, 4)).view(*shape)

    with pytest.raises(RuntimeError, match="view size is not compatible"):
        program(torch)
    with pytest.raises(ShapeError, match=r"view: expected a shape that strides .* and strides \("):
        program(cr)


def test_view_error_says_to_use_reshape():
    with pytest.raises(
        ShapeError, match=r"(?s)got \(12,\) for a tensor of shape \(4, 3\).*reshape"
    ):
        cr.zeros(3, 4).t().view(12)
    assert cr.zeros(3, 4).t().reshape(12).shape == (12,)


def test_numpy_on_a_tensor_that_requires_grad_is_refused():
    for lib in (cr, torch):
        x = lib.ones(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="numpy|requires grad"):
            x.numpy()
        with pytest.raises(RuntimeError):
            np.asarray(x)
        assert x.detach().numpy().sum() == 3.0
        assert x.numpy(force=True).sum() == 3.0
    with pytest.raises(
        GraphError, match=r"(?s)Tensor.numpy: expected .*tensor.detach\(\).numpy\(\)"
    ):
        cr.ones(2, requires_grad=True).numpy()


def test_numpy_shares_memory_once_detached():
    x = cr.ones(3, requires_grad=True)
    array = x.detach().numpy()
    with cr.no_grad():
        x.add_(1)
    assert array.tolist() == [2.0, 2.0, 2.0]
    assert np.asarray(x.detach()) is x.detach().numpy()


def test_docs_errors_quotes_the_view_errors_as_chainrule_prints_them():
    from pathlib import Path

    errors = (Path(__file__).parents[2] / "docs" / "errors.md").read_text(encoding="utf-8")
    for call in (
        lambda: cr.ones(2, requires_grad=True).numpy(),
        lambda: (cr.ones(4, 4, requires_grad=True) * 2).split(2)[1].mul_(3),
        lambda: cr.zeros(1, 4).expand(3, 4).add_(1),
    ):
        with pytest.raises(cr.errors.ChainruleError) as raised:
            call()
        headline = f"{type(raised.value).__name__}: {str(raised.value).splitlines()[0]}"
        assert f"**`{headline}`**" in errors
    with pytest.raises(ShapeError) as raised:
        cr.zeros(3, 4).t().view(12)
    assert str(raised.value).split(" (at least")[0] in errors
