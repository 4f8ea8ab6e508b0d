"""The Tensor methods for torch's comparison, math, shape and index functions written in
comparison.py, binary_math.py, unary_math.py, special_functions.py, nan_reductions.py,
shape_extras.py, index_extras.py and tensor_layout.py; tensor_extras.py binds them.

Each in-place form (``x.hypot_(y)``) is its out-of-place function run through
autograd.inplace.modify, which writes into the tensor's memory and records the step in the
graph as every other in-place op does."""

from __future__ import annotations

from typing import Any, Callable

from .._checks import fail_dtype
from ..autograd import inplace
from . import binary_math, comparison, elementwise_math, index_extras, matrix_functions
from . import nan_reductions, predicates, random_fills, shape_extras, special_functions
from . import strided_views, tensor_layout, unary_math


def in_place(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``name`` (ending in _) as a method: function(self, *args) written into self."""

    def method(self: Any, *args: Any, **kwargs: Any) -> Any:
        return inplace.modify(self, name, lambda t, *a: function(t, *a, **kwargs), *args)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"In place: see {function.__name__}."
    return method


def _float_power_(self: Any, exponent: Any) -> Any:
    """torch refuses it unless self is float64, the dtype float_power computes in."""
    if self.dtype.name != "float64":
        fail_dtype(
            "float_power_",
            "a float64 tensor (float_power computes in float64)",
            f"dtype {self.dtype}",
            "use x = x.double() first, or float_power(x, e).",
        )
    return in_place("float_power_", unary_math.float_power)(self, exponent)


def _compare_in_place(name: str) -> Callable[..., Any]:
    """gt_ and kin: the comparison's bools written back as 0 and 1 in self's dtype."""
    return in_place(name + "_", lambda t, other: getattr(t, name)(other).to(t.dtype))


METHODS: dict[str, Any] = {
    "greater": comparison.gt,
    "greater_equal": comparison.ge,
    "less": comparison.lt,
    "less_equal": comparison.le,
    "not_equal": comparison.ne,
    "isneginf": comparison.isneginf,
    "isposinf": comparison.isposinf,
    "isreal": comparison.isreal,
    "signbit": comparison.signbit,
    "is_nonzero": comparison.is_nonzero,
    "is_same_size": comparison.is_same_size,
    "is_signed": comparison.is_signed,
    "negative": comparison.negative,
    "positive": comparison.positive,
    "select": comparison.select,
    "swapdims": comparison.swapdims,
    "float_power_": _float_power_,
    "divide_": in_place("divide_", elementwise_math.divide),
    "stride": tensor_layout.stride,
    "ndimension": tensor_layout.ndimension,
    "new": tensor_layout.new,
    "resize_": tensor_layout.resize_,
    "resize_as_": tensor_layout.resize_as_,
    "squeeze_": tensor_layout.squeeze_,
    "unsqueeze_": tensor_layout.unsqueeze_,
    "t_": tensor_layout.t_,
    "transpose_": tensor_layout.transpose_,
    "swapaxes_": tensor_layout.transpose_,
    "swapdims_": tensor_layout.transpose_,
    "unfold": strided_views.unfold,
    "fill_diagonal_": index_extras.fill_diagonal_,
    "multinomial": random_fills.multinomial_method,
}
for _name in ("gt", "ge", "lt", "le", "eq", "ne"):
    METHODS[_name + "_"] = _compare_in_place(_name)
for _alias, _name in (
    ("greater", "gt"),
    ("greater_equal", "ge"),
    ("less", "lt"),
    ("less_equal", "le"),
    ("not_equal", "ne"),
):
    METHODS[_alias + "_"] = _compare_in_place(_name)

# name lists as words: torch's names, grouped by the module that holds them
_BINARY = "logaddexp logaddexp2 hypot copysign fmax fmin xlogy ldexp heaviside gcd lcm nextafter"
_UNARY = "frac exp2 sinc logit float_power deg2rad rad2deg sgn"
_SPECIAL = "erfinv lgamma digamma"
_REDUCTIONS = "nansum nanmean nanmedian aminmax logcumsumexp"
_SHAPES = "take_along_dim take kron cross rot90 tensor_split hsplit vsplit dsplit split_with_sizes"
_SHAPES += " diag_embed diagflat"
_INDEXED = "scatter_reduce index_copy index_reduce masked_scatter put unique_consecutive"
_MATRICES = "det logdet slogdet inverse pinverse matrix_power matrix_exp cholesky cholesky_solve"
_MATRICES += " cholesky_inverse qr svd cov corrcoef dist renorm vdot inner ger addr addmv"
_MATRICES += " addmm baddbmm addbmm addcmul addcdiv"
_RANDOM = "bernoulli bernoulli_ random_ exponential_ geometric_ log_normal_ cauchy_"
for _module, _names in (
    (binary_math, _BINARY),
    (unary_math, _UNARY),
    (special_functions, _SPECIAL),
    (nan_reductions, _REDUCTIONS),
    (shape_extras, _SHAPES),
    (index_extras, _INDEXED),
    (matrix_functions, _MATRICES),
    (random_fills, _RANDOM),
):
    METHODS.update({name: getattr(_module, name) for name in _names.split()})
# the in-place forms torch has (no fmax_, fmin_, logaddexp_ there, so none here)
_IN_PLACE = "hypot copysign xlogy ldexp heaviside gcd lcm nextafter frac exp2 sinc logit deg2rad"
_IN_PLACE += " rad2deg sgn erfinv lgamma digamma negative scatter_reduce index_copy index_reduce"
_IN_PLACE += " masked_scatter put renorm addr addmv addmm baddbmm addbmm addcmul addcdiv"
METHODS.update({name + "_": in_place(name + "_", METHODS[name]) for name in _IN_PLACE.split()})
_ELEMENTWISE = {
    "atan2": elementwise_math.atan2,
    "arctan2": elementwise_math.atan2,
    "fmod": elementwise_math.fmod,
    "remainder": elementwise_math.remainder,
    "floor_divide": elementwise_math.floor_divide,
    "logical_and": predicates.logical_and,
    "logical_or": predicates.logical_or,
    "logical_xor": predicates.logical_xor,
    "logical_not": predicates.logical_not,
}
METHODS.update({name + "_": in_place(name + "_", f) for name, f in _ELEMENTWISE.items()})
