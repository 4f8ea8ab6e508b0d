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
    return _compare("gradcheck", fn, inputs, eps, atol, rtol, seed, raise_exception, _input)


def _input(i: int) -> str:
    return f"input {i}"


def _compare(who, fn, inputs, eps, atol, rtol, seed, raise_exception, name) -> bool:
    """gradcheck's comparison, for gradgradcheck too: ``name(i)`` says what input i is."""
    rng = as_generator(seed)
    fn = _one_output(fn)
    inputs = tuple(_as_float64(x) for x in inputs)
    checked = [i for i, x in enumerate(inputs) if isinstance(x, Tensor) and x.requires_grad]
    if not checked:
        raise ValueError(f"{who}: expected at least one input with requires_grad=True, got none.")
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
                f"{who}: {name(i)} (shape {x.shape}) has {what} gradient at index "
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
        return Tensor._of(x._data.astype(np.float64), requires_grad=x.requires_grad)
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
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_fwd_over_rev: bool = False,
    check_rev_over_rev: bool = True,
    fast_mode: bool = False,
    masked: bool | None = None,
    seed: SeedLike = 0,
) -> bool:
    """torch.autograd.gradgradcheck: second derivatives by double backward against finite
    differences of the first backward, as torch checks them.

    The first-order gradient g(inputs, grad_outputs) = grad_outputs^T J is computed with
    ``create_graph=True`` (chainrule/higher's formulas), and gradcheck compares its backward
    with central differences of g, in float64, for every input that requires grad and for the
    grad_outputs. ``grad_outputs`` default to random ones that require grad, as torch's. The
    flags after ``raise_exception`` are torch's and change nothing here (no sparse, batched or
    non-contiguous variants to check).

    >>> import chainrule as cr
    >>> x = cr.tensor([0.5, -1.0], dtype=cr.float64, requires_grad=True)
    >>> cr.autograd.gradgradcheck(lambda t: t.sin() * t, (x,))
    True
    """
    from .autograd.grad_mode import enable_grad
    from .autograd_grad import grad as autograd_grad

    check_positive_number("gradgradcheck", "eps", eps, allow_zero=False)
    check_positive_number("gradgradcheck", "atol", atol)
    check_positive_number("gradgradcheck", "rtol", rtol)
    inputs = tuple(inputs) if isinstance(inputs, (tuple, list)) else (inputs,)
    inputs = tuple(_as_float64(x) for x in inputs)
    if not any(isinstance(x, Tensor) and x.requires_grad for x in inputs):
        raise ValueError(
            "gradgradcheck: expected at least one input with requires_grad=True, got none."
        )
    count = len(inputs)
    if grad_outputs is None:
        outputs = func(*inputs)
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        rng = as_generator(seed)
        grad_outputs = tuple(
            Tensor._of(rng.standard_normal(o.shape), requires_grad=True) for o in outputs
        )
    grad_outputs = (
        tuple(grad_outputs) if isinstance(grad_outputs, (tuple, list)) else (grad_outputs,)
    )

    def first_order(*values: Any) -> tuple:
        xs = values[:count]
        wrt = [x for x in xs if isinstance(x, Tensor) and x.requires_grad]
        with enable_grad():  # gradcheck's finite differences run under no_grad
            outs = func(*xs)
            outs = list(outs) if isinstance(outs, tuple) else [outs]
            grads = autograd_grad(
                outs, wrt, list(values[count:]), create_graph=True, allow_unused=True
            )
        return tuple(g for g in grads if g is not None)

    def name(i: int) -> str:
        where = f"input {i}" if i < count else f"grad_output {i - count}"
        return f"the second derivative with respect to {where}"

    points = inputs + tuple(_as_float64(g) for g in grad_outputs)
    return _compare(
        "gradgradcheck", first_order, points, eps, atol, rtol, seed, raise_exception, name
    )
