"""chainrule.func: torch.func's composable transforms (grad, vjp, jvp, jacrev, jacfwd, hessian,
vmap, functional_call, stack_module_state).

Reverse mode runs chainrule's ordinary backward; forward mode carries tangents through the
NumPy code of each op (func/dual.py), forward and backward, so jacfwd(jacrev(f)) gives exact
second derivatives. vmap loops over the batch (func/vmap.py says what that costs)."""

from .forward import hessian, jacfwd, jvp
from .functional_call import functional_call, stack_module_state
from .reverse import grad, grad_and_value, jacrev, vjp
from .vmap import vmap

__all__ = [
    "functional_call",
    "grad",
    "grad_and_value",
    "hessian",
    "jacfwd",
    "jacrev",
    "jvp",
    "stack_module_state",
    "vjp",
    "vmap",
]
