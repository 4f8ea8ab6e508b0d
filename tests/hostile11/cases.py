"""hostile11's cases: every binary and in-place op torch's type promotion touches, across the
dtypes chainrule has (bool, uint8, int8..int64, float32, float64; float16 and bfloat16 are
refused on purpose), each operand a tensor with dims, a 0-d tensor or a Python number; the
floored and truncated divisions on signed zeros, infinities, NaN and integer zeros; and lists
where a tensor is due. Each generator draws one case from a seeded Generator, in hostile10's
harness form: (fn, args, kwargs, label)."""

from __future__ import annotations

import math

import numpy as np

from tests.hostile10.harness import Arg

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float32", "float64"]
POOLS = {
    "bool": [True, False],
    "uint8": [0, 1, 3, 200, 255],
    "int8": [-128, -3, -1, 0, 1, 5, 127],
    "int16": [-300, -1, 0, 2, 7],
    "int32": [-5, -1, 0, 9, 2**31 - 1],
    "int64": [-7, -1, 0, 1, 3, 2**40],
    "float": [-2.5, -1.0, -0.0, 0.0, 0.5, 3.0, 7.0, math.inf, -math.inf, math.nan],
}
NUMBERS = [True, False, 0, 3, -3, 300, -129, 2**40, 2.5, -1.5, -0.0, 1e300, math.inf, math.nan]


def _values(rng: np.random.Generator, dtype: str, shape: tuple) -> np.ndarray:
    pool = POOLS["float" if dtype.startswith("float") else dtype]
    return np.asarray(rng.choice(np.asarray(pool, dtype=object), size=shape), dtype=dtype)


def operand(rng: np.random.Generator, kinds: str = "dims 0-d number number numpy") -> object:
    """A tensor with dims (shape (3,) or (2, 3)), a 0-d tensor, a Python number, or a NumPy
    scalar (which torch reads as a number too: np.float64(0.1) meets float32 as float32's 0.1)."""
    kind = str(rng.choice(kinds.split()))
    if kind == "number":
        return NUMBERS[int(rng.integers(len(NUMBERS)))]
    if kind == "numpy":
        return Arg(_values(rng, str(rng.choice(DTYPES[1:])), (1,)), kind="npscalar")
    shape = () if kind == "0-d" else [(3,), (2, 3)][int(rng.integers(2))]
    return Arg(_values(rng, str(rng.choice(DTYPES)), shape))


def _named(name: str):
    return lambda lib, a, b: getattr(lib, name)(a, b)


BINARY = {
    "add": lambda lib, a, b: a + b,
    "sub": lambda lib, a, b: a - b,
    "mul": lambda lib, a, b: a * b,
    "truediv": lambda lib, a, b: a / b,
    "floordiv": lambda lib, a, b: a // b,
    "mod": lambda lib, a, b: a % b,
    "pow": lambda lib, a, b: a**b,
    "eq": lambda lib, a, b: a == b,
    "ne": lambda lib, a, b: a != b,
    "lt": lambda lib, a, b: a < b,
    "le": lambda lib, a, b: a <= b,
    "gt": lambda lib, a, b: a > b,
    "ge": lambda lib, a, b: a >= b,
    "and": lambda lib, a, b: a & b,
    "or": lambda lib, a, b: a | b,
    "xor": lambda lib, a, b: a ^ b,
    "lshift": lambda lib, a, b: a << b,
    "rshift": lambda lib, a, b: a >> b,
    **{
        name: _named(name)
        for name in (
            "add mul div sub eq ne lt ge remainder fmod floor_divide bitwise_and bitwise_or "
            "bitwise_xor bitwise_left_shift bitwise_right_shift maximum minimum hypot "
            "logaddexp nextafter"
        ).split()
    },
    "div_floor": lambda lib, a, b: lib.div(a, b, rounding_mode="floor"),
    "div_trunc": lambda lib, a, b: lib.div(a, b, rounding_mode="trunc"),
    "where": lambda lib, a, b: lib.where(lib.tensor([True, False, True]), a, b),
    "clamp_min": lambda lib, a, b: lib.clamp(a, min=b),
    "clamp_max": lambda lib, a, b: lib.clamp(a, max=b),
}
ALPHAS = [2, -1, 0, 3, 2.5, True]


def binary_case(rng: np.random.Generator):
    """One op of BINARY on two operands (not both numbers), either way round."""
    name = str(rng.choice(sorted(BINARY)))
    a, b = operand(rng, "dims 0-d"), operand(rng)
    if rng.random() < 0.3 and name not in ("where", "clamp_min", "clamp_max"):
        a, b = b, a
    return BINARY[name], [a, b], {}, f"{name}({_describe(a)}, {_describe(b)})"


def alpha_case(rng: np.random.Generator):
    """torch.add/sub(a, b, alpha=...) and Tensor.add/sub: alpha scales b in the result dtype."""
    name = str(rng.choice(["add", "sub"]))
    method = bool(rng.integers(2))
    alpha = ALPHAS[int(rng.integers(len(ALPHAS)))]
    a, b = operand(rng, "dims 0-d"), operand(rng)

    def fn(lib, a, b):
        return getattr(a, name)(b, alpha=alpha) if method else getattr(lib, name)(a, b, alpha=alpha)

    return fn, [a, b], {}, f"{name}_alpha({_describe(a)}, {_describe(b)}, alpha={alpha})"


IN_PLACE = [
    "add_ sub_ mul_ div_ remainder_ fmod_ floor_divide_ pow_ bitwise_and_ bitwise_or_ "
    "bitwise_xor_ bitwise_left_shift_ bitwise_right_shift_ clamp_min_ clamp_max_ eq_ lt_ "
    "__iadd__ __isub__ __imul__ __itruediv__ __ifloordiv__ __imod__ __ipow__ __iand__ __ior__ "
    "__ixor__ __ilshift__ __irshift__ add_alpha_ sub_alpha_ out"
][0].split()


def in_place_case(rng: np.random.Generator):
    """self op= other: the result cast back to self's dtype under torch's can_cast (int16 into
    uint8 wraps; float into an integer, or a number into bool, is refused); or out= (the same
    rule for the out tensor)."""
    name = str(rng.choice(IN_PLACE))
    target, other = operand(rng, "dims 0-d"), operand(rng)
    if name == "out":  # an out of the result's shape (torch resizes a wrong one, warning)
        target = Arg(_values(rng, str(rng.choice(DTYPES)), (2, 3)))
    alpha = ALPHAS[int(rng.integers(len(ALPHAS)))]
    out_op = str(rng.choice(["add", "mul", "remainder", "lt", "bitwise_and", "maximum", "sub"]))

    def fn(lib, t, o):
        if name == "out":
            getattr(lib, out_op)(lib.ones_like(t), o, out=t)
        elif name.endswith("alpha_"):
            getattr(t, name[:3] + "_")(o, alpha=alpha)
        elif name.startswith("clamp"):
            t.clamp_(**{name[6:9]: o})
        else:
            result = getattr(t, name)(o)
            assert result is t, "an in-place op returns self"
        return t

    label = f"{name}({_describe(target)}, {_describe(other)})"
    return fn, [target, other], {}, label + (f" {out_op}" if name == "out" else "")


DIVISIONS = {
    "mod": lambda lib, a, b: a % b,
    "floordiv": lambda lib, a, b: a // b,
    "remainder": _named("remainder"),
    "fmod": _named("fmod"),
    "div_floor": lambda lib, a, b: lib.div(a, b, rounding_mode="floor"),
    "div_trunc": lambda lib, a, b: lib.div(a, b, rounding_mode="trunc"),
}
SPECIALS = [0.0, -0.0, 1.0, -1.0, 7.0, -7.0, 2.5, math.inf, -math.inf, math.nan]


def division_case(rng: np.random.Generator):
    """The floored and truncated divisions on signed zeros, infinities and NaN (floats), and on
    zero divisors (integers: torch raises ZeroDivisionError, a RuntimeError)."""
    name = str(rng.choice(sorted(DIVISIONS)))
    if rng.random() < 0.7:
        dtype = str(rng.choice(["float32", "float64"]))
        a = Arg(np.asarray(rng.choice(SPECIALS, size=6), dtype=dtype))
        b = (
            Arg(np.asarray(rng.choice(SPECIALS, size=6), dtype=dtype))
            if rng.random() < 0.6
            else SPECIALS[int(rng.integers(len(SPECIALS)))]
        )
    else:
        dtype = str(rng.choice(["uint8", "int8", "int32", "int64"]))
        a = Arg(_values(rng, dtype, (4,)))
        b = Arg(_values(rng, dtype, (4,))) if rng.random() < 0.5 else int(rng.integers(-3, 4))
    if rng.random() < 0.3:  # the number on the left: 7 % t
        a, b = (b, a) if not isinstance(b, Arg) else (a, b)
    return DIVISIONS[name], [a, b], {}, f"{name}({_describe(a)}, {_describe(b)})"


SEQUENCE_OPS = {
    "eq": lambda lib, a, b: a == b,
    "ne": lambda lib, a, b: a != b,
    "lt": lambda lib, a, b: a < b,
    "and": lambda lib, a, b: a & b,
    "Tensor.eq": lambda lib, a, b: (a if hasattr(a, "eq") else b).eq(b if hasattr(a, "eq") else a),
}


def sequence_case(rng: np.random.Generator):
    """A list or tuple meeting a tensor in a comparison: torch's == gives False (Python's own
    answer once both sides decline), < and & raise TypeError, t.eq([...]) is refused."""
    name = str(rng.choice(sorted(SEQUENCE_OPS)))
    values = _values(rng, str(rng.choice(["int64", "float32", "bool"])), (3,))
    tensor = Arg(values)
    sequence = Arg(values.copy(), kind=str(rng.choice(["list", "tuple"])))
    args = [sequence, tensor] if rng.random() < 0.5 else [tensor, sequence]
    return SEQUENCE_OPS[name], args, {}, f"{name}({_describe(args[0])}, {_describe(args[1])})"


def _describe(value) -> str:
    if isinstance(value, Arg):
        shape = "x".join(map(str, value.values.shape)) or "0-d"
        return f"{value.kind}[{value.values.dtype} {shape}]"
    return repr(value)


FAMILIES = {
    "binary": binary_case,
    "alpha": alpha_case,
    "in_place": in_place_case,
    "division": division_case,
    "sequence": sequence_case,
}
