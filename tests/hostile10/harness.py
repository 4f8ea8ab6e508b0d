"""hostile10's differential harness: one call, arguments drawn from hostile families, run on
torch and on chainrule, and the two outcomes compared.

Holds no tests. An argument is described once, as an `Arg`, and built for each library, so the
same values reach both. The rules (the project's): both succeed -> same dtype, shape and values;
torch raises -> chainrule raises an instance of torch's class, a chainrule error in the template
`<who>: expected <what>, got <actual>.`; chainrule raises where torch succeeds -> a bug, except
for the two refusals chainrule documents (float16/bfloat16, and float32 mixed with float64).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest

import chainrule as cr
from chainrule.errors import ChainruleError

torch = pytest.importorskip("torch")

TOLERANCE = {
    "float32": dict(rtol=1e-4, atol=1e-5),
    "float64": dict(rtol=1e-7, atol=1e-9),
}
DTYPES = ["float32", "float64", "int64", "int32", "int16", "int8", "uint8", "bool"]
# STYLE.md's own mse_loss example reads "inputs and targets must have the same shape, got"
TEMPLATE = re.compile(r"(expected|must) .+, got ", re.S)
# chainrule refuses these on purpose, where torch computes (README "Stricter at the edges",
# docs/errors.md): half precision, float32 meeting float64, a NaN or out-of-[0, 1] target, a loss
# of an empty batch, and a loss's input and target of different shapes (torch broadcasts them)
DOCUMENTED_REFUSALS = {
    "float16": "DTypeError",
    "bfloat16": "DTypeError",
    "one float dtype": "DTypeError",
    "float32 and float64": "DTypeError",
    "targets without NaN": "ArgumentError",
    "targets in [0, 1]": "ArgumentError",
    "at least one sample": "ArgumentError",
    "_loss: expected inputs of one shape": "ShapeError",
    "inputs and targets must have the same shape": "ShapeError",
}


@dataclass
class Arg:
    """A tensor-like argument: values, the layout it is handed over in, and the Python type."""

    values: np.ndarray
    layout: str = "plain"  # plain | transposed | expanded | strided
    kind: str = "tensor"  # tensor | list | tuple | ndarray | npscalar
    grad: bool = False

    def build(self, lib) -> Any:
        v = self.values
        if self.kind == "list":
            return v.tolist()
        if self.kind == "tuple":
            return tuple(v.tolist()) if v.ndim else v.item()
        if self.kind == "ndarray":
            return v.copy()
        if self.kind == "npscalar":
            return v.reshape(-1)[0] if v.size else v.dtype.type(0)
        if self.layout == "transposed" and v.ndim >= 2:
            t = lib.tensor(np.ascontiguousarray(np.swapaxes(v, -1, -2)))
            t = t.transpose(-1, -2)
        elif self.layout == "strided" and v.ndim >= 1:
            doubled = np.repeat(v, 2, axis=-1)
            t = lib.tensor(np.ascontiguousarray(doubled))[..., ::2]
        elif self.layout == "expanded" and v.ndim >= 1 and v.shape[0] > 0:
            first = np.ascontiguousarray(v[:1])
            if not (v == first).all() and v.dtype.kind != "f":
                t = lib.tensor(v.copy())
            else:
                t = lib.tensor(first).expand(*v.shape)
        else:
            t = lib.tensor(v.copy())
        if self.grad and v.dtype.kind == "f":
            t = t.detach().requires_grad_(True) if self.layout == "plain" else t.requires_grad_()
        return t


def expanded_values(values: np.ndarray) -> np.ndarray:
    """What an 'expanded' Arg holds: its first row repeated (an expand of a size-1 dim)."""
    if values.ndim == 0 or values.shape[0] == 0:
        return values
    return np.broadcast_to(values[:1], values.shape).copy()


def draw_shape(rng: np.random.Generator, min_ndim: int = 0, max_ndim: int = 3) -> tuple:
    ndim = int(rng.integers(min_ndim, max_ndim + 1))
    return tuple(int(rng.choice([1, 2, 3, 0, 1, 2, 3])) for _ in range(ndim))


def draw_values(rng: np.random.Generator, shape: tuple, dtype: str, family: str) -> np.ndarray:
    """Values of one hostile family: plain, specials (NaN, inf), huge or tiny magnitudes."""
    if dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)
    if dtype == "uint8":
        pool = [0, 1, 2, 3, 200, 255] if family == "huge" else [0, 1, 2, 3, 5]
        return np.asarray(rng.choice(pool, size=shape), dtype=dtype)
    if np.dtype(dtype).kind == "i":
        big = np.iinfo(dtype).max
        pool = [-3, -1, 0, 1, 2, 4, big, -big] if family == "huge" else [-3, -2, -1, 0, 1, 2, 4]
        return np.asarray(rng.choice(pool, size=shape), dtype=dtype)
    pool = [-2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 3.0]
    if family == "specials":
        pool += [np.nan, np.inf, -np.inf]
    elif family == "huge":
        pool += [1e30, -1e30, 3e38] if dtype == "float32" else [1e300, -1e300]
    elif family == "tiny":
        pool += [1e-40, -1e-42, 1e-30] if dtype == "float32" else [1e-310, 5e-324]
    return np.asarray(rng.choice(pool, size=shape), dtype=dtype)


def draw_arg(
    rng: np.random.Generator,
    shape: tuple | None = None,
    dtypes: list[str] | None = None,
    kinds: tuple = ("tensor",),
    grad: bool = False,
) -> Arg:
    shape = draw_shape(rng) if shape is None else shape
    dtype = str(rng.choice(dtypes or DTYPES))
    family = str(rng.choice(["plain", "plain", "specials", "huge", "tiny"]))
    values = draw_values(rng, shape, dtype, family)
    layout = str(rng.choice(["plain", "plain", "transposed", "strided", "expanded"]))
    kind = str(rng.choice(kinds))
    if layout == "expanded" and kind == "tensor":
        values = expanded_values(values)
    return Arg(values, layout, kind, grad)


def _build(lib, value):
    if isinstance(value, Arg):
        return value.build(lib)
    if isinstance(value, (list, tuple)):
        return type(value)(_build(lib, v) for v in value)
    if isinstance(value, dict):
        return {k: _build(lib, v) for k, v in value.items()}
    return value


def _flatten(result) -> list:
    if isinstance(result, (tuple, list)):
        return [r for item in result for r in _flatten(item)]
    return [result]


def _dtype_name(value) -> str:
    return str(value.dtype).replace("torch.", "")


def _documented_refusal(error: BaseException) -> bool:
    return any(
        phrase in str(error) and isinstance(error, getattr(cr.errors, kind))
        for phrase, kind in DOCUMENTED_REFUSALS.items()
    )


def _empty_without_kernel(error: BaseException, args: list) -> bool:
    """torch never reaches its dtype check on an empty tensor (softmax of an empty int64)."""
    arrays = [a.values for a in args if isinstance(a, Arg)]
    return isinstance(error, cr.errors.NoKernelError) and any(a.size == 0 for a in arrays)


def _other_reason(their_error: BaseException, our_error: BaseException) -> bool:
    """Both refuse the call, each for a different fault of it: torch checks the dim first
    (IndexError), chainrule the dtype (median of bools with dim=5)."""
    parser = ("must be Tensor, not", "invalid combination of arguments", "must be int, not")
    if isinstance(their_error, TypeError) and any(p in str(their_error) for p in parser):
        # torch's parser refuses a list, ndarray or tuple where chainrule takes the value and
        # then refuses it for its shape or range: refused either way
        return isinstance(our_error, ChainruleError)
    if type(their_error) is AttributeError and type(our_error) is AttributeError:
        return True  # neither library has that name at that level
    if "is not a valid value for reduction" in str(their_error):
        return isinstance(our_error, ChainruleError)  # (chainrule looked at the labels first)
    return isinstance(their_error, IndexError) and isinstance(our_error, cr.errors.DTypeError)


def _run(lib, fn, args, kwargs):
    built, built_kwargs = _build(lib, args), _build(lib, kwargs)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's deprecations, NumPy's inf - inf alike
            return built, fn(lib, *built, **built_kwargs), None
    except Exception as error:  # noqa: BLE001 - the error itself is compared
        return built, None, error


def _same_value(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (a != a and b != b) or abs(a - b) <= 1e-5 * max(1.0, abs(a))
    return a == b


def compare(fn: Callable, args: list, kwargs: dict | None = None, what: str = "") -> str:
    """Run fn(lib, *args, **kwargs) on both; return 'ok', 'both-raised' or 'refused' (a
    documented refusal), and fail the test with the case named on any other outcome."""
    kwargs = kwargs or {}
    _, theirs, their_error = _run(torch, fn, args, kwargs)
    _, ours, our_error = _run(cr, fn, args, kwargs)
    label = what or getattr(fn, "__name__", "case")
    if our_error is not None and their_error is None:
        if _documented_refusal(our_error) or _empty_without_kernel(our_error, args):
            return "refused"
        raise AssertionError(f"{label}: chainrule raised, torch did not: {our_error!r}")
    if their_error is not None:
        if our_error is None:
            if isinstance(their_error, NotImplementedError):
                return "ok"  # a dtype torch's CPU kernels lack; NumPy has it
            if isinstance(their_error, TypeError) and not isinstance(their_error, RuntimeError):
                return "lenient"  # torch's argument parser wants a Tensor or an int; see README
            raise AssertionError(f"{label}: torch raised, chainrule did not: {their_error!r}")
        if _other_reason(their_error, our_error):
            return "both-raised"
        check_error(their_error, our_error, label)
        return "both-raised"
    check_results(theirs, ours, label)
    return "ok"


def check_error(their_error: BaseException, our_error: BaseException, label: str) -> None:
    """chainrule's error is caught by torch's `except`, and reads in chainrule's template."""
    family = RuntimeError if isinstance(their_error, NotImplementedError) else type(their_error)
    if isinstance(their_error, torch.linalg.LinAlgError):
        family = RuntimeError
    assert isinstance(our_error, family), (
        f"{label}: torch raised {type(their_error).__name__}: {their_error}; chainrule "
        f"{[c.__name__ for c in type(our_error).__mro__[:4]]}: {our_error}"
    )
    if isinstance(our_error, ChainruleError):
        assert TEMPLATE.search(str(our_error)), f"{label}: off-template message: {our_error}"
    else:  # Python's own signature TypeError ("got an unexpected keyword") is what torch has too
        assert isinstance(our_error, TypeError) and isinstance(their_error, TypeError), (
            f"{label}: a bare {type(our_error).__name__} from inside chainrule: {our_error!r}"
        )


def check_results(theirs, ours, label: str) -> None:
    their_out, our_out = _flatten(theirs), _flatten(ours)
    assert len(their_out) == len(our_out), (label, len(their_out), len(our_out))
    for a, b in zip(their_out, our_out):
        if not isinstance(a, torch.Tensor):
            assert not isinstance(b, cr.Tensor), f"{label}: {type(b)} where torch gave {a!r}"
            assert _same_value(a, b), f"{label}: {b!r} where torch gave {a!r}"
            assert type(a) is type(b) or isinstance(a, (int, float)), (label, type(a), type(b))
            continue
        assert isinstance(b, cr.Tensor), f"{label}: {type(b)} where torch gave a Tensor"
        assert _dtype_name(b) == _dtype_name(a), (label, _dtype_name(b), _dtype_name(a))
        assert tuple(b.shape) == tuple(a.shape), (label, tuple(b.shape), tuple(a.shape))
        expected = a.detach().numpy()
        got = b.detach().numpy()
        if expected.dtype.kind == "f":
            np.testing.assert_allclose(
                got, expected, equal_nan=True, err_msg=label, **TOLERANCE[str(expected.dtype)]
            )
        else:
            np.testing.assert_array_equal(got, expected, err_msg=label)


class Tally:
    """Counts each run's outcome, so a test can show its cases were not all refusals."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def add(self, outcome: str) -> None:
        self.counts[outcome] = self.counts.get(outcome, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def run_family(generate: Callable, seeds: range, waived: dict[str, str]) -> Tally:
    """Run one family's cases; fail listing every case that broke a rule, except the op names
    in `waived` (open bugs, each with the reason it is left open)."""
    tally, broken = Tally(), []
    for seed in seeds:
        fn, args, kwargs, label = generate(np.random.default_rng([10, seed]))
        try:
            tally.add(compare(fn, args, kwargs, label))
        except AssertionError as error:
            if label.split("(")[0] in waived:
                tally.add("waived")
                continue
            broken.append(f"seed {seed}: {str(error)[:300]}")
    assert not broken, f"{len(broken)} cases broke a rule:\n" + "\n".join(broken[:10])
    return tally
