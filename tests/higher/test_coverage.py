"""Which of chainrule's own Functions create_graph=True can pass through: every Function
subclass either has a rule (chainrule/higher) or is on the list below, which README's
Autograd section summarises. A new op without a rule fails here until it gets one or is
listed; run this file as a script to print the list."""

import importlib
import pkgutil

import chainrule
from chainrule.autograd.function import Function
from chainrule.higher import RULES

# Special functions, decompositions with torch's long double-backward formulas, and rare ops.
WITHOUT_RULES = {
    "autograd_forward_ad.MakeDual",
    "distributions._special.Gammainc",
    "distributions._special.LogBessel",
    "distributions._special.StandardGamma",
    "functional.bessel.I0",
    "functional.bessel.I0e",
    "functional.bessel.I1",
    "functional.bessel.I1e",
    "functional.ctc.CTCLoss",
    "functional.decompositions.MatrixExp",
    "functional.decompositions.QR",
    "functional.decompositions.SVD",
    "functional.eigen.Eig",
    "functional.eigen.Eigh",
    "functional.float_parts.FrexpMantissa",
    "functional.grid_sample.GridSample",
    "functional.index_extras.ScatterReduce",
    "functional.linear_solve.Pinv",
    "functional.lu.LUFactor",
    "functional.lu.LUSolve",
    "functional.nan_reductions.LogCumSumExp",
    "functional.pdist.Pdist",
    "functional.special_math.LogNdtr",
    "functional.special_more.Erfcx",
    "functional.special_more.Ndtri",
    "functional.special_more.Zeta",
    "memory_format.Relayout",
    "nn.cross_map_lrn.CrossMapLRN",
    "nn.module_backward_hooks._BackwardHook",
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
