"""CPUGraph: a training step recorded once and replayed as a flat list of NumPy calls.

Not part of autograd: the engine and Function report what they run to the graph being
captured (``_Mode.capture``), and this package turns that into replayable steps.
"""

from .capture import CPUGraph, graph, record_call, refuse, refuse_frozen_target

__all__ = ["CPUGraph", "graph", "record_call", "refuse", "refuse_frozen_target"]
