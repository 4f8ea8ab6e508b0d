"""Whose fault a failure is: the line of the student's code that raised, the blank function it called."""

from __future__ import annotations

import ast
import inspect
import linecache
import os
import re
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
        frame for frame in traceback.extract_tb(error.__traceback__) if _theirs(frame.filename)
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
        if value is None or value is Ellipsis:  # return ... is as blank as return None
            return name
    return None


def global_arrays(error: BaseException) -> list[str]:
    """Module-level arrays (the notebook's X, Y) that the student's failing line reads.

    A layer that reads the global X instead of the inputs it was given works in the notebook,
    where X is what it is always called with, and fails on anything else.
    """
    frame = None
    for tb in _frames(error):
        if _theirs(tb.tb_frame.f_code.co_filename):
            frame = tb.tb_frame
    if frame is None:
        return []
    line = linecache.getline(frame.f_code.co_filename, frame.f_lineno)
    names = dict.fromkeys(re.findall(r"(?<![\w.])[A-Za-z_]\w*", line))
    return [
        f"{name} {tuple(np.shape(frame.f_globals[name]))}"
        for name in names
        if name not in frame.f_locals and isinstance(frame.f_globals.get(name), np.ndarray)
    ]


def _frames(error: BaseException):
    tb = error.__traceback__
    while tb is not None:
        yield tb
        tb = tb.tb_next


def _theirs(filename: str) -> bool:
    return (
        not filename.startswith(_OURS)
        and not any(library in filename for library in _LIBRARIES)
        and not filename.startswith("<frozen")
    )


def raised_in_helper(error: BaseException, method) -> str | None:
    """The student's function that raised NotImplementedError, when it is not ``method`` itself."""
    where = student_line(error)
    own = getattr(getattr(method, "__func__", method), "__name__", None)
    if where is None or where[0] == own or where[0] == "<module>":
        return None
    return where[0]
