"""The strong-Wolfe line search LBFGS uses with ``line_search_fn="strong_wolfe"``: bracket a step
that lowers the loss enough (Armijo, c1) and flattens the slope enough (curvature, c2), then
zoom in on it by safeguarded cubic interpolation (Nocedal & Wright, algorithms 3.5 and 3.6, in
the form torch.optim.LBFGS runs, so the steps it takes are torch's)."""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np


def cubic_minimum(
    x1: Any, f1: Any, g1: Any, x2: Any, f2: Any, g2: Any, bounds: tuple | None = None
) -> Any:
    """The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clipped to
    ``bounds`` (default: between the two points); their midpoint when the cubic has none."""
    low, high = bounds if bounds is not None else (min(x1, x2), max(x1, x2))
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    d2_square = d1**2 - g1 * g2
    if d2_square < 0:
        return (low + high) / 2.0
    d2 = math.sqrt(d2_square)
    if x1 <= x2:
        at = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        at = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    return min(max(at, low), high)


class _Point:
    """One trial step: its size, loss, flat gradient and slope along the direction."""

    def __init__(self, t: Any, f: Any, g: np.ndarray, gtd: Any) -> None:
        self.t, self.f, self.g, self.gtd = t, f, g, gtd


def strong_wolfe(
    evaluate: Callable[[list, Any, np.ndarray], tuple],
    x: list,
    t: Any,
    d: np.ndarray,
    f: float,
    g: np.ndarray,
    gtd: Any,
    c1: float = 1e-4,
    c2: float = 0.9,
    tolerance_change: float = 1e-9,
    max_ls: int = 25,
) -> tuple:
    """(loss, flat gradient, step size, evaluations) of the step found along ``d`` from ``x``;
    ``evaluate(x, t, d)`` gives the loss and flat gradient at x + t d."""
    d_norm = np.abs(d).max()
    start = previous = _Point(0, f, g.copy(), gtd)
    f_new, g_new = evaluate(x, t, d)
    new = _Point(t, f_new, g_new, g_new.dot(d))
    evals, ls_iter, done = 1, 0, False
    while ls_iter < max_ls:  # bracketing
        if new.f > f + c1 * new.t * gtd or (ls_iter > 1 and new.f >= previous.f):
            bracket = [previous, new]
            break
        if abs(new.gtd) <= -c2 * gtd:
            bracket, done = [new], True
            break
        if new.gtd >= 0:
            bracket = [previous, new]
            break
        # extrapolate, at least 1% past the last step and at most ten times it
        lowest, highest = new.t + 0.01 * (new.t - previous.t), new.t * 10
        step = cubic_minimum(previous.t, previous.f, previous.gtd, new.t, new.f, new.gtd,
                             (lowest, highest))  # fmt: skip
        previous = new
        f_new, g_new = evaluate(x, step, d)
        new = _Point(step, f_new, g_new, g_new.dot(d))
        evals, ls_iter = evals + 1, ls_iter + 1
    if ls_iter == max_ls:
        bracket = [start, new]
    insufficient = False
    low, high = (0, 1) if bracket[0].f <= bracket[-1].f else (1, 0)
    while not done and ls_iter < max_ls:  # zoom
        if abs(bracket[1].t - bracket[0].t) * d_norm < tolerance_change:
            break
        a, b = bracket
        step = cubic_minimum(a.t, a.f, a.gtd, b.t, b.f, b.gtd)
        top, bottom = max(a.t, b.t), min(a.t, b.t)
        eps = 0.1 * (top - bottom)
        # a step too close to an end makes little progress: move it in, the second time running
        if min(top - step, step - bottom) < eps:
            if insufficient or step >= top or step <= bottom:
                step = top - eps if abs(step - top) < abs(step - bottom) else bottom + eps
                insufficient = False
            else:
                insufficient = True
        else:
            insufficient = False
        f_new, g_new = evaluate(x, step, d)
        new = _Point(step, f_new, g_new, g_new.dot(d))
        evals, ls_iter = evals + 1, ls_iter + 1
        if new.f > f + c1 * step * gtd or new.f >= bracket[low].f:
            bracket[high] = new
            low, high = (0, 1) if bracket[0].f <= bracket[1].f else (1, 0)
        else:
            if abs(new.gtd) <= -c2 * gtd:
                done = True
            elif new.gtd * (bracket[high].t - bracket[low].t) >= 0:
                bracket[high] = bracket[low]
            bracket[low] = new
    best = bracket[low]
    return best.f, best.g, best.t, evals
