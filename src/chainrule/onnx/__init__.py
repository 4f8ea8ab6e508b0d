"""ONNX export of models built from chainrule's layers (needs the ``export`` extra: onnx).

>>> import chainrule.onnx  # doctest: +SKIP
>>> chainrule.onnx.export(model, example, "model.onnx", dynamic_axes={"input": {0: "batch"}})  # doctest: +SKIP
"""

from ..errors import ExportError
from .export import export
from .graph import CONVERTERS

__all__ = ["CONVERTERS", "ExportError", "export"]
