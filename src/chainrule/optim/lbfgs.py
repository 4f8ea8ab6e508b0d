"""L-BFGS (Liu and Nocedal, 1989) as torch.optim.LBFGS: a quasi-Newton step from the last
``history_size`` curvature pairs, with a closure that re-evaluates the loss several times a step."""

from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from .._checks import fail_value
from ..autograd.grad_mode import _Mode, enable_grad
from ..errors import GraphError
from . import lbfgs_state
from .lbfgs_line_search import strong_wolfe
from .optimizer import Optimizer

_CARRIED = ("d", "t", "prev_flat_grad", "prev_loss", "old_dirs", "old_stps", "ro", "H_diag")


def _two_loop(state, history_size, flat_grad, old_dirs, old_stps, ro, h_diag):
    """-H g for the inverse-Hessian estimate H the stored pairs make (Nocedal and Wright,
    algorithm 7.4); the coefficients are kept in state["al"], as torch keeps them."""
    al = state.setdefault("al", [None] * history_size)
    q = -flat_grad
    for i in range(len(old_dirs) - 1, -1, -1):
        al[i] = old_stps[i].dot(q) * ro[i]
        q -= al[i] * old_dirs[i]
    r = q * h_diag
    for i in range(len(old_dirs)):
        r += (al[i] - old_dirs[i].dot(r) * ro[i]) * old_stps[i]
    return r


class LBFGS(Optimizer):
    """``step(closure)`` runs up to max_iter iterations: direction d = -H g from the two-loop
    recursion, step t (lr, or a strong-Wolfe line search), p <- p + t d; it stops early when
    max|g| <= tolerance_grad or the loss or step changes less than tolerance_change.

    One parameter group only, as torch. The whole state lives on the first parameter, as flat
    vectors over all parameters: ``state_dict()`` saves it in torch's layout.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1,
        max_iter: int = 20,
        max_eval: int | None = None,
        tolerance_grad: float = 1e-7,
        tolerance_change: float = 1e-9,
        history_size: int = 100,
        line_search_fn: str | None = None,
    ) -> None:
        if max_eval is None and isinstance(max_iter, int):
            max_eval = max_iter * 5 // 4
        defaults = dict(
            lr=lr,
            max_iter=max_iter,
            max_eval=max_eval,
            tolerance_grad=tolerance_grad,
            tolerance_change=tolerance_change,
            history_size=history_size,
            line_search_fn=line_search_fn,
        )
        super().__init__(params, defaults)
        self._params = self.param_groups[0]["params"]

    def add_param_group(self, group: dict[str, Any]) -> None:
        """One group only: the flat history spans all parameters, with one lr (torch refuses a
        second group at construction and fails at step() after add_param_group)."""
        if self.param_groups:
            fail_value(
                "LBFGS",
                "one parameter group (it has no per-parameter options)",
                "a second one",
            )
        super().add_param_group(group)

    def _flat_grad(self) -> np.ndarray:
        return np.concatenate(
            [
                np.zeros(p._data.size, p.dtype) if p._grad is None else p._grad.ravel()
                for p in self._params
            ]
        )

    def _add(self, t: Any, d: np.ndarray) -> None:
        offset = 0
        for p in self._params:
            p._data += (d[offset : offset + p._data.size] * t).reshape(p.shape)
            p._vc[0] += 1  # a graph recorded before the move can no longer be used
            offset += p._data.size

    def _evaluate(self, closure: Callable[[], Any], t: Any, d: np.ndarray):
        """Loss and flat gradient at p + t d, the parameters put back as they were."""
        saved = [p._data.copy() for p in self._params]
        self._add(t, d)
        loss = float(closure())
        flat = self._flat_grad()
        for p, data in zip(self._params, saved):
            p._data[...] = data
            p._vc[0] += 1
        return loss, flat

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        if _Mode.capture is not None:
            raise GraphError(
                "LBFGS.step: expected to run outside a CPUGraph capture, got a call inside one: "
                "its closure runs forward and backward a data-dependent number of times, which "
                "one replay cannot repeat.\nHint: call optimizer.step(closure) eagerly."
            )
        if not callable(closure):
            fail_value("LBFGS.step", "a closure that re-evaluates the model", repr(closure))
        closure = enable_grad()(closure)
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        state = self.state.setdefault(id(self._params[0]), {})
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)
        orig_loss = closure()
        loss = float(orig_loss)
        evals = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        if np.abs(flat_grad).max() <= tolerance_grad:
            return orig_loss
        d, t, prev_flat_grad, prev_loss = (state.get(k) for k in _CARRIED[:4])
        old_dirs, old_stps, ro, h_diag = (state.get(k) for k in _CARRIED[4:])
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d, old_dirs, old_stps, ro, h_diag = -flat_grad, [], [], [], 1
            else:
                y, s = flat_grad - prev_flat_grad, d * t
                ys = y.dot(s)
                if ys > 1e-10:  # keep the pair only where the curvature is positive
                    if len(old_dirs) == group["history_size"]:
                        del old_dirs[0], old_stps[0], ro[0]
                    old_dirs.append(y)
                    old_stps.append(s)
                    ro.append(1.0 / ys)
                    h_diag = ys / y.dot(y)
                d = _two_loop(
                    state, group["history_size"], flat_grad, old_dirs, old_stps, ro, h_diag
                )
            prev_flat_grad = flat_grad.copy()
            prev_loss = loss
            t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr if state["n_iter"] == 1 else lr
            gtd = flat_grad.dot(d)
            if gtd > -tolerance_change:  # not a descent direction
                break
            calls = 0
            if group["line_search_fn"] is not None:
                loss, flat_grad, t, calls = strong_wolfe(
                    lambda t_, d_: self._evaluate(closure, t_, d_),
                    t,
                    d,
                    loss,
                    flat_grad,
                    gtd,
                    max_ls=max_eval - evals,
                )
                self._add(t, d)
                optimal = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add(t, d)
                optimal = False
                if n_iter != max_iter:  # the last iteration's loss is the next step's first
                    loss = float(closure())
                    flat_grad = self._flat_grad()
                    optimal = np.abs(flat_grad).max() <= tolerance_grad
                    calls = 1
            evals += calls
            state["func_evals"] += calls
            if n_iter == max_iter or evals >= max_eval or optimal:
                break
            if np.abs(d * t).max() <= tolerance_change or abs(loss - prev_loss) < tolerance_change:
                break
        carried = (d, t, prev_flat_grad, prev_loss, old_dirs, old_stps, ro, h_diag)
        state.update(zip(_CARRIED, carried))
        return orig_loss

    def state_dict(self) -> dict[str, Any]:
        saved = super().state_dict()
        saved["state"] = {
            k: {name: lbfgs_state.copied(v) for name, v in values.items()}
            for k, values in saved["state"].items()
        }
        return saved

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        lbfgs_state.load(self, state_dict)
