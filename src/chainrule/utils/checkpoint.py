"""``chainrule.utils.checkpoint``: torch's activation checkpointing API, which here simply runs
the function. torch recomputes the segment's activations during backward to save memory;
chainrule keeps them as usual, so results and gradients are the same and no memory is saved."""

from __future__ import annotations

import warnings
from typing import Any, Callable, Sequence


def _warn_unless_given(use_reentrant: bool | None) -> None:
    if use_reentrant is None:  # torch 2.13 warns the same way, then uses the reentrant variant
        warnings.warn(
            "torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. "
            "use_reentrant=False is recommended.",
            UserWarning,
            stacklevel=3,
        )


def checkpoint(
    function: Callable[..., Any],
    *args: Any,
    use_reentrant: bool | None = None,
    context_fn: Any = None,
    determinism_check: str = "default",
    debug: bool = False,
    early_stop: bool = True,
    **kwargs: Any,
) -> Any:
    """``function(*args, **kwargs)``; saves no memory in chainrule (see the module's docstring).

    >>> import chainrule as cr
    >>> from chainrule.utils.checkpoint import checkpoint
    >>> checkpoint(lambda t: t * 2, cr.ones(2), use_reentrant=False)
    tensor([2., 2.])
    """
    _warn_unless_given(use_reentrant)
    return function(*args, **kwargs)


def checkpoint_sequential(
    functions: Sequence[Callable[[Any], Any]] | Any,
    segments: int,
    input: Any,  # noqa: A002
    use_reentrant: bool | None = None,
    **kwargs: Any,
) -> Any:
    """Run a Sequential (or list of modules) on ``input``, one after the other."""
    _warn_unless_given(use_reentrant)
    modules = list(functions.children()) if hasattr(functions, "children") else list(functions)
    for module in modules:
        input = module(input)
    return input
