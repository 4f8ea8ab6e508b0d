"""``torch.compiler``: chainrule compiles nothing, so each of these leaves code as written
(``disable`` returns the function; ``is_compiling`` is False), which is what torch does for
code that is not being traced."""

from __future__ import annotations

from typing import Any, Callable

from .compiling import compile, is_compiling  # noqa: F401  (torch.compiler.compile too)


def disable(
    fn: Callable | None = None, recursive: bool = True, *, reason: str | None = None
) -> Any:
    """``fn`` itself; without ``fn``, a decorator that returns what it decorates."""
    return fn if fn is not None else (lambda inner: inner)


def is_dynamo_compiling() -> bool:
    return False


def is_exporting() -> bool:
    return False


def reset() -> None:
    """Nothing is cached, so nothing to clear."""


def allow_in_graph(fn: Callable) -> Callable:
    return fn


def assume_constant_result(fn: Callable) -> Callable:
    return fn


def cudagraph_mark_step_begin() -> None:
    """No CUDA graphs here (chainrule.CPUGraph is opt-in and marks its own steps)."""


def list_backends(exclude_tags: Any = None) -> list[str]:
    return []


__all__ = [
    "allow_in_graph",
    "assume_constant_result",
    "compile",
    "cudagraph_mark_step_begin",
    "disable",
    "is_compiling",
    "is_dynamo_compiling",
    "is_exporting",
    "list_backends",
    "reset",
]
