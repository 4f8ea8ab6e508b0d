"""The notebook's experiments, runnable and reproducible: ``chainrule tutorial``."""

from . import classification, pytorch, regression, softmax
from .common import Options

EXPERIMENTS = {
    "regression": regression,
    "classification": classification,
    "softmax": softmax,
    "pytorch": pytorch,
}

__all__ = ["EXPERIMENTS", "Options", "classification", "pytorch", "regression", "softmax"]
