"""The slips a class makes on its first try at the notebook, each named for what it is.

A generic "wrong values" sends a student hunting; these rules recognise the wrong answer itself:
a backward with no ``return``, the sigmoid's derivative missing its ``(1 - f)``, the parameter's
gradient handed back where dL/d(inputs) is meant, ``self.output`` read but never stored, a BCE
that ignores ``epsilon`` and gives inf on a saturated sigmoid, an (N,) array broadcast against
an (N, 1) one, weights drawn from NumPy's global generator.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
import warnings

import numpy as np

from . import blame, probe, slips_values
from .diagnose import close
from .reference import as_array
from .result import Finding


def missing_return(method) -> bool:
    """A body with code in it and no ``return <value>`` anywhere: the student forgot ``return``.

    A bare ``return`` (the notebook's ``return  # WRITE HERE``) is a blank, not a slip.
    """
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return False
    function = tree.body[0] if tree.body else None
    if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
        return False
    returns = [node for node in _own_nodes(function) if isinstance(node, ast.Return)]
    if returns:
        return False
    return any(not _placeholder(statement) for statement in function.body)


def _own_nodes(function):
    """The nodes of ``function`` itself, not those of functions defined inside it."""
    stack = list(function.body)
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            stack.extend(ast.iter_child_nodes(node))


def _placeholder(statement) -> bool:
    # pass, a docstring, or ... : what a blank body holds
    return isinstance(statement, ast.Pass) or (
        isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
    )


def none_attributes(obj, error: BaseException) -> tuple[str, ...]:
    """self.output read by the failing line while it is still None: forward never stored it.
    NumPy words it as a TypeError on NoneType, or a ValueError (``grad.T @ None``: 0 dimensions)."""
    if not isinstance(error, TypeError | ValueError):
        return ()
    where = blame.student_line(error)
    if where is None:
        return ()
    # self.grad_theta = grad.T @ self.inputs: the target is being set, only the right side is read
    read = re.sub(r"^\s*[\w.\[\]'\", ]+?\s*=(?!=)", "", where[2])
    names = dict.fromkeys(re.findall(r"\bself\.(\w+)", read))
    state = probe.state(obj) if hasattr(obj, "__dict__") else {}
    return tuple(name for name in names if name in state and state[name] is None)


def sigmoid_backward(received, upstream, inputs, tol: float) -> str | None:
    """The sigmoid's derivative written as f alone, (1 - f) alone, f (1 - f) of the inputs or of f."""
    try:
        received = as_array(received)
    except probe.STUDENT_ERRORS:
        return None
    with np.errstate(all="ignore"):
        y = 1.0 / (1.0 + np.exp(-inputs))
        candidates = {
            "sigmoid_missing_one_minus": upstream * y,
            "sigmoid_missing_f": upstream * (1.0 - y),
            "sigmoid_of_inputs": upstream * inputs * (1.0 - inputs),
            # sigmoid_grad(self.output): the derivative's formula fed f(x) where it wants x
            "sigmoid_of_output": upstream / (1.0 + np.exp(-y)) * (1.0 - 1.0 / (1.0 + np.exp(-y))),
        }
    for key, candidate in candidates.items():
        if received.shape == candidate.shape and close(received, candidate, tol).all():
            return key
    return None


def param_gradient(received, expected_grads: dict, tol: float) -> str | None:
    """The parameter whose gradient backward returned in place of dL/d(inputs)."""
    try:
        received = as_array(received)
    except probe.STUDENT_ERRORS:
        return None
    for name, expected in expected_grads.items():
        if received.shape == expected.shape and close(received, expected, tol).all():
            return name
    return None


def mse_broadcast(value, inputs, targets) -> bool:
    """An (N,) array met an (N, 1) one: NumPy made an (N, N) matrix and the mean ran over it."""
    if inputs.ndim != 2 or inputs.shape[1] != 1 or len(inputs) < 2:
        return False
    try:
        value = as_array(value)
    except probe.STUDENT_ERRORS:
        return False
    wrong = np.mean((targets.reshape(1, -1) - inputs) ** 2)
    return value.size == 1 and bool(close(value.reshape(()), np.asarray(wrong)).all())


def saturated_bce(driver, obj) -> None:
    """A BCE with epsilon > 0 must stay finite where a saturated sigmoid gives exactly 0 or 1."""
    epsilon = getattr(obj, "epsilon", None)
    if epsilon is None and not any(f.name in ("forward", "backward") for f in driver.findings):
        slips_values.perfect_bce(driver, obj)
    if not isinstance(epsilon, float | int) or not epsilon > 0:
        return  # the notebook trains with epsilon=0: there inf is what the formula says
    if any(f.name in ("forward", "backward") for f in driver.findings):
        return  # wrong already on ordinary numbers: one finding at a time
    inputs = np.array([[0.0], [1.0], [0.0], [1.0]])
    targets = np.array([[1.0], [0.0], [0.0], [1.0]])
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # the divide-by-zero warning is what we report
        try:
            loss = as_array(obj.forward(inputs.copy(), targets.copy()))
            grad = as_array(obj.backward())
        except probe.STUDENT_ERRORS:
            return
    for name, value in (("forward", loss), ("backward", grad)):
        if not np.isfinite(value).all():
            driver.findings.append(
                Finding(name, "saturated_bce", worst_received=float(epsilon), hint="saturated_bce")
            )
            return


def global_draws(build):
    """Build the student's class; True with it when __init__ drew from NumPy's global generator."""
    before = np.random.get_state()
    obj = build()
    after = np.random.get_state()
    moved = before[2] != after[2] or not np.array_equal(before[1], after[1])
    return obj, moved


def stored_by_forward(before: dict, obj) -> dict:
    """Copies of the arrays forward stored (self.output, self.inputs), to see backward change them."""
    return {
        name: (id(value), value.copy())
        for name, value in probe.state(obj).items()
        if isinstance(value, np.ndarray) and id(before.get(name)) != id(value)
    }


def changed_in_place(stored: dict, obj) -> list[str]:
    """What backward overwrote in place (self.output *= 1 - self.output) of what forward stored."""
    now = probe.state(obj)
    return [
        name
        for name, (ident, copy) in stored.items()
        if id(now.get(name)) == ident and not np.array_equal(now[name], copy, equal_nan=True)
    ]


def widened(driver, obj, inputs, params: dict) -> None:
    """float32 inputs and float32 parameters, yet float64 out: np.ones((n, 1)) or a float64 array slipped in."""
    if inputs is None or np.asarray(inputs).dtype != np.float32 or not params:
        return
    if any(np.asarray(value).dtype != np.float32 for value in params.values()):
        return  # float64 weights make float64 outputs: NumPy's promotion, and the student's choice
    x = np.array(inputs, dtype=np.float32)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            out = obj.forward(x.copy())
            grad = obj.backward(np.ones(np.shape(out), dtype=np.float32))
        except probe.STUDENT_ERRORS:
            return  # reported on the float64 run already
        finally:
            for name, value in params.items():
                probe.put(obj, name, value)
    for name, value in (("forward", out), ("backward", grad)):
        dtype = getattr(value, "dtype", None)
        if dtype == np.float64 and not any(f.name == name for f in driver.findings):
            driver.findings.append(Finding(name, "widened", dtype="float64", hint="widened"))
            return


def assigned_locally(method, name: str) -> bool:
    """``theta = rng.random((1, 3))`` in __init__: the layer never keeps it (``self.`` forgotten)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return False
    function = tree.body[0] if tree.body else None
    if not isinstance(function, ast.FunctionDef):
        return False
    return any(
        isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign)
        and any(
            isinstance(target, ast.Name) and target.id == name
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        )
        for node in _own_nodes(function)
    )


def nan_helper(method, big: np.ndarray) -> str | None:
    """The student's own function (sigmoid) that a layer's forward calls and that gives the NaN."""
    function = getattr(method, "__func__", method)
    code, namespace = getattr(function, "__code__", None), getattr(function, "__globals__", {})
    for name in code.co_names if code is not None else ():
        helper = namespace.get(name)
        if not inspect.isfunction(helper) or helper is function:
            continue
        if helper.__module__ != function.__module__ or len(probe.argument_names(helper)) != 1:
            continue
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                if np.isnan(as_array(helper(big.copy()))).any():
                    return name
            except probe.STUDENT_ERRORS:
                continue
    return None
