"""Gradient clipping, torch.nn.utils' clip_grad_norm_ and clip_grad_value_."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ..._checks import fail_value
from ...cpugraph.capture import record_call
from ...autograd.tensor import Tensor


def _params(parameters: Any) -> list[Any]:
    return [parameters] if isinstance(parameters, Tensor) else list(parameters)


def _grads(params: list[Any]) -> list[np.ndarray]:
    """The .grad arrays there are now: a CPUGraph replay reads them again (one may have been
    replaced, or set, since the capture)."""
    return [p._grad for p in params if p._grad is not None]


def clip_grad_norm_(
    parameters: Iterable[Any],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
    foreach: Any = None,
) -> Any:
    """Scale all gradients together so their joint norm is at most max_norm; returns the norm
    (a 0-d tensor, as torch)."""
    _check_threshold("clip_grad_norm_", "max_norm", max_norm)
    # a norm of order <= 0 is no norm: a NaN or a coefficient that flips signs would follow
    if not _is_number(norm_type) or not norm_type > 0:
        fail_value(
            f"clip_grad_norm_(norm_type={norm_type!r})",
            "norm_type a number > 0 or inf",
            repr(norm_type),
        )
    params = _params(parameters)
    if not _grads(params):
        return Tensor._of(np.zeros((), dtype=np.float32))
    # one call, so a CPUGraph capture replays the norm and the scaling on each replay's .grads
    return Tensor._of(record_call(_clip_norm, params, max_norm, norm_type, error_if_nonfinite))


def _clip_norm(
    params: list[Any], max_norm: float, norm_type: float, error_if_nonfinite: bool
) -> np.ndarray:
    grads = _grads(params)
    if not grads:  # (a replay whose .grads were all cleared since the capture)
        return np.zeros((), dtype=np.float32)
    if norm_type == np.inf:
        total = max(float(np.abs(g).max()) for g in grads)
    else:
        total = float(
            sum(float(np.sum(np.abs(g) ** norm_type)) for g in grads) ** (1.0 / norm_type)
        )
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"clip_grad_norm_: expected a finite total gradient norm, got {total}.\n"
            "Hint: a NaN or Inf gradient; wrap the step in chainrule.detect_anomaly() to find it."
        )
    coefficient = min(max_norm / (total + 1e-6), 1.0)
    for g in grads:
        g *= coefficient
    return np.asarray(total, dtype=np.result_type(*grads))  # float32 with float64: float64


def clip_grad_value_(parameters: Iterable[Any], clip_value: float, foreach: Any = None) -> None:
    """Clamp every gradient element into [-clip_value, clip_value], in place."""
    _check_threshold("clip_grad_value_", "clip_value", clip_value)
    record_call(_clip_values, _params(parameters), clip_value)


def _clip_values(params: list[Any], clip_value: float) -> None:
    for g in _grads(params):
        np.clip(g, -clip_value, clip_value, out=g)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def _check_threshold(who: str, name: str, value: Any) -> None:
    """A negative threshold would flip every gradient's sign (or set it to -value); NaN, zero them all."""
    if not _is_number(value) or not value >= 0:
        fail_value(
            f"{who}({name}={value!r})",
            f"{name} a number >= 0",
            repr(value),
            "it is a bound on the gradients' size: use a positive number such as 1.0.",
        )
