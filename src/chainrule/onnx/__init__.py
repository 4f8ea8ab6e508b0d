"""ONNX export of models built from chainrule's layers (needs the ``export`` extra: onnx).

>>> import chainrule.onnx  # doctest: +SKIP
>>> chainrule.onnx.export(model, example, "model.onnx", dynamic_axes={"input": {0: "batch"}})  # doctest: +SKIP
"""

try:
    import onnx  # noqa: F401
except ImportError:
    raise ImportError(
        "chainrule.onnx: expected the onnx package, got none installed.\n"
        "Hint: pip install 'chainrule[export]'."
    ) from None

from ..errors import ExportError
from .export import export
from .graph import CONVERTERS, OP_CONVERTERS
from .options import TrainingMode

__all__ = ["CONVERTERS", "ExportError", "OP_CONVERTERS", "TrainingMode", "export"]
