"""What every Function promises beyond its numbers: it skips gradients nobody asked for, and
it saves only what its backward reads."""

import ast
import inspect
import itertools
from pathlib import Path

import numpy as np
import pytest

import chainrule as cr
import chainrule.functional as F

FUNCTIONAL = Path(F.__file__).parent


def _floats(rng, *shape):
    return rng.standard_normal(shape)


def _probabilities(rng, *shape):
    return rng.uniform(0.1, 0.9, shape)


# Every Function with more than one tensor input: (Function, input arrays, call on tensors).
# The BCE losses take their targets as data (never part of the graph), so they have one.
MULTI_INPUT = {
    "Add": (F.Add, lambda r: [_floats(r, 3, 4), _floats(r, 4)], lambda a, b: a + b),
    "Sub": (F.Sub, lambda r: [_floats(r, 3, 4), _floats(r, 4)], lambda a, b: a - b),
    "Mul": (F.Mul, lambda r: [_floats(r, 3, 4), _floats(r, 4)], lambda a, b: a * b),
    "Div": (F.Div, lambda r: [_floats(r, 3, 4), _probabilities(r, 4)], lambda a, b: a / b),
    "Pow": (F.Pow, lambda r: [_probabilities(r, 3, 4), _floats(r, 4)], F.pow),
    "Maximum": (F.Maximum, lambda r: [_floats(r, 3, 4), _floats(r, 4)], F.maximum),
    "Minimum": (F.Minimum, lambda r: [_floats(r, 3, 4), _floats(r, 4)], F.minimum),
    "Where": (
        F.Where,
        lambda r: [_floats(r, 3, 4), _floats(r, 4)],
        lambda a, b: F.where(np.arange(12).reshape(3, 4) % 2 == 0, a, b),
    ),
    "MatMul": (F.MatMul, lambda r: [_floats(r, 3, 4), _floats(r, 4, 2)], F.matmul),
    "Linear": (F.Linear, lambda r: [_floats(r, 3, 4), _floats(r, 2, 4), _floats(r, 2)], F.linear),
    "Conv2d": (
        F.Conv2d,
        lambda r: [_floats(r, 2, 3, 5, 5), _floats(r, 4, 3, 3, 3), _floats(r, 4)],
        F.conv2d,
    ),
    "Conv1d": (
        F.Conv1d,
        lambda r: [_floats(r, 2, 3, 7), _floats(r, 4, 3, 3), _floats(r, 4)],
        F.conv1d,
    ),
    "ConvTranspose2d": (
        F.ConvTranspose2d,
        lambda r: [_floats(r, 2, 4, 3, 3), _floats(r, 4, 3, 2, 3), _floats(r, 6)],
        lambda x, w, b: F.conv_transpose2d(x, w, b, 2, 1, 1, groups=2),
    ),
    "ConvTranspose1d": (
        F.ConvTranspose1d,
        lambda r: [_floats(r, 2, 3, 5), _floats(r, 3, 4, 3), _floats(r, 4)],
        F.conv_transpose1d,
    ),
    "Normalize": (
        F.Normalize,
        lambda r: [_floats(r, 4, 3), _probabilities(r, 3), _floats(r, 3)],
        lambda x, w, b: F.layer_norm(x, (3,), w, b),
    ),
    "Einsum": (
        F.Einsum,
        lambda r: [_floats(r, 2, 3), _floats(r, 3, 4)],
        lambda a, b: cr.einsum("ij,jk->ik", a, b),
    ),
    "Concatenate": (
        F.Concatenate,
        lambda r: [_floats(r, 2, 3), _floats(r, 4, 3)],
        lambda a, b: F.cat([a, b]),
    ),
    "Stack": (
        F.Stack,
        lambda r: [_floats(r, 2, 3), _floats(r, 2, 3)],
        lambda a, b: F.stack([a, b]),
    ),
    "SetItem": (
        F.SetItem,
        lambda r: [_floats(r, 3, 4), _floats(r, 4)],
        lambda x, v: F.setitem(x, 1, v),
    ),
    "MSELoss": (F.MSELoss, lambda r: [_floats(r, 5, 1), _floats(r, 5, 1)], F.mse_loss),
    "L1Loss": (F.L1Loss, lambda r: [_floats(r, 5, 1), _floats(r, 5, 1)], F.l1_loss),
    "HuberLoss": (F.HuberLoss, lambda r: [_floats(r, 5, 1), _floats(r, 5, 1)], F.huber_loss),
}


def _patterns(count):
    """Every mix of wanted and unwanted gradients with at least one wanted."""
    return [p for p in itertools.product([True, False], repeat=count) if any(p)]


@pytest.mark.parametrize("name", sorted(MULTI_INPUT))
def test_backward_returns_none_for_every_gradient_nobody_needs(
    name, rng, monkeypatch, float64_default
):
    function, build, call = MULTI_INPUT[name]
    arrays = build(rng)
    returned = []
    backward = function.backward

    def spy(ctx, grad_y):
        grads = backward(ctx, grad_y)
        returned.append((ctx.needs_input_grad, grads if isinstance(grads, tuple) else (grads,)))
        return grads

    monkeypatch.setattr(function, "backward", staticmethod(spy))
    for wanted in _patterns(len(arrays)):
        returned.clear()
        tensors = [cr.tensor(a, requires_grad=w) for a, w in zip(arrays, wanted)]
        call(*tensors).sum().backward()
        ((needs, grads),) = returned
        assert needs == wanted
        for i, (need, grad) in enumerate(zip(needs, grads)):
            if need:
                assert grad is not None and np.shape(grad) == arrays[i].shape, (name, wanted, i)
            else:
                assert grad is None, (
                    f"{name}: gradient {i} computed though no input needs it ({wanted})"
                )


def test_the_table_covers_every_function_with_more_than_one_tensor_input():
    functions = {
        obj
        for obj in vars(F).values()
        if inspect.isclass(obj) and issubclass(obj, cr.Function) and obj is not cr.Function
    }
    covered = {function for function, _, _ in MULTI_INPUT.values()}
    # a Function whose backward reads needs_input_grad (or delegates to one that does)
    # takes several inputs; the table above must exercise all of them
    readers = {f for f in functions if "needs_input_grad" in inspect.getsource(f)}
    assert readers <= covered, sorted(f.__name__ for f in readers - covered)
    assert len(covered) == len(MULTI_INPUT)


def _ctx_reads(node):
    return {
        n.attr
        for n in ast.walk(node)
        if isinstance(n, ast.Attribute)
        and isinstance(n.value, ast.Name)
        and n.value.id == "ctx"
        and isinstance(n.ctx, ast.Load)
    }


def _saved_but_never_read(path):
    tree = ast.parse(path.read_text())
    helpers = {
        f.name: f
        for f in tree.body
        if isinstance(f, ast.FunctionDef)
        if any(a.arg == "ctx" for a in f.args.args)
    }
    for cls in (c for c in ast.walk(tree) if isinstance(c, ast.ClassDef)):
        saved = {
            kw.arg
            for n in ast.walk(cls)
            if isinstance(n, ast.Call)
            and isinstance(n.func, ast.Attribute)
            and n.func.attr == "save"
            for kw in n.keywords
        }
        read = _ctx_reads(cls)
        for n in ast.walk(cls):  # a module helper handed the ctx reads for the class
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in helpers:
                read |= _ctx_reads(helpers[n.func.id])
        yield from (f"{path.name}: {cls.name}.{name}" for name in sorted(saved - read))


def test_no_function_saves_what_its_backward_never_reads():
    unread = [
        entry for path in sorted(FUNCTIONAL.glob("*.py")) for entry in _saved_but_never_read(path)
    ]
    assert unread == []


def test_the_unread_field_check_sees_a_planted_one(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text(
        "class Op:\n"
        "    def forward(ctx, x):\n"
        "        ctx.save(y=x, unused=1)\n"
        "    def backward(ctx, g):\n"
        "        return g * ctx.y\n"
    )
    assert list(_saved_but_never_read(planted)) == ["planted.py: Op.unused"]
