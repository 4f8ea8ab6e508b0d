"""The nn fuzzer's harness: one layer built in both libraries with torch's weights, compared.

Holds no tests of its own; tests/test_fuzznn_*.py draw the configurations and inputs. A
functional op goes through tests/test_fuzzapi_common.check_op (values, dtype, shape, input
gradients, both-or-neither raise). A module goes through check_module: torch's freshly built
parameters and buffers are copied into chainrule's module with load_state_dict, both run one
forward in the mode asked, and the output, the gradient of sum(output * w) w.r.t. the input
and every parameter, and state_dict() afterwards (keys, shapes, dtypes, values: running stats
and num_batches_tracked) must agree.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import chainrule as cr
from tests.test_fuzzapi_common import TOLERANCE, _dtype_name

torch = pytest.importorskip("torch")


def _same_error(their_error, our_error) -> None:
    assert their_error is not None, f"chainrule raised, torch did not: {our_error!r}"
    assert our_error is not None, f"torch raised, chainrule did not: {their_error!r}"
    family = RuntimeError if isinstance(their_error, NotImplementedError) else type(their_error)
    assert isinstance(our_error, family), (
        f"torch raised {type(their_error).__name__}: {their_error}; chainrule "
        f"{[c.__name__ for c in type(our_error).__mro__[:4]]}: {our_error}"
    )


def _close(got: np.ndarray, expected: np.ndarray, what: str, tol: dict | None = None) -> None:
    assert got.dtype == expected.dtype, (what, got.dtype, expected.dtype)
    assert got.shape == expected.shape, (what, got.shape, expected.shape)
    if expected.dtype.kind == "f":
        tol = tol or TOLERANCE[str(expected.dtype)]
        np.testing.assert_allclose(got, expected, equal_nan=True, err_msg=what, **tol)
    else:
        np.testing.assert_array_equal(got, expected, err_msg=what)


def _build(lib, make, dtype: str):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's deprecation notes are not ours to match
            module = make(lib)
        if dtype == "float64":
            module = module.double()
        return module, None
    except Exception as error:  # noqa: BLE001 - the error itself is what is compared
        return None, error


def _forward(lib, module, inputs, train: bool, grad: bool):
    leaves = []
    for a in inputs:
        t = lib.tensor(a.copy()) if isinstance(a, np.ndarray) else a
        if grad and isinstance(a, np.ndarray) and a.dtype.kind == "f":
            t.requires_grad_(True)
        leaves.append(t)
    module.train(train)
    try:
        with warnings.catch_warnings():
            if lib is torch:
                warnings.simplefilter("ignore")
            return leaves, module(*leaves), None
    except Exception as error:  # noqa: BLE001
        return leaves, None, error


def check_module(
    make,
    inputs: list,
    dtype: str = "float32",
    train: bool = True,
    grad: bool = True,
    seed: int = 0,
    tol: dict | None = None,
    warmup: list | None = None,
) -> None:
    """make(lib) builds the layer from lib.nn; inputs are ndarrays (float ones need grad).
    ``warmup`` inputs go through both layers first (running statistics over several batches)."""
    torch.manual_seed(seed)
    theirs, their_error = _build(torch, make, dtype)
    ours, our_error = _build(cr, make, dtype)
    if their_error is not None or our_error is not None:
        _same_error(their_error, our_error)
        return
    state = {k: v.detach().numpy().copy() for k, v in theirs.state_dict().items()}
    ours.load_state_dict(state)
    for batch in warmup or []:
        _, _, their_error = _forward(torch, theirs, [batch], train, grad=False)
        _, _, our_error = _forward(cr, ours, [batch], train, grad=False)
        if their_error is not None or our_error is not None:
            _same_error(their_error, our_error)
            return
    their_leaves, their_out, their_error = _forward(torch, theirs, inputs, train, grad)
    our_leaves, our_out, our_error = _forward(cr, ours, inputs, train, grad)
    if their_error is not None or our_error is not None:
        _same_error(their_error, our_error)
        return
    if isinstance(their_out, tuple):
        their_out, our_out = their_out[0], our_out[0]
    _close(our_out.detach().numpy(), their_out.detach().numpy(), "output", tol)
    if grad and their_out.requires_grad:
        assert our_out.requires_grad, "torch's output requires grad, chainrule's does not"
        w = np.random.default_rng(seed).standard_normal(tuple(their_out.shape))
        w = w.astype(_dtype_name(their_out))
        (their_out * torch.tensor(w)).sum().backward()
        (our_out * cr.tensor(w)).sum().backward()
        for i, (tl, cl) in enumerate(zip(their_leaves, our_leaves)):
            if isinstance(tl, torch.Tensor) and tl.requires_grad:
                _close(_grad_of(cl), _grad_of(tl), f"grad of input {i}", tol)
        our_params = dict(ours.named_parameters())
        for name, p in theirs.named_parameters():
            _close(_grad_of(our_params[name]), _grad_of(p), f"grad of {name}", tol)
    their_state, our_state = theirs.state_dict(), ours.state_dict()
    assert list(our_state) == list(their_state), (list(our_state), list(their_state))
    for key, value in their_state.items():
        _close(np.asarray(our_state[key].numpy()), value.detach().numpy(), key, tol)


def _grad_of(t) -> np.ndarray:
    dtype = _dtype_name(t)
    return np.zeros(tuple(t.shape), dtype) if t.grad is None else t.grad.numpy()
