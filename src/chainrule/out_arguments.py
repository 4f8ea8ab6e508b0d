"""torch's ``out=`` keyword on the top-level functions that have it (``torch.cat(ts, out=t)``,
``torch.arange(5, out=t)``): each is the one implementation named in chainrule's namespace,
wrapped so the result is written into ``out`` (functional/comparison.py's ``into``: same
shape, no narrowing of kind, no graph). chainrule's __init__ imports these last, so they are
the names ``chainrule.X`` binds; the library's own code calls the functions unwrapped."""

from __future__ import annotations

from typing import Any, Callable

from .autograd import factories
from .functional import bitwise, bucketing, differences, elementwise, elementwise_math
from .functional import einsum, indexing, matrix_functions, predicates, rearrange
from .functional import scan_stats, shape, shape_extras, sorting
from .tensor_functions import with_out


def _factory(function: Callable[..., Any]) -> Callable[..., Any]:
    """A factory writing into ``out`` makes ``out``'s dtype unless told otherwise, as torch."""

    def factory(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        if out is not None:
            kwargs.setdefault("dtype", out.dtype)
        return with_out(function)(*args, out=out, **kwargs)

    factory.__name__ = factory.__qualname__ = function.__name__
    factory.__doc__ = function.__doc__
    return factory


cat, stack = with_out(shape.cat), with_out(shape.stack)
bmm, outer, diag = with_out(indexing.bmm), with_out(indexing.outer), with_out(indexing.diag)
logsumexp, tril, triu = (
    with_out(indexing.logsumexp),
    with_out(indexing.tril),
    with_out(indexing.triu),
)
gather, index_select = with_out(indexing.gather), with_out(indexing.index_select)
masked_select = with_out(indexing.masked_select)
cumsum, prod = with_out(sorting.cumsum), with_out(einsum.prod)
cumprod, quantile = with_out(scan_stats.cumprod), with_out(scan_stats.quantile)
mv, dot = with_out(rearrange.mv), with_out(rearrange.dot)
erf, erfc = with_out(elementwise_math.erf), with_out(elementwise_math.erfc)
remainder, fmod = with_out(elementwise_math.remainder), with_out(elementwise_math.fmod)
trunc, floor_divide = with_out(elementwise_math.trunc), with_out(elementwise_math.floor_divide)
atan2, expm1 = with_out(elementwise_math.atan2), with_out(elementwise_math.expm1)
sinh, cosh, tan = (with_out(getattr(elementwise_math, n)) for n in ("sinh", "cosh", "tan"))
asin, acos, atan = (with_out(getattr(elementwise_math, n)) for n in ("asin", "acos", "atan"))
addmm, baddbmm = with_out(matrix_functions.addmm), with_out(matrix_functions.baddbmm)
addcmul, addcdiv = with_out(matrix_functions.addcmul), with_out(matrix_functions.addcdiv)
kron, cross = with_out(shape_extras.kron), with_out(shape_extras.cross)
diff, nan_to_num = with_out(differences.diff), with_out(elementwise.nan_to_num)
bitwise_and = with_out(bitwise.bitwise_and)
logical_and, logical_or = with_out(predicates.logical_and), with_out(predicates.logical_or)
logical_not, logical_xor = with_out(predicates.logical_not), with_out(predicates.logical_xor)
bucketize, searchsorted = with_out(bucketing.bucketize), with_out(bucketing.searchsorted)
arange, linspace = _factory(factories.arange), _factory(factories.linspace)
zeros, ones, full = _factory(factories.zeros), _factory(factories.ones), _factory(factories.full)
rand, randn, randint = (
    _factory(factories.rand),
    _factory(factories.randn),
    _factory(factories.randint),
)

__all__ = [
    "acos", "addcdiv", "addcmul", "addmm", "arange", "asin", "atan", "atan2", "baddbmm",
    "bitwise_and", "bmm", "bucketize", "cat", "cosh", "cross", "cumprod", "cumsum", "diag",
    "diff", "dot", "erf", "erfc", "expm1", "floor_divide", "fmod", "full", "gather",
    "index_select", "kron", "linspace", "logical_and", "logical_not", "logical_or",
    "logical_xor", "logsumexp", "masked_select", "mv", "nan_to_num", "ones", "outer", "prod",
    "quantile", "rand", "randint", "randn", "remainder", "searchsorted", "sinh", "stack", "tan",
    "tril", "triu", "trunc", "zeros",
]  # fmt: skip
