"""``torch.jit.script`` and ``torch.jit.trace`` give back what they are handed: a TorchScript
program runs the same computation as its source, and chainrule runs the source. What needs a
real TorchScript file (``jit.save``, ``jit.load``) is refused with the alternative."""

from __future__ import annotations

from typing import Any, NoReturn

from ._checks import message


def script(
    obj: Any,
    optimize: None = None,
    _frames_up: int = 0,
    _rcb: Any = None,
    example_inputs: Any = None,
) -> Any:
    """``obj`` unchanged (no TorchScript compiler here; it runs as Python)."""
    return obj


def trace(func: Any, example_inputs: Any = None, *args: Any, **kwargs: Any) -> Any:
    """``func`` unchanged: the traced program computes what ``func`` computes."""
    return func


def ignore(drop: Any = False, **kwargs: Any) -> Any:
    return drop if callable(drop) else (lambda fn: fn)


unused = export = ignore


def is_scripting() -> bool:
    return False


is_tracing = is_scripting


def _refuse(who: str) -> NoReturn:
    raise NotImplementedError(
        message(
            f"jit.{who}",
            "a chainrule checkpoint",
            "a TorchScript archive, which chainrule cannot write or read",
            "save the weights with chainrule.save(model.state_dict(), path), or export the "
            "model with chainrule.onnx.export.",
        )
    )


def save(m: Any, f: Any, _extra_files: Any = None) -> NoReturn:
    _refuse("save")


def load(f: Any, map_location: Any = None, _extra_files: Any = None) -> NoReturn:
    _refuse("load")
