"""The notebook's hand-chained API on NumPy arrays: forward(inputs=...), backward(grad=...), update()."""

from .adapter import Layer, Loss
from .layers import BCELoss, Linear, MSELoss, Sigmoid

__all__ = ["BCELoss", "Layer", "Linear", "Loss", "MSELoss", "Sigmoid"]
