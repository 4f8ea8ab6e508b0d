"""Reading a notebook-style object: what it is, which attributes are its parameters, what to feed it."""

from __future__ import annotations

import inspect

import numpy as np

from .reference import REFERENCES, Reference

BATCH = 5   # not 2, so that "sum where a mean is meant" (factor N) never reads as "factor 2"


def kind_of(obj) -> str:
    """layer (backward(grad)), loss (backward()), forward (no backward) or function."""
    if not hasattr(obj, "forward"):
        if callable(obj):
            return "function"
        raise TypeError(f"chainrule.check: expected a layer, a loss or a function, got {type(obj).__name__}.")
    backward = getattr(obj, "backward", None)
    if backward is None:
        return "forward"
    return "layer" if _n_params(backward) >= 1 else "loss"


def takes_targets(function) -> bool:
    return _n_params(function) >= 2


def _n_params(function) -> int:
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return 1
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return sum(1 for p in signature.parameters.values() if p.kind in kinds)


def name_of(obj) -> str:
    return getattr(obj, "__name__", None) or type(obj).__name__


def reference_for(obj, like: str | None) -> Reference | None:
    """``like=`` when given; otherwise the object's own name when it is one of the notebook's."""
    if like is not None:
        if like not in REFERENCES:
            raise ValueError(f"chainrule.check(like={like!r}): expected one of {sorted(REFERENCES)}, "
                             f"got {like!r}.")
        return REFERENCES[like]
    return REFERENCES.get(name_of(obj))


def parameters(obj) -> list[str]:
    """The notebook's convention: an array attribute ``theta`` is a parameter when ``grad_theta`` exists."""
    names = []
    for name, value in vars(obj).items():
        if name.startswith("grad") or not hasattr(obj, "grad_" + name):
            continue
        if isinstance(value, (np.ndarray, float, int)) and not isinstance(value, bool):
            names.append(name)
    return names


def default_inputs(obj, reference: Reference | None, params: dict, rng: np.random.Generator,
                   kind: str) -> list[np.ndarray]:
    """Candidate inputs, most likely first: the reference's shape, else one implied by theta."""
    if reference is not None:
        return [reference.inputs(rng, BATCH)]
    if kind == "loss" or kind == "function" and takes_targets(obj):
        return [rng.uniform(0.1, 0.9, size=(BATCH, 1))]
    candidates = []
    for value in params.values():
        if np.ndim(value) == 2:
            width = np.shape(value)[1]
            # theta (1, k) reads k inputs, or k - 1 when the layer adds the column of ones itself
            candidates += [rng.standard_normal((BATCH, width)), rng.standard_normal((BATCH, width - 1))]
    return candidates + [rng.standard_normal((BATCH, 1))]


def default_targets(reference: Reference | None, rng: np.random.Generator, n: int) -> np.ndarray:
    if reference is not None and reference.targets is not None:
        return reference.targets(rng, n)
    return rng.integers(0, 2, size=(n, 1)).astype(np.float64)
