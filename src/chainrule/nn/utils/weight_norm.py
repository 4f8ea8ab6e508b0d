"""torch.nn.utils.weight_norm and spectral_norm, the hook-based forms (torch deprecates the
first in favour of ``parametrizations.weight_norm``, and warns the same way here).

weight_norm: w = g v / ||v||, the norm over every axis but ``dim``; g (``weight_g``) and v
(``weight_v``) are the parameters, and w is recomputed before each forward.
spectral_norm: w = w_orig / sigma, sigma the largest singular value of w_orig flattened to a
matrix, estimated by power iteration on buffers u and v, one step per training forward.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..._checks import check_dim, fail_value, message
from ...autograd.grad_mode import no_grad
from ...autograd.tensor import Tensor
from ...cpugraph.capture import record_call
from ...errors import MissingNameError
from ...random import as_generator
from ..parameter import Parameter


def norm_except_dim(v: Any, pow: float = 2, dim: int | None = 0) -> Any:  # noqa: A002
    """||v||_pow over every axis but ``dim`` (all of them when dim is None or -1), kept for
    broadcasting against v."""
    if dim is None or dim == -1:
        return v.norm(pow)
    dim = check_dim("weight_norm", dim, v.ndim, tuple(v.shape))  # % would wrap a dim of 3 to 1
    axes = tuple(a for a in range(v.ndim) if a != dim)
    return v.norm(pow, axes, keepdim=True) if axes else v.abs()


def _weight_norm(v: Any, g: Any, dim: int | None) -> Any:
    return v * (g / norm_except_dim(v, 2, dim))


class _WeightNormHook:
    def __init__(self, name: str, dim: int | None) -> None:
        self.name, self.dim = name, dim

    def compute(self, module: Any) -> Any:
        g, v = getattr(module, self.name + "_g"), getattr(module, self.name + "_v")
        return _weight_norm(v, g, self.dim)

    def __call__(self, module: Any, inputs: Any) -> None:
        object.__setattr__(module, self.name, self.compute(module))


def weight_norm(module: Any, name: str = "weight", dim: int | None = 0) -> Any:
    """Split ``module.<name>`` into a magnitude ``<name>_g`` and a direction ``<name>_v``."""
    warnings.warn(
        "`torch.nn.utils.weight_norm` is deprecated in favor of "
        "`torch.nn.utils.parametrizations.weight_norm`.",
        FutureWarning,
        stacklevel=2,
    )
    weight = _take(module, name, "weight_norm")
    hook = _WeightNormHook(name, -1 if dim is None else dim)
    module.register_parameter(name + "_g", Parameter(norm_except_dim(weight, 2, hook.dim).detach()))
    module.register_parameter(name + "_v", Parameter(weight.detach()._data))
    object.__setattr__(module, name, hook.compute(module))
    handle = module.register_forward_pre_hook(hook)
    module.__dict__.setdefault("_norm_hooks", {})[(name, "weight_norm")] = (hook, handle)
    return module


def remove_weight_norm(module: Any, name: str = "weight") -> Any:
    """Fold g and v back into one ``<name>`` parameter."""
    hook, handle = _hook(module, name, "weight_norm")
    weight = hook.compute(module).detach()
    handle.remove()
    for suffix in ("_g", "_v"):
        delattr(module, name + suffix)
    object.__delattr__(module, name)
    module.register_parameter(name, Parameter(weight._data.copy()))
    return module


def _take(module: Any, name: str, who: str) -> Any:
    weight = module._parameters.get(name)
    if weight is None:
        raise MissingNameError(
            message(who, f"a module with a parameter {name!r}", f"{type(module).__name__}")
        )
    if (name, who) in module.__dict__.get("_norm_hooks", {}):
        fail_value(who, f"{name!r} not yet under {who}", "a second call on it")
    delattr(module, name)
    return weight


def _hook(module: Any, name: str, who: str) -> Any:
    hooks = module.__dict__.get("_norm_hooks", {})
    if (name, who) not in hooks:
        fail_value(f"remove_{who}", f"{who} of {name!r} in {type(module).__name__}", "none")
    return hooks.pop((name, who))


def normalize_array(x: np.ndarray, eps: float) -> np.ndarray:
    """x / max(||x||, eps), as torch's F.normalize on a vector."""
    return x / max(float(np.linalg.norm(x)), eps)


def as_matrix(weight: np.ndarray, dim: int) -> np.ndarray:
    """The weight with ``dim`` first, flattened to (size of dim, everything else)."""
    return np.moveaxis(weight, dim, 0).reshape(weight.shape[dim], -1)


def power_step(matrix: np.ndarray, u: np.ndarray, v: np.ndarray, steps: int, eps: float) -> None:
    """``steps`` rounds of power iteration, written into u and v (torch updates them in place)."""
    for _ in range(steps):
        v[...] = normalize_array(matrix.T @ u, eps)
        u[...] = normalize_array(matrix @ v, eps)


class _SpectralNormHook:
    def __init__(self, name: str, steps: int, dim: int, eps: float) -> None:
        self.name, self.steps, self.dim, self.eps = name, steps, dim, eps

    def compute(self, module: Any, do_power_iteration: bool) -> Any:
        weight = getattr(module, self.name + "_orig")
        u, v = getattr(module, self.name + "_u"), getattr(module, self.name + "_v")
        if do_power_iteration:
            # recorded: a CPUGraph replay iterates on each step's weight, as eager steps do
            matrix = as_matrix(weight._data, self.dim)
            record_call(power_step, matrix, u._data, v._data, self.steps, self.eps)
        matrix = weight.movedim(self.dim, 0).reshape(weight.shape[self.dim], -1)
        sigma = (u.detach().clone() * (matrix @ v.detach().clone())).sum()
        return weight / sigma

    def __call__(self, module: Any, inputs: Any) -> None:
        object.__setattr__(module, self.name, self.compute(module, module.training))


def spectral_norm(
    module: Any,
    name: str = "weight",
    n_power_iterations: int = 1,
    eps: float = 1e-12,
    dim: int | None = None,
    generator: Any = None,
) -> Any:
    """Divide ``module.<name>`` by its largest singular value before each forward (GAN
    discriminators). ``dim`` defaults to 0, or 1 for ConvTranspose layers, as torch."""
    if n_power_iterations <= 0:
        fail_value("spectral_norm", "n_power_iterations > 0", repr(n_power_iterations))
    if dim is None:
        dim = 1 if type(module).__name__.startswith("ConvTranspose") else 0
    weight = _take(module, name, "spectral_norm")
    hook = _SpectralNormHook(name, n_power_iterations, dim, eps)
    matrix = as_matrix(weight._data, dim)
    rng = as_generator(generator)
    u = normalize_array(rng.standard_normal(matrix.shape[0]).astype(matrix.dtype), eps)
    v = normalize_array(rng.standard_normal(matrix.shape[1]).astype(matrix.dtype), eps)
    module.register_parameter(name + "_orig", weight)
    object.__setattr__(module, name, Tensor._of(weight._data.copy()))
    module.register_buffer(name + "_u", u)
    module.register_buffer(name + "_v", v)
    handle = module.register_forward_pre_hook(hook)
    module.__dict__.setdefault("_norm_hooks", {})[(name, "spectral_norm")] = (hook, handle)
    return module


def remove_spectral_norm(module: Any, name: str = "weight") -> Any:
    hook, handle = _hook(module, name, "spectral_norm")
    with no_grad():
        weight = hook.compute(module, do_power_iteration=False)
    handle.remove()
    for suffix in ("_orig", "_u", "_v"):
        delattr(module, name + suffix)
    object.__delattr__(module, name)
    module.register_parameter(name, Parameter(weight._data.copy()))
    return module
