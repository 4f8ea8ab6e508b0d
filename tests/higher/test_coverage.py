"""Which of chainrule's own Functions create_graph=True can pass through: every Function
subclass either has a rule (chainrule/higher) or is on the list below, which README's
Autograd section summarises. A new op without a rule fails here until it gets one or is
listed; run this file as a script to print the list."""

import importlib
import pkgutil

import chainrule
from chainrule.autograd.function import Function
from chainrule.higher import RULES

# Each with why. Ops whose second derivative torch refuses (ctc_loss, _standard_gamma) have a
# rule that gives the first derivative and refuses the second (higher/rules_first_order.py), as
# do gammainc's first argument and scatter_reduce's prod at a zero; zeta's exponent is refused
# in first order already, as torch.
WITHOUT_RULES = {
    "autograd_forward_ad.MakeDual",  # forward mode's dual numbers: not yet
    "nn.cross_map_lrn.CrossMapLRN",  # torch's CrossMapLRN2d refuses a second derivative too
}


def without_rules() -> set[str]:
    """chainrule's ndarray Functions that create_graph=True refuses (torch-style ones, whose
    backward is on Tensors already, pass)."""
    for module in pkgutil.walk_packages(chainrule.__path__, "chainrule."):
        if not any(part in module.name for part in (".cli", ".tutorial", "__main__")):
            importlib.import_module(module.name)
    found, todo = set(), list(Function.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("chainrule.") and not cls.tensor_level and cls not in RULES:
            found.add(f"{cls.__module__.removeprefix('chainrule.')}.{cls.__name__}")
    return found


def test_every_function_has_a_create_graph_rule_or_is_listed():
    assert without_rules() == WITHOUT_RULES


if __name__ == "__main__":
    print("\n".join(sorted(without_rules())))
