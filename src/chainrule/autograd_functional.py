"""torch.autograd.functional: jacobian, hessian, vjp, jvp, hvp and vhp of a function of
Tensors (or of a tuple of them), built on chainrule.func's transforms.

Results are values, not graphs, unless ``create_graph=True``: then they are Tensors with a
graph back to the inputs. jvp, hvp, vhp and hessian go reverse over reverse
(chainrule/higher/functional.py) as torch's do, so they take every op that has a backward;
forward mode (chainrule.func, a tested subset of ops) only where the caller asks for it:
jacobian(strategy="forward-mode"), hessian(outer_jacobian_strategy="forward-mode").
``vectorize`` changes nothing in how a Jacobian is built (one pass per row, reverse, or column,
forward), but forward mode needs ``vectorize=True``, as torch's does. ``vhp`` equals ``hvp``, as
a twice-differentiable function's Hessian is symmetric."""

from __future__ import annotations

from typing import Any, Callable

from .autograd.tensor import Tensor
from .autograd_grad import grad as autograd_grad
from .errors import ArgumentError, GraphError, NotATensorError, UnsupportedError
from .func import forward, reverse
from .higher import functional as with_graph

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]


def _as_tuple(who: str, what: str, value: Any) -> tuple[bool, tuple]:
    """(was it a tuple, the tensors as a tuple), refusing anything but Tensors as torch does."""
    many = isinstance(value, (tuple, list))
    values = tuple(value) if many else (value,)
    for i, v in enumerate(values):
        if not isinstance(v, Tensor):
            raise NotATensorError(
                f"{who}: expected the {what} to be a Tensor or a tuple of Tensors, got "
                f"{type(v).__name__} at index {i}."
            )
    return many, values


def _strict(who: str, func: Callable, inputs: tuple) -> None:
    """strict=True: refuse an output that does not depend on some input, as torch does."""
    fresh = [reverse.fresh_leaf(t) for t in inputs]
    _, outputs = _as_tuple(who, "outputs of the function", func(*fresh))
    used = [o for o in outputs if o.requires_grad]
    ones = [o.detach() * 0 + 1 for o in used]
    grads = autograd_grad(used, fresh, ones, allow_unused=True) if used else (None,) * len(fresh)
    for i, g in enumerate(grads):
        if g is None:
            raise GraphError(
                f"{who}: expected the output to depend on every input with strict=True, got "
                f"an output independent of input {i}."
            )


def _detached(output: Any) -> Any:
    if isinstance(output, tuple):
        return tuple(_detached(o) for o in output)
    return output.detach()


def vjp(
    func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """(func(inputs), v^T J), the product shaped as ``inputs``.

    >>> import chainrule as cr
    >>> out, g = cr.autograd.functional.vjp(lambda x: x**2, cr.tensor([1.0, 2.0]), cr.ones(2))
    >>> g.tolist()
    [2.0, 4.0]
    """
    who = "autograd.functional.vjp"
    many, inputs = _as_tuple(who, "inputs", inputs)
    if strict:
        _strict(who, func, inputs)
    output, vjp_fn = reverse.vjp(func, *inputs)
    out_many, outs = _as_tuple(who, "outputs of the function", output)
    if v is None:
        if len(outs) != 1 or outs[0].numel() != 1:
            raise ArgumentError(
                f"{who}: expected v when the function's output is not a single-element Tensor, "
                f"got v=None.\nHint: pass v with the output's shape."
            )
        v = tuple(o.detach() * 0 + 1 for o in outs)
    _, vs = _as_tuple(who, "v", v)
    if create_graph:
        output, result = with_graph.vjp(func, inputs, vs)
    else:
        result = vjp_fn(vs if out_many else vs[0])
    return output, (result if many else result[0])


def jvp(
    func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """(func(inputs), J v), the product shaped as the output; torch's double-vjp trick.

    >>> import chainrule as cr
    >>> out, t = cr.autograd.functional.jvp(lambda x: x**2, cr.tensor([1.0, 2.0]), cr.ones(2))
    >>> t.tolist()
    [2.0, 4.0]
    """
    who = "autograd.functional.jvp"
    many, inputs = _as_tuple(who, "inputs", inputs)
    if v is None:
        if len(inputs) != 1 or inputs[0].numel() != 1:
            raise ArgumentError(
                f"{who}: expected v when the input is not a single-element Tensor, got v=None."
            )
        v = tuple(x.detach() * 0 + 1 for x in inputs)
    _, vs = _as_tuple(who, "v", v)
    if strict:
        _strict(who, func, inputs)
    output, tangent = with_graph.jvp(func, inputs, vs)
    _as_tuple(who, "outputs of the function", output)
    return (output, tangent) if create_graph else (_detached(output), _detached(tangent))


def jacobian(
    func: Callable,
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> Any:
    """The Jacobian: a Tensor ``output.shape + input.shape`` for one input and one output, a
    tuple over inputs, over outputs, or a tuple of tuples [output][input], as torch.

    >>> import chainrule as cr
    >>> cr.autograd.functional.jacobian(lambda x: x * 2, cr.ones(2)).tolist()
    [[2.0, 0.0], [0.0, 2.0]]
    """
    who = "autograd.functional.jacobian"
    if strategy not in ("reverse-mode", "forward-mode"):
        raise ArgumentError(
            f"{who}: expected strategy 'reverse-mode' or 'forward-mode', got {strategy!r}."
        )
    if strategy == "forward-mode":
        _needs_vectorize(who, "strategy", vectorize)
    many, inputs = _as_tuple(who, "inputs", inputs)
    if strict:
        _strict(who, func, inputs)
    transform = reverse.jacrev if strategy == "reverse-mode" else forward.jacfwd
    out_many, _ = _as_tuple(who, "outputs of the function", func(*inputs))
    if create_graph:
        blocks = with_graph.jacobian(func, inputs)
    else:
        jac = transform(func, tuple(range(len(inputs))))(*inputs)
        blocks = jac if out_many else (jac,)
    blocks = tuple(row if many else row[0] for row in blocks)
    return blocks if out_many else blocks[0]


def _needs_vectorize(who: str, keyword: str, vectorize: bool) -> None:
    """torch builds forward-mode Jacobians only vectorized, and refuses the other way."""
    if not vectorize:
        raise UnsupportedError(
            f"{who}: expected vectorize=True with {keyword}='forward-mode', got "
            f"vectorize={vectorize!r}.\nHint: pass vectorize=True, as torch requires (the result "
            f"is the same)."
        )


def _check_scalar(who: str, out: Any) -> Tensor:
    if not isinstance(out, Tensor) or out.numel() != 1:
        got = tuple(out.shape) if isinstance(out, Tensor) else type(out).__name__
        raise ArgumentError(
            f"{who}: expected the function to return a single-element Tensor, got {got}."
        )
    return out


def _scalar_function(who: str, func: Callable) -> Callable:
    return lambda *xs: _check_scalar(who, func(*xs)).reshape(())


def hessian(
    func: Callable,
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Any:
    """The Hessian of a scalar function: ``input.shape * 2`` for one input, a tuple of tuples
    [i][j] for several; reverse over reverse (one backward per input element), or forward
    over reverse with ``outer_jacobian_strategy="forward-mode"``.

    >>> import chainrule as cr
    >>> cr.autograd.functional.hessian(lambda x: (x**3).sum(), cr.tensor([1.0, 2.0])).tolist()
    [[6.0, 0.0], [0.0, 12.0]]
    """
    who = "autograd.functional.hessian"
    if outer_jacobian_strategy not in ("reverse-mode", "forward-mode"):
        raise ArgumentError(
            f"{who}: expected outer_jacobian_strategy 'reverse-mode' or 'forward-mode', got "
            f"{outer_jacobian_strategy!r}."
        )
    if outer_jacobian_strategy == "forward-mode":
        _needs_vectorize(who, "outer_jacobian_strategy", vectorize)
    many, inputs = _as_tuple(who, "inputs", inputs)
    if strict:
        _strict(who, func, inputs)
    scalar = _scalar_function(who, func)
    nums = tuple(range(len(inputs)))
    if outer_jacobian_strategy == "forward-mode" and not create_graph:
        blocks = forward.jacfwd(reverse.jacrev(scalar, nums), nums)(*inputs)
    else:
        blocks = with_graph.hessian(scalar, inputs)
        blocks = blocks if create_graph else _detached(blocks)
    return blocks if many else blocks[0][0]


def hvp(
    func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """(func(inputs), H v), the product shaped as ``inputs``; reverse over reverse.

    >>> import chainrule as cr
    >>> out, hv = cr.autograd.functional.hvp(lambda x: (x**3).sum(), cr.ones(2), cr.ones(2))
    >>> hv.tolist()
    [6.0, 6.0]
    """
    return _hvp("autograd.functional.hvp", func, inputs, v, create_graph, strict)


def vhp(
    func: Callable, inputs: Any, v: Any = None, create_graph: bool = False, strict: bool = False
) -> tuple[Any, Any]:
    """(func(inputs), v^T H), shaped as ``inputs``: H v, as the Hessian is symmetric."""
    return _hvp("autograd.functional.vhp", func, inputs, v, create_graph, strict)


def _hvp(who, func, inputs, v, create_graph, strict):
    many, inputs = _as_tuple(who, "inputs", inputs)
    if v is None:
        if len(inputs) != 1 or inputs[0].numel() != 1:
            raise ArgumentError(
                f"{who}: expected v when the input is not a single-element Tensor, got v=None."
            )
        v = tuple(x.detach() * 0 + 1 for x in inputs)
    _, vs = _as_tuple(who, "v", v)
    if len(vs) != len(inputs):
        raise ArgumentError(f"{who}: expected {len(inputs)} tensors in v, got {len(vs)}.")
    if strict:
        _strict(who, func, inputs)
    # func itself, not its scalar view: torch hands back the output in the shape func gave it
    output, products = with_graph.hvp(lambda *xs: _check_scalar(who, func(*xs)), inputs, vs)
    if not create_graph:
        output, products = _detached(output), _detached(products)
    return output, (products if many else products[0])
