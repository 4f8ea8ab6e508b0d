"""Higher-order gradients: backward with ``create_graph=True``, as torch.

The gradients come back as Tensors with a graph (engine.py), built from a second form of each
op's backward written with differentiable Tensor ops (rules.py, rules_shape.py, rules_nn.py),
so a gradient can be differentiated again: gradient penalties (WGAN-GP), Hessian-vector
products, MAML's inner step, d2u/dx2 in physics-informed nets. With create_graph=False none of
this runs: the ordinary engine and the ndarray backwards are unchanged.
"""

from .engine import backward, run
from .rules import RULES, rule

__all__ = ["RULES", "backward", "rule", "run"]
