"""The parts of torch.autograd kept outside autograd/ (which keeps a line budget): grad,
backward, functional, forward_ad and gradgradcheck, bound there by autograd/__init__.py."""

import sys

from . import autograd_forward_ad as forward_ad
from . import autograd_functional as functional
from .autograd_backward import backward
from .autograd_grad import grad
from .autograd_variable import Variable
from .gradcheck import gradgradcheck

__all__ = ["Variable", "backward", "forward_ad", "functional", "grad", "gradgradcheck"]

# `import chainrule.autograd.functional` and `from chainrule.autograd.forward_ad import ...`, as
# torch programs write them, look these modules up by those dotted names.
sys.modules.setdefault("chainrule.autograd.functional", functional)
sys.modules.setdefault("chainrule.autograd.forward_ad", forward_ad)
