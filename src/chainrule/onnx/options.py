"""torch.onnx.export's keywords that choose nothing here, checked so none is dropped silently."""

from __future__ import annotations

import enum
from typing import Any


class TrainingMode(enum.IntEnum):
    """torch.onnx.TrainingMode: export writes the eval-mode graph (EVAL, or PRESERVE of an
    eval model); a training graph (dropout drawing masks, batch statistics) is refused."""

    EVAL = 0
    PRESERVE = 1
    TRAINING = 2


def check_options(model: Any, **given: Any) -> None:
    """Refuse, with the reason, each keyword whose torch meaning export does not provide."""
    training = given["training"]
    if training in (None, False) or training == TrainingMode.EVAL:
        pass
    elif training == TrainingMode.PRESERVE:
        if any(module.training for module in model.modules()):
            _refuse(
                "training=TrainingMode.PRESERVE with a model in training mode",
                "call model.eval() first, or pass training=TrainingMode.EVAL.",
            )
    else:
        _refuse(
            f"training={training!r}",
            "ONNX export writes the eval-mode forward; pass training=TrainingMode.EVAL.",
        )
    if given["export_params"] is not True:
        _refuse("export_params=False", "weights are always written as initializers.")
    if given["keep_initializers_as_inputs"]:
        _refuse("keep_initializers_as_inputs=True", "weights are initializers, not graph inputs.")
    if given["kwargs"]:
        _refuse("keyword inputs (kwargs=...)", "pass every input positionally, in args.")
    if given["dynamic_shapes"] is not None:
        _refuse("dynamic_shapes=...", 'name the varying axes with dynamic_axes={"input": [0]}.')
    kind = given["operator_export_type"]
    if kind is not None and getattr(kind, "name", kind) not in ("ONNX", 0):
        _refuse(f"operator_export_type={kind!r}", "only standard ONNX operators are written.")
    if given["custom_opsets"]:
        _refuse("custom_opsets=...", "only the default ONNX domain is written.")
    if given["export_modules_as_functions"]:
        _refuse("export_modules_as_functions=...", "modules are written as plain nodes.")


def _refuse(what: str, hint: str) -> None:
    raise ValueError(
        f"onnx.export: expected a setting chainrule can honour, got {what}.\nHint: {hint}"
    )
