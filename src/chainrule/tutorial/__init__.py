"""The notebook's experiments, runnable and reproducible: ``chainrule tutorial``."""

from . import classification, regression, softmax
from .common import Options

EXPERIMENTS = {"regression": regression, "classification": classification, "softmax": softmax}

__all__ = ["EXPERIMENTS", "Options", "classification", "regression", "softmax"]
