"""The differential fuzzer's harness: one op, the same inputs, chainrule and torch, compared.

Holds no tests of its own; tests/test_fuzzapi_ops.py and test_fuzzapi_shapes.py draw the inputs.
Each case compares the result's values, dtype and shape, the gradient of sum(result * w) with a
fixed random w for every float input, and, when one library raises, that both do and that
chainrule's error is an instance of torch's class (a torch program's `except` still catches it).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import strategies as st

import chainrule as cr

torch = pytest.importorskip("torch")

TOLERANCE = {"float32": dict(rtol=2e-4, atol=2e-5), "float64": dict(rtol=1e-7, atol=1e-9)}
FLOATS = np.array([-2.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0])
SPECIALS = np.array([np.nan, np.inf, -np.inf])


@st.composite
def shapes(draw, min_ndim: int = 0, max_ndim: int = 3, min_side: int = 0) -> tuple[int, ...]:
    """Small shapes with 0-d, size-1 and (unless min_side forbids) size-0 dims."""
    ndim = draw(st.integers(min_ndim, max_ndim))
    side = st.sampled_from([n for n in (1, 2, 3, 0) if n >= min_side])
    return tuple(draw(side) for _ in range(ndim))


@st.composite
def broadcast_partner(draw, shape: tuple[int, ...]) -> tuple[int, ...]:
    """A shape that broadcasts with `shape`: leading dims dropped, some sides set to 1."""
    drop = draw(st.integers(0, len(shape)))
    tail = list(shape[drop:])
    return tuple(1 if draw(st.booleans()) else n for n in tail)


def make_array(rng: np.random.Generator, shape, dtype: str, specials: bool = False) -> np.ndarray:
    """Values with negatives, zeros and ties; NaN and inf only where the caller allows them."""
    if dtype == "bool":
        return np.asarray(rng.random(shape) < 0.5)
    if dtype in ("int64", "int32"):
        return np.asarray(rng.integers(-4, 5, size=shape), dtype=dtype)
    pool = np.concatenate([FLOATS, SPECIALS]) if specials else FLOATS
    return np.asarray(rng.choice(pool, size=shape), dtype=dtype)


def distinct_array(rng: np.random.Generator, shape, dtype: str) -> np.ndarray:
    """No ties, for ops whose indices torch leaves unspecified on ties (sort, topk)."""
    values = rng.permutation(int(np.prod(shape, dtype=np.int64))) - 3.0
    return values.reshape(shape).astype(dtype)


def _to_lib(lib, value, grad: bool):
    if isinstance(value, np.ndarray):
        t = lib.tensor(value.copy())
        if grad and value.dtype.kind == "f":
            t.requires_grad_(True)
        return t
    return value


def _flatten(result) -> list:
    if isinstance(result, (tuple, list)):
        return [r for item in result for r in _flatten(item)]
    return [result]


def _dtype_name(value) -> str:
    return str(value.dtype).replace("torch.", "")


def _quiet(lib, args) -> bool:
    """torch's own UserWarnings (a deprecated spelling) are not chainrule's concern; chainrule's
    are: pytest runs with warnings as errors, so NumPy's RuntimeWarning where torch is silent
    (inf - inf, sin(inf), the mean of nothing) fails the case."""
    return lib is torch


def _run(lib, fn, args, grad):
    leaves = [_to_lib(lib, a, grad) for a in args]
    try:
        with warnings.catch_warnings():
            if _quiet(lib, args):
                warnings.simplefilter("ignore")
            return leaves, fn(lib, *leaves), None
    except Exception as error:  # noqa: BLE001 - the error itself is what is compared
        return leaves, None, error


def check_op(fn, args: list, seed: int = 0, grad: bool = True, values: bool = True) -> None:
    """Run fn(lib, *args) on both libraries (ndarrays become tensors, float ones needing grad)."""
    their_leaves, theirs, their_error = _run(torch, fn, args, grad)
    our_leaves, ours, our_error = _run(cr, fn, args, grad)
    if isinstance(their_error, NotImplementedError) and not isinstance(our_error, Exception):
        return  # a dtype torch's CPU kernels lack ("abs_cpu" not implemented for 'Bool'): NumPy has it
    if their_error is not None or our_error is not None:
        assert their_error is not None, f"chainrule raised, torch did not: {our_error!r}"
        assert our_error is not None, f"torch raised, chainrule did not: {their_error!r}"
        family = RuntimeError if isinstance(their_error, NotImplementedError) else type(their_error)
        assert isinstance(our_error, family), (
            f"torch raised {type(their_error).__name__}: {their_error}; chainrule "
            f"{[c.__name__ for c in type(our_error).__mro__[:4]]}: {our_error}"
        )
        return
    their_out, our_out = _flatten(theirs), _flatten(ours)
    assert len(their_out) == len(our_out), (len(their_out), len(our_out))
    for a, b in zip(their_out, our_out):
        if not isinstance(a, torch.Tensor):
            assert a == b or (a != a and b != b), (a, b)
            continue
        assert isinstance(b, cr.Tensor), type(b)
        assert _dtype_name(b) == _dtype_name(a), (_dtype_name(b), _dtype_name(a))
        assert tuple(b.shape) == tuple(a.shape), (tuple(b.shape), tuple(a.shape))
        expected = a.detach().numpy()
        if not values:
            continue
        if expected.dtype.kind == "f":
            np.testing.assert_allclose(
                b.detach().numpy(), expected, equal_nan=True, **TOLERANCE[str(expected.dtype)]
            )
        else:
            np.testing.assert_array_equal(b.numpy(), expected)
    if grad:
        _check_grads(their_out, our_out, their_leaves, our_leaves, seed)


def _check_grads(their_out, our_out, their_leaves, our_leaves, seed):
    pairs = [
        (a, b)
        for a, b in zip(their_out, our_out)
        if isinstance(a, torch.Tensor) and a.is_floating_point() and a.requires_grad
    ]
    if not pairs:
        return
    a, b = pairs[0]
    assert b.requires_grad, "torch's result requires grad, chainrule's does not"
    w = np.random.default_rng(seed).standard_normal(tuple(a.shape)).astype(_dtype_name(a))
    try:
        (a * torch.tensor(w)).sum().backward()
    except RuntimeError:  # torch's own backward gaps: no derivative for remainder's divisor,
        return  # and pow's backward subtracts from a bool exponent

    (b * cr.tensor(w)).sum().backward()  # inf - inf inside, as torch: quietly
    for i, (tl, cl) in enumerate(zip(their_leaves, our_leaves)):
        if not isinstance(tl, torch.Tensor) or not tl.requires_grad:
            continue
        expected = np.zeros(tl.shape, _dtype_name(tl)) if tl.grad is None else tl.grad.numpy()
        got = np.zeros(tl.shape, _dtype_name(tl)) if cl.grad is None else cl.grad.numpy()
        assert got.dtype == expected.dtype, (i, got.dtype, expected.dtype)
        np.testing.assert_allclose(
            got,
            expected,
            equal_nan=True,
            err_msg=f"grad of input {i}",
            **TOLERANCE[str(expected.dtype)],
        )
