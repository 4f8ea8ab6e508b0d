"""Whose fault a failure is: the line of the student's code that raised, the blank function it called."""

from __future__ import annotations

import ast
import inspect
import os
import sysconfig
import textwrap
import traceback

import numpy as np

from . import probe

_OURS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # src/chainrule
_LIBRARIES = (sysconfig.get_paths()["stdlib"], "site-packages", "dist-packages")


def student_line(error: BaseException) -> tuple | None:
    """(function, line, code, file) of the last frame in the student's own code, not NumPy's or ours.

    ``file`` is the file's base name, or "" for a notebook cell or typed-in code, whose file name
    (/tmp/ipykernel_.../123.py, <stdin>) would tell the student nothing.
    """
    theirs = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not frame.filename.startswith(_OURS)
        and not any(library in frame.filename for library in _LIBRARIES)
        and not frame.filename.startswith("<frozen")
    ]
    if not theirs:
        return None
    frame = theirs[-1]
    cell = frame.filename.startswith("<") or "ipykernel_" in frame.filename
    file = "" if cell else os.path.basename(frame.filename)
    return frame.name, frame.lineno, (frame.line or "").strip(), file


def returned_attribute(method) -> str | None:
    """``grad`` when the method's body ends in ``return self.grad``: a blank set elsewhere."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None
    body = tree.body[0].body if tree.body and hasattr(tree.body[0], "body") else []
    last = body[-1] if body else None
    value = last.value if isinstance(last, ast.Return) else None
    if (
        isinstance(value, ast.Attribute)
        and isinstance(value.value, ast.Name)
        and value.value.id == "self"
    ):
        return value.attr
    return None


def blank_helper(method, args) -> str | None:
    """The name of a function of the student's that ``method`` calls and that is itself still blank."""
    code = getattr(getattr(method, "__func__", method), "__code__", None)
    namespace = getattr(getattr(method, "__func__", method), "__globals__", {})
    for name in code.co_names if code is not None else ():
        helper = namespace.get(name)
        if (
            not inspect.isfunction(helper)
            or helper is method
            or helper.__module__ != method.__module__
        ):
            continue
        try:
            value = helper(
                *[np.array(a, copy=True) for a in args[: len(probe.argument_names(helper))]]
            )
        except NotImplementedError:
            return name
        except probe.STUDENT_ERRORS:  # a helper that needs other arguments tells nothing
            continue
        if value is None:
            return name
    return None
