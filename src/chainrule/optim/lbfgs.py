"""L-BFGS, torch.optim.LBFGS: a quasi-Newton step from the last ``history_size`` gradient
differences (the two-loop recursion), with a fixed step or a strong-Wolfe line search
(lbfgs_line_search.py). ``step(closure)`` re-evaluates the loss as often as it needs."""

from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np

from .._checks import fail_value
from ..autograd.grad_mode import _Mode, enable_grad
from ..errors import GraphError
from .lbfgs_line_search import strong_wolfe
from .optimizer import Optimizer


class LBFGS(Optimizer):
    """Limited-memory BFGS over all parameters as one flat vector, as torch's (one param group;
    ``step`` takes a closure that zeroes the grads, computes the loss, calls backward and
    returns the loss).

    >>> import chainrule as cr
    >>> w = cr.nn.Parameter([3.0, -2.0])
    >>> optimizer = LBFGS([w], lr=1.0, max_iter=20)
    >>> def closure():
    ...     optimizer.zero_grad()
    ...     loss = ((w - 1.0) ** 2).sum()
    ...     loss.backward()
    ...     return loss
    >>> _ = optimizer.step(closure)
    >>> [round(v, 4) for v in w.tolist()]
    [1.0, 1.0]
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
        if line_search_fn not in (None, "strong_wolfe"):
            fail_value("LBFGS", "line_search_fn None or 'strong_wolfe'", repr(line_search_fn))
        if max_eval is None:
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
        if len(self.param_groups) != 1:
            fail_value(
                "LBFGS",
                "one parameter group",
                f"{len(self.param_groups)}",
                "LBFGS takes no per-group options; pass the parameters as one list.",
            )
        self._params = self.param_groups[0]["params"]

    def _state_spec(self, group: dict[str, Any]) -> dict[str, str]:
        return {}

    def _flat_grad(self) -> np.ndarray:
        return np.concatenate(
            [
                (p._grad if p._grad is not None else np.zeros_like(p._data)).reshape(-1)
                for p in self._params
            ]
        )

    def _add(self, step: Any, direction: np.ndarray) -> None:
        offset = 0
        for p in self._params:
            size = p._data.size
            p._data += (step * direction[offset : offset + size]).reshape(p._data.shape)
            p._vc[0] += 1  # a graph recorded before the step can no longer be used
            offset += size

    def _directional(self, closure: Callable, x: list, t: Any, d: np.ndarray) -> tuple:
        """The loss and flat gradient at x + t d, the parameters put back to x after."""
        self._add(t, d)
        loss = float(closure())
        flat_grad = self._flat_grad()
        for p, saved in zip(self._params, x):
            p._data[...] = saved
        return loss, flat_grad

    def step(self, closure: Any = None) -> Any:  # noqa: C901  (torch's loop, kept whole)
        if closure is None:
            fail_value("LBFGS.step", "a closure that returns the loss", "None")
        if _Mode.capture is not None:
            raise GraphError(
                "LBFGS.step: expected no CPUGraph capture, got one.\nHint: its loop branches "
                "on the loss values, which a replay would not re-read; run it eagerly."
            )
        closure = enable_grad()(closure)
        group = self.param_groups[0]
        lr, max_iter, max_eval = group["lr"], group["max_iter"], group["max_eval"]
        tolerance_grad, tolerance_change = group["tolerance_grad"], group["tolerance_change"]
        state = self.state.setdefault(id(self._params[0]), {})
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = closure()
        loss = float(orig_loss)
        current_evals = 1
        state["func_evals"] += 1
        flat_grad = self._flat_grad()
        if np.abs(flat_grad).max() <= tolerance_grad:
            return orig_loss

        d, t = state.get("d"), state.get("t")
        old_dirs, old_stps, ro = state.get("old_dirs"), state.get("old_stps"), state.get("ro")
        H_diag = state.get("H_diag")  # noqa: N806  (torch's name)
        prev_flat_grad, prev_loss = state.get("prev_flat_grad"), state.get("prev_loss")
        n_iter = 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            if state["n_iter"] == 1:
                d, old_dirs, old_stps, ro, H_diag = -flat_grad, [], [], [], 1  # noqa: N806
            else:
                y, s = flat_grad - prev_flat_grad, d * t
                ys = y.dot(s)
                if ys > 1e-10:  # the curvature condition: keep only pairs that hold it
                    for history, newest in ((old_dirs, y), (old_stps, s), (ro, 1.0 / ys)):
                        if len(history) == group["history_size"]:
                            history.pop(0)
                        history.append(newest)
                    H_diag = ys / y.dot(y)  # noqa: N806
                q, al = -flat_grad, [0.0] * len(old_dirs)
                for i in range(len(old_dirs) - 1, -1, -1):
                    al[i] = old_stps[i].dot(q) * ro[i]
                    q = q - al[i] * old_dirs[i]
                d = r = q * H_diag
                for i in range(len(old_dirs)):
                    be_i = old_dirs[i].dot(r) * ro[i]
                    r += (al[i] - be_i) * old_stps[i]
            prev_flat_grad, prev_loss = flat_grad.copy(), loss
            if state["n_iter"] == 1:
                t = min(1.0, 1.0 / np.abs(flat_grad).sum()) * lr
            else:
                t = lr
            gtd = flat_grad.dot(d)
            if gtd > -tolerance_change:  # not a descent direction
                break
            ls_func_evals = 0
            if group["line_search_fn"] is not None:
                x = [p._data.copy() for p in self._params]
                loss, flat_grad, t, ls_func_evals = strong_wolfe(
                    lambda x_, t_, d_: self._directional(closure, x_, t_, d_),
                    x,
                    t,
                    d,
                    loss,
                    flat_grad,
                    gtd,
                )  # (torch's search keeps its own tolerance_change, 1e-9)
                self._add(t, d)
                opt_cond = np.abs(flat_grad).max() <= tolerance_grad
            else:
                self._add(t, d)
                opt_cond = False
                if n_iter != max_iter:
                    loss = float(closure())
                    flat_grad = self._flat_grad()
                    opt_cond = np.abs(flat_grad).max() <= tolerance_grad
                    ls_func_evals = 1
            current_evals += ls_func_evals
            state["func_evals"] += ls_func_evals
            if n_iter == max_iter or current_evals >= max_eval or opt_cond:
                break
            if np.abs(d * t).max() <= tolerance_change or abs(loss - prev_loss) < tolerance_change:
                break
        state.update(
            d=d,
            t=t,
            old_dirs=old_dirs,
            old_stps=old_stps,
            ro=ro,
            H_diag=H_diag,
            prev_flat_grad=prev_flat_grad,
            prev_loss=prev_loss,
        )
        return orig_loss
