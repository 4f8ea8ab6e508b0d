"""``torch.compile``: chainrule has no compiler, so it returns the module or function itself,
which is what torch gives with ``backend="eager"`` (the code runs as written). A captured,
replayed training step is ``chainrule.CPUGraph``; that one is opt-in and says so."""

from __future__ import annotations

from typing import Any, Callable

from ._checks import message


def compile(  # noqa: A001  (torch's name)
    model: Callable | None = None,
    *,
    fullgraph: bool = False,
    dynamic: bool | None = None,
    backend: str | Callable | None = None,
    mode: str | None = None,
    options: dict | None = None,
    name: str | None = None,
    disable: bool = False,
    recompile_limit: int | None = None,
    isolate_recompiles: bool = False,
    shapes_spec: Any = None,
) -> Any:
    """``model`` itself; without a model, a decorator that returns what it decorates."""
    if mode is not None and options is not None:
        raise RuntimeError(
            message("compile", "either mode or options", "both", "pass one of the two.")
        )
    if model is None:
        return lambda fn: fn
    if not callable(model):
        # torch's AssertionError ("A callable function is expected")
        raise AssertionError(message("compile", "a Module or a function", type(model).__name__))
    return model


def is_compiling() -> bool:
    return False
