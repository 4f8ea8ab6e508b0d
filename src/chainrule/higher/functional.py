"""autograd.functional with create_graph=True: the results keep their graph back to the
inputs, so they can be differentiated again. Reverse over reverse on the create_graph engine
(torch's way); autograd_functional.py detaches the results when create_graph=False."""

from __future__ import annotations

from typing import Any, Callable

from ..autograd.tensor import Tensor
from ..autograd_grad import grad


def prepared(inputs: tuple) -> tuple:
    """Inputs that need no gradient become fresh leaves that do; the others keep their graph."""
    return tuple(x if x.requires_grad else x.detach().requires_grad_() for x in inputs)


def _grads(outputs: Any, inputs: tuple, grad_outputs: Any = None) -> tuple:
    outputs = list(outputs) if isinstance(outputs, (tuple, list)) else [outputs]
    # an output with no graph (a constant function) adds zeros, as torch's functional API gives
    keep = [i for i, o in enumerate(outputs) if o.requires_grad]
    found = (None,) * len(inputs)
    if keep:
        seeds = None if grad_outputs is None else [grad_outputs[i] for i in keep]
        kept = [outputs[i] for i in keep]
        found = grad(kept, inputs, seeds, create_graph=True, allow_unused=True)
    return tuple(g if g is not None else x.detach() * 0 for g, x in zip(found, inputs))


def vjp(func: Callable, inputs: tuple, vs: tuple) -> tuple:
    xs = prepared(inputs)
    output = func(*xs)
    outs = output if isinstance(output, tuple) else (output,)
    return output, _grads(list(outs), xs, list(vs))


def jvp(func: Callable, inputs: tuple, vs: tuple) -> tuple:
    """J v by the double-vjp trick: v^T (J^T u) differentiated in a dummy u."""
    xs = prepared(inputs)
    output = func(*xs)
    outs = output if isinstance(output, tuple) else (output,)
    dummies = tuple((o.detach() * 0).requires_grad_() for o in outs)
    first = _grads(list(outs), xs, list(dummies))
    tangents = _grads(list(first), dummies, list(vs))
    return output, (tangents if isinstance(output, tuple) else tangents[0])


def jacobian(func: Callable, inputs: tuple) -> tuple:
    """Blocks [output][input], each ``output.shape + input.shape``, one backward per row."""
    xs = prepared(inputs)
    output = func(*xs)
    outs = output if isinstance(output, tuple) else (output,)
    blocks = []
    for out in outs:
        flat = out.reshape(-1)
        rows = [_grads(flat[e], xs) for e in range(flat.shape[0])]
        blocks.append(
            tuple(
                _stacked([row[j] for row in rows], x).reshape(*out.shape, *x.shape)
                for j, x in enumerate(xs)
            )
        )
    return tuple(blocks)


def _stacked(rows: list, x: Tensor) -> Tensor:
    from .. import stack

    return stack(rows) if rows else x.detach().reshape(0, *x.shape)


def hessian(func: Callable, inputs: tuple) -> tuple:
    """The Jacobian of the gradient, [i][j] = d(grad_i)/d(x_j), with graphs throughout."""
    xs = prepared(inputs)
    return jacobian(lambda *ys: _grads(func(*ys), ys), xs)


def hvp(func: Callable, inputs: tuple, vs: tuple) -> tuple:
    xs = prepared(inputs)
    output = func(*xs)
    first = _grads(output, xs)
    inner = sum((g * v).sum() for g, v in zip(first, vs))
    return output, _grads(inner, xs)
