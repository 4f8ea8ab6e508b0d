"""Finite-difference gradient checks, for the test suite and for students checking their own ops."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ._checks import check_positive_number
from .autograd.grad_mode import no_grad
from .autograd.tensor import Tensor
from .functional.shape import cat
from .random import SeedLike, as_generator


class GradcheckError(AssertionError):
    """Raised by gradcheck when an analytic gradient disagrees with the numeric one."""


def gradcheck(
    fn: Callable[..., Tensor],
    *inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-4,
    seed: SeedLike = 0,
    raise_exception: bool = True,
) -> bool:
    """Compare autograd's gradients of ``fn(*inputs)`` with central finite differences.

    Every input Tensor that requires grad is checked, in float64. The upstream gradient is
    random, not all ones, so a backward that forgets to multiply by it fails. On failure
    the error names the input, the worst element, the analytic and the numeric value.

    >>> import chainrule as cr
    >>> x = cr.tensor([0.5, -1.0, 2.0], requires_grad=True)
    >>> cr.gradcheck(lambda t: t.exp() * t, x)
    True
    """
    # A NaN or zero tolerance or step makes every comparison below false, so a wrong
    # gradient would pass: refuse them before anything runs.
    check_positive_number("gradcheck", "eps", eps, allow_zero=False)
    check_positive_number("gradcheck", "atol", atol)
    check_positive_number("gradcheck", "rtol", rtol)
    rng = as_generator(seed)
    fn = _one_output(fn)
    inputs = tuple(_as_float64(x) for x in inputs)
    checked = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not checked:
        raise ValueError(
            "gradcheck: expected at least one input with requires_grad=True, got none."
        )
    out = fn(*inputs)
    upstream = rng.standard_normal(out.shape)
    for i in checked:
        inputs[i].grad = None
    out.backward(upstream)
    for i in checked:
        x = inputs[i]
        analytic = x._grad if x._grad is not None else np.zeros_like(x._data)
        numeric = _numeric_gradient(fn, inputs, i, upstream, eps)
        # NaN compares false with everything, so non-finite values count as the worst error.
        error = np.abs(analytic - numeric) - (atol + rtol * np.abs(numeric))
        error = np.where(np.isfinite(analytic) & np.isfinite(numeric), error, np.inf)
        if error.size and error.max() > 0:
            worst = np.unravel_index(int(np.argmax(error)), error.shape)
            what = "a wrong" if np.isfinite(error[worst]) else "a non-finite"
            text = (
                f"gradcheck: input {i} (shape {x.shape}) has {what} gradient at index "
                f"{tuple(int(k) for k in worst)}: analytic {analytic[worst]:.10g}, numeric "
                f"{numeric[worst]:.10g} (atol={atol}, rtol={rtol})."
            )
            if raise_exception:
                raise GradcheckError(text)
            return False
    return True


def _one_output(fn: Callable[..., Any]) -> Callable[..., Tensor]:
    """A function of several outputs (torch's gradcheck takes one) as all of them end to end,
    so one random upstream checks every output's gradient at once."""

    def joined(*args: Any) -> Tensor:
        out = fn(*args)
        if not isinstance(out, tuple):
            return out
        return cat([o.reshape(-1) for o in out])

    return joined


def _as_float64(x: Any) -> Any:
    if isinstance(x, Tensor) and x._data.dtype.kind == "f":
        return Tensor(x._data.astype(np.float64), requires_grad=x.requires_grad)
    return x


def _numeric_gradient(fn, inputs, i, upstream, eps) -> np.ndarray:
    """d<upstream, fn>/dx by central differences, one element at a time."""
    x = inputs[i]._data
    grad = np.zeros_like(x)
    flat_x, flat_grad = x.reshape(-1), grad.reshape(-1)
    with no_grad():
        for k in range(flat_x.size):
            original = flat_x[k]
            flat_x[k] = original + eps
            plus = np.sum(fn(*inputs)._data * upstream)
            flat_x[k] = original - eps
            minus = np.sum(fn(*inputs)._data * upstream)
            flat_x[k] = original
            flat_grad[k] = (plus - minus) / (2 * eps)
    return grad


def gradgradcheck(
    func: Callable[..., Any],
    inputs: Any,
    grad_outputs: Any = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    gen_non_contig_grad_outputs: bool = False,
    raise_exception: bool = True,
    seed: SeedLike = 0,
    **ignored: Any,
) -> bool:
    """torch.autograd.gradgradcheck: the gradient of the gradient against finite differences.

    The first-order gradient g(inputs, grad_outputs) = grad_outputs^T J is differentiated by
    forward mode (func/dual.py: tangents through the backward) and compared, element by
    element, with central differences of g in float64. ``grad_outputs`` default to random.
    chainrule writes no second-derivative formulas (torch's double backward): this checks the
    forward rules through each op's backward code, and refuses ops they are not tested on.

    >>> import chainrule as cr
    >>> x = cr.tensor([0.5, -1.0], dtype=cr.float64, requires_grad=True)
    >>> cr.autograd.gradgradcheck(lambda t: t.sin() * t, (x,))
    True
    """
    from .autograd_grad import grad as autograd_grad
    from .func.dual import Dual
    from .func.forward import jvp
    from .func.forward_ops import check_ops
    from .func.reverse import fresh_leaf

    check_positive_number("gradgradcheck", "eps", eps, allow_zero=False)
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    inputs = tuple(_as_float64(x) for x in inputs)
    wrt = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not wrt:
        raise ValueError(
            "gradgradcheck: expected at least one input with requires_grad=True, got none."
        )
    fn_outputs = func(*inputs)
    fn_outputs = fn_outputs if isinstance(fn_outputs, tuple) else (fn_outputs,)
    if grad_outputs is None:
        rng = as_generator(seed)
        grad_outputs = tuple(Tensor(rng.standard_normal(o.shape)) for o in fn_outputs)
    grad_outputs = (
        tuple(grad_outputs) if isinstance(grad_outputs, (tuple, list)) else (grad_outputs,)
    )
    grad_outputs = tuple(Tensor(_as_float64(g)._data) for g in grad_outputs)
    count = len(inputs)

    def first_order(*values: Any) -> tuple:
        xs = [fresh_leaf(v) if i in wrt else v for i, v in enumerate(values[:count])]
        outs = func(*xs)
        outs = outs if isinstance(outs, tuple) else (outs,)
        if any(isinstance(v._data, Dual) for v in values if isinstance(v, Tensor)):
            check_ops(list(outs), "gradgradcheck")
        grads = autograd_grad(
            list(outs), [xs[i] for i in wrt], list(values[count:]), allow_unused=True
        )
        return tuple(g if g is not None else xs[i].detach() * 0 for g, i in zip(grads, wrt))

    points = list(inputs) + list(grad_outputs)
    checked = wrt + list(range(count, len(points)))
    for k in checked:
        x = points[k]
        flat = x._data.reshape(-1)
        for e in range(flat.size):
            tangent = np.zeros_like(x._data)
            tangent.reshape(-1)[e] = 1
            tangents = tuple(
                Tensor(tangent if j == k else np.zeros_like(p._data)) for j, p in enumerate(points)
            )
            analytic = jvp(first_order, tuple(points), tangents)[1]
            original = flat[e]
            flat[e] = original + eps
            plus = first_order(*points)
            flat[e] = original - eps
            minus = first_order(*points)
            flat[e] = original
            for n, (a, p, m) in enumerate(zip(analytic, plus, minus)):
                numeric = (p._data - m._data) / (2 * eps)
                bad = np.abs(a._data - numeric) > atol + rtol * np.abs(numeric)
                bad |= ~(np.isfinite(a._data) & np.isfinite(numeric))
                if bad.any():
                    where = "input" if k < count else "grad_output"
                    text = (
                        f"gradgradcheck: the gradient of input {wrt[n]}'s gradient with respect "
                        f"to {where} {k if k < count else k - count} (element {e}) is wrong: "
                        f"analytic {a._data.reshape(-1)[np.argmax(bad)]:.10g}, numeric "
                        f"{numeric.reshape(-1)[np.argmax(bad)]:.10g} (atol={atol}, rtol={rtol})."
                    )
                    if raise_exception:
                        raise GradcheckError(text)
                    return False
    return True
