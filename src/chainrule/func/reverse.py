"""torch.func's reverse-mode transforms: grad, grad_and_value, vjp and jacrev.

Each runs the function once on fresh leaves that share memory with the arguments, and asks
autograd.grad for the gradients: the arguments' own ``.grad`` and graph are left alone, and a
tensor the function closes over keeps its graph. Results are first derivatives, not graphs of
their own (chainrule has no double backward); second derivatives go through forward mode on
top, as ``jacfwd(jacrev(f))`` (func/forward.py)."""

from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from ..autograd.grad_mode import enable_grad
from ..autograd.tensor import Tensor
from ..autograd_grad import grad as autograd_grad
from ..errors import ArgumentError
from .dual import Dual
from .forward_ops import check_ops
from .pytree import flatten, tensors_only, unflatten


def check_argnums(who: str, argnums: Any, count: int) -> tuple[int, ...]:
    """argnums as a tuple of non-negative positions, refused as torch refuses it."""
    many = isinstance(argnums, tuple)
    nums = argnums if many else (argnums,)
    if not nums or not all(isinstance(n, int) and not isinstance(n, bool) for n in nums):
        raise ArgumentError(
            f"{who}: expected argnums to be an int or a tuple of ints, got {argnums!r}."
        )
    fixed = tuple(n + count if n < 0 else n for n in nums)
    if any(not 0 <= n < count for n in fixed):
        raise ArgumentError(
            f"{who}: expected argnums within the {count} positional inputs, got {argnums!r}."
        )
    if len(set(fixed)) != len(fixed):
        raise ArgumentError(f"{who}: expected argnums without repeats, got {argnums!r}.")
    return fixed


def fresh_leaf(t: Tensor) -> Tensor:
    """A new leaf over ``t``'s memory, so the gradient is of this call alone."""
    return Tensor._wrap(t._data, requires_grad=t._data.dtype.kind in "fc")


class Call:
    """One call of ``func`` with the arguments at ``argnums`` replaced by fresh leaves."""

    def __init__(self, who: str, func: Callable, argnums: Any, args: tuple, kwargs: dict):
        self.argnums = check_argnums(who, argnums, len(args))
        self.many = isinstance(argnums, tuple)
        self.specs, self.leaves = [], []
        args = list(args)
        for n in self.argnums:
            leaves, spec = flatten(args[n])
            tensors_only(leaves, who, "the differentiated inputs")
            fresh = [fresh_leaf(t) for t in leaves]
            self.specs.append((spec, len(fresh)))
            self.leaves += fresh
            args[n] = unflatten(fresh, spec)
        with enable_grad():
            self.output = func(*args, **kwargs)

    def gradients(self, outputs: list, grad_outputs: list | None, retain: bool) -> Any:
        """d(outputs)/d(leaves) weighted by grad_outputs, zeros where unused, as trees."""
        wanted = [i for i, o in enumerate(outputs) if o.requires_grad]
        if any(isinstance(t._data, Dual) for t in self.leaves):  # forward over this reverse
            check_ops(outputs, "forward-mode AD")
        grads: list = [None] * len(self.leaves)
        if wanted:
            weights = None if grad_outputs is None else [grad_outputs[i] for i in wanted]
            grads = list(
                autograd_grad(
                    [outputs[i] for i in wanted],
                    self.leaves,
                    weights,
                    retain_graph=retain,
                    allow_unused=True,
                )
            )
        grads = [
            Tensor._wrap(np.zeros_like(t._data)) if g is None else g
            for g, t in zip(grads, self.leaves)
        ]
        trees, start = [], 0
        for spec, size in self.specs:
            trees.append(unflatten(grads[start : start + size], spec))
            start += size
        return tuple(trees) if self.many else trees[0]


def split_aux(who: str, output: Any, has_aux: bool) -> tuple[Any, Any]:
    if not has_aux:
        return output, None
    if not (isinstance(output, tuple) and len(output) == 2):
        raise ArgumentError(
            f"{who}: expected the function to return a tuple (output, aux) when has_aux=True, "
            f"got {type(output).__name__}.\nHint: return (output, aux), or pass has_aux=False."
        )
    return output


def grad_and_value(func: Callable, argnums: Any = 0, has_aux: bool = False) -> Callable:
    """torch.func.grad_and_value: ``func``'s gradient with respect to ``argnums``, and its value.

    >>> import chainrule as cr
    >>> g, v = cr.func.grad_and_value(lambda x: (x**2).sum())(cr.tensor([1.0, 3.0]))
    >>> g.tolist(), v.item()
    ([2.0, 6.0], 10.0)
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        who = "grad_and_value(f)(*args)"
        call = Call(who, func, argnums, args, kwargs)
        output, aux = split_aux(who, call.output, has_aux)
        if not isinstance(output, Tensor) or output.numel() != 1:
            got = (
                f"a tensor of shape {tuple(output.shape)}"
                if isinstance(output, Tensor)
                else type(output).__name__
            )
            raise ArgumentError(
                f"{who}: expected f(*args) to return a scalar Tensor, got {got}.\n"
                "Hint: reduce it (.sum()), or use vjp or jacrev for non-scalar outputs."
            )
        grads = call.gradients([output], None, retain=False)
        value = output.detach()
        return (grads, (value, aux)) if has_aux else (grads, value)

    return wrapper


def grad(func: Callable, argnums: Any = 0, has_aux: bool = False) -> Callable:
    """torch.func.grad: a function returning ``func``'s gradient (and its aux, if has_aux).

    >>> import chainrule as cr
    >>> cr.func.grad(lambda x: x.sin().sum())(cr.tensor([0.0])).tolist()
    [1.0]
    """
    inner = grad_and_value(func, argnums, has_aux)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        grads, value = inner(*args, **kwargs)
        return (grads, value[1]) if has_aux else grads

    return wrapper


def vjp(func: Callable, *primals: Any, has_aux: bool = False) -> tuple:
    """torch.func.vjp: ``func(*primals)`` and a function taking cotangents (one per output) to
    the vector-Jacobian products, one per primal.

    >>> import chainrule as cr
    >>> out, vjp_fn = cr.func.vjp(lambda x: x * 3, cr.tensor([1.0, 2.0]))
    >>> vjp_fn(cr.tensor([1.0, 10.0]))[0].tolist()
    [3.0, 30.0]
    """
    who = "vjp(f, *primals)"
    call = Call(who, func, tuple(range(len(primals))), primals, {})
    output, aux = split_aux(who, call.output, has_aux)
    outputs, out_spec = flatten(output)
    tensors_only(outputs, who, "the outputs of f")

    def vjp_fn(cotangents: Any, retain_graph: bool = True) -> tuple:
        flat, spec = flatten(cotangents)
        if spec != out_spec or len(flat) != len(outputs):
            raise ArgumentError(
                f"vjp_fn: expected cotangents with the structure of f's outputs "
                f"({len(outputs)} tensors), got {len(flat)}."
            )
        for o, c in zip(outputs, flat):
            if not isinstance(c, Tensor) or tuple(c.shape) != tuple(o.shape):
                got = tuple(c.shape) if isinstance(c, Tensor) else type(c).__name__
                raise ArgumentError(
                    f"vjp_fn: expected a cotangent of shape {tuple(o.shape)}, got {got}."
                )
        return call.gradients(outputs, flat, retain=retain_graph)

    detached = unflatten([o.detach() for o in outputs], out_spec)
    return (detached, vjp_fn, aux) if has_aux else (detached, vjp_fn)


def jacrev(
    func: Callable,
    argnums: Any = 0,
    *,
    has_aux: bool = False,
    chunk_size: int | None = None,
    _preallocate_and_copy: bool = False,
) -> Callable:
    """torch.func.jacrev: the Jacobian by reverse mode, one backward pass per output element.

    Each output's block has the shape ``output.shape + input.shape``; trees of outputs and of
    inputs give trees of blocks, as in torch. ``chunk_size`` is accepted (passes run one by one).
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        who = "jacrev(f)(*args)"
        call = Call(who, func, argnums, args, kwargs)
        output, aux = split_aux(who, call.output, has_aux)
        outputs, out_spec = flatten(output)
        tensors_only(outputs, who, "the outputs of f")
        blocks = []
        for o in outputs:
            rows = []
            for k in range(o.numel()):
                basis = np.zeros(o.numel(), o._data.dtype)
                basis[k] = 1
                weights = [
                    Tensor._wrap(basis.reshape(o.shape) if p is o else np.zeros_like(p._data))
                    for p in outputs
                ]
                rows.append(flatten(call.gradients(outputs, weights, retain=True))[0])
            blocks.append(_assemble(o, rows, [t._data for t in call.leaves], call))
        result = unflatten(blocks, out_spec)
        return (result, aux) if has_aux else result

    return wrapper


def _assemble(output: Tensor, rows: list, inputs: list, call: Call) -> Any:
    """One output's Jacobian blocks, ``output.shape + input.shape`` each, as the input trees."""
    from ..functional.shape import stack

    blocks = []
    for j, x in enumerate(inputs):
        if rows:
            block = stack([r[j].reshape(-1) for r in rows]).reshape(output.shape + x.shape)
        else:
            block = Tensor._wrap(np.zeros(output.shape + x.shape, x.dtype))
        blocks.append(block)
    trees, start = [], 0
    for spec, size in call.specs:
        trees.append(unflatten(blocks[start : start + size], spec))
        start += size
    return tuple(trees) if call.many else trees[0]
