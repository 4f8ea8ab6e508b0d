"""torch.func's forward-mode transforms: jvp, jacfwd, and hessian as jacfwd(jacrev(f)).

An input's tangent rides in its ndarray (a func.dual.Dual): every op's NumPy code carries it
forward, and a gradient computed inside (jacrev, grad) runs its backward on Duals, which is
forward-over-reverse: exact second derivatives without a double backward."""

from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from ..autograd.tensor import Tensor
from ..errors import ArgumentError, ShapeError
from .dual import Dual, has_tangent, tangent_of
from .forward_ops import check_ops
from .pytree import flatten, tensors_only, unflatten
from .reverse import check_argnums, jacrev, split_aux


def make_dual(primal: Tensor, tangent: Tensor) -> Tensor:
    """A tensor whose values are ``primal``'s and which carries ``tangent`` forward."""
    if tuple(primal.shape) != tuple(tangent.shape):
        raise ShapeError(
            f"jvp: expected a tangent of the primal's shape {tuple(primal.shape)}, got "
            f"{tuple(tangent.shape)}."
        )
    data = Dual(primal._data, tangent._data.astype(primal._data.dtype))
    # recorded, so that check_ops sees every op the tangent went through
    return Tensor._wrap(data, requires_grad=data.dtype.kind in "fc")


def split_dual(t: Any) -> tuple[Tensor, Tensor]:
    """(values, tangent) of a result, the tangent zeros where nothing carried one."""
    data = t._data
    values = data.view(np.ndarray) if isinstance(data, Dual) else data
    tangent = tangent_of(data) if has_tangent(data) else np.zeros(data.shape, data.dtype)
    return Tensor._wrap(values), Tensor._wrap(np.array(tangent, dtype=values.dtype))


def jvp(
    func: Callable, primals: Any, tangents: Any, *, strict: bool = False, has_aux: bool = False
) -> tuple:
    """torch.func.jvp: ``(func(*primals), J @ tangents)``, by forward mode.

    >>> import chainrule as cr
    >>> out, tangent = cr.func.jvp(lambda x: x.exp(), (cr.zeros(2),), (cr.ones(2),))
    >>> tangent.tolist()
    [1.0, 1.0]
    """
    who = "jvp(f, primals, tangents)"
    for name, value in (("primals", primals), ("tangents", tangents)):
        if not isinstance(value, tuple):
            raise ArgumentError(
                f"{who}: expected {name} to be a tuple, got {type(value).__name__}.\n"
                f"Hint: pass ({name[:-1]},) for a single input."
            )
    flat_p, spec_p = flatten(primals)
    flat_t, spec_t = flatten(tangents)
    if spec_p != spec_t:
        raise ArgumentError(f"{who}: expected tangents with the structure of primals, got another.")
    tensors_only(flat_p + flat_t, who, "primals and tangents")
    duals = [make_dual(p, t) for p, t in zip(flat_p, flat_t)]
    output, aux = split_aux(who, func(*unflatten(duals, spec_p)), has_aux)
    outs, spec_o = flatten(output)
    tensors_only(outs, who, "the outputs of f")
    check_ops(outs, who)
    pairs = [split_dual(o) for o in outs]
    result = (unflatten([p[0] for p in pairs], spec_o), unflatten([p[1] for p in pairs], spec_o))
    return (*result, aux) if has_aux else result


def jacfwd(
    func: Callable, argnums: Any = 0, has_aux: bool = False, *, randomness: str = "error"
) -> Callable:
    """torch.func.jacfwd: the Jacobian by forward mode, one pass per input element; blocks
    are ``output.shape + input.shape`` as in jacrev."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        who = "jacfwd(f)(*args)"
        nums = check_argnums(who, argnums, len(args))
        trees = [flatten(args[n]) for n in nums]
        inputs = [t for leaves, _ in trees for t in leaves]
        tensors_only(inputs, who, "the differentiated inputs")
        columns: list[list] = [[] for _ in inputs]  # per input: one tangent list per element
        output = aux = None
        for j, x in enumerate(inputs):
            for k in range(x.numel()):
                basis = np.zeros(x.numel(), x._data.dtype)
                basis[k] = 1
                duals = [
                    make_dual(
                        t,
                        Tensor._wrap(basis.reshape(t.shape) if i == j else np.zeros_like(t._data)),
                    )
                    for i, t in enumerate(inputs)
                ]
                output, aux, tangents = _run(who, func, args, kwargs, nums, trees, duals, has_aux)
                columns[j].append(tangents)
        if output is None:  # every input empty: run once for the output's shape
            output, aux, _ = _run(who, func, args, kwargs, nums, trees, inputs, has_aux)
        outs, spec_o = flatten(output)
        blocks = []
        for m, o in enumerate(outs):
            per_input = []
            for j, x in enumerate(inputs):
                cols = [c[m]._data.reshape(-1) for c in columns[j]]
                stacked = (
                    np.stack(cols, axis=-1) if cols else np.zeros((o.numel(), 0), o._data.dtype)
                )
                per_input.append(Tensor._wrap(stacked.reshape(tuple(o.shape) + tuple(x.shape))))
            grouped, start = [], 0
            for leaves, spec in trees:
                grouped.append(unflatten(per_input[start : start + len(leaves)], spec))
                start += len(leaves)
            blocks.append(tuple(grouped) if isinstance(argnums, tuple) else grouped[0])
        result = unflatten(blocks, spec_o)
        return (result, aux) if has_aux else result

    return wrapper


def _run(who, func, args, kwargs, nums, trees, duals, has_aux):
    args, start = list(args), 0
    for n, (leaves, spec) in zip(nums, trees):
        args[n] = unflatten(duals[start : start + len(leaves)], spec)
        start += len(leaves)
    output, aux = split_aux(who, func(*args, **kwargs), has_aux)
    outs, spec_o = flatten(output)
    tensors_only(outs, who, "the outputs of f")
    check_ops(outs, who)
    pairs = [split_dual(o) for o in outs]
    return unflatten([p[0] for p in pairs], spec_o), aux, [p[1] for p in pairs]


def hessian(func: Callable, argnums: Any = 0) -> Callable:
    """torch.func.hessian: jacfwd(jacrev(func)), forward over reverse, as torch builds it.

    >>> import chainrule as cr
    >>> cr.func.hessian(lambda x: (x**3).sum())(cr.tensor([1.0, 2.0])).tolist()
    [[6.0, 0.0], [0.0, 12.0]]
    """
    return jacfwd(jacrev(func, argnums), argnums)
