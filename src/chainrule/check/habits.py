"""Objects check() cannot drive, said plainly instead of raised: and a check that ran out of time.

Students bring what they know: an sklearn-style class with fit() and predict(), a micrograd
Value, a layer written as two functions forward(x, theta) and backward(grad, x, theta). None
of these has the notebook's forward(inputs) / backward(grad), so check() says what it saw and
how to reach something it can check, as a finding in the report's language.
"""

from __future__ import annotations

import inspect

from . import blame, networks, probe
from .limits import TimeLimit
from .result import Finding, Result

_METHODS_SHOWN = 6  # a long list of methods would bury the sentence it belongs to


def refuse(obj, like: str | None) -> Finding | None:
    """A finding when check() has no way to drive ``obj``; None when it can try."""
    if like is not None:
        return None  # the student said what it is: let the reference decide
    name = probe.name_of(obj)
    try:
        if inspect.isclass(obj):
            return _class(obj, name)
        if inspect.isfunction(obj) or inspect.ismethod(obj):
            return _function(obj, name)
        if probe.has(obj, "forward") or callable(obj) or networks.is_network(obj):
            return None
    except probe.AttributeRaised:
        return None  # reported where the attribute is read
    return _no_forward(obj, name)


def _class(klass, name: str) -> Finding | None:
    """Only the classes that could never work once built: the rest are built, then judged."""
    if hasattr(klass, "forward") or "__call__" in _defined(klass):
        return None
    if _fit_predict(klass) or _scalar_autograd(klass):
        return _no_forward(klass, name)
    return None


def _function(function, name: str) -> Finding | None:
    required = probe.required_arguments(function)
    if len(required) < 3:
        return None
    return Finding(name, "too_many_arguments", factor=len(required), found=tuple(required))


def _no_forward(obj, name: str) -> Finding:
    klass = obj if inspect.isclass(obj) else type(obj)
    methods = [m for m in _defined(klass) if not m.startswith("_") and callable(getattr(klass, m))]
    shown = methods[:_METHODS_SHOWN] + (["..."] if len(methods) > _METHODS_SHOWN else [])
    hint = "fit_predict" if _fit_predict(klass) else None
    hint = "scalar_autograd" if hint is None and _scalar_autograd(klass) else hint
    return Finding(name, "no_forward", found=tuple(shown) or ("-",), hint=hint)


def _defined(klass) -> list[str]:
    """Names defined by the student's classes, object's own left out."""
    return list(dict.fromkeys(n for k in klass.__mro__[:-1] for n in vars(k)))


def _fit_predict(klass) -> bool:
    return hasattr(klass, "fit") and hasattr(klass, "predict")


def _scalar_autograd(klass) -> bool:
    """micrograd's Value: backward() with no argument, and arithmetic operators of its own."""
    own = _defined(klass)
    return "backward" in own and ("__add__" in own or "__mul__" in own)


def timed_out(obj, like: str | None, error: TimeLimit, seconds: float, lang: str) -> Result:
    """The report of a check stopped by its time limit: where the student's code was when stopped."""
    where = blame.student_line(error)
    method = where is not None and where[0] in ("forward", "backward", "update")
    name = f"{where[0]}()" if method else probe.name_of(obj)
    finding = Finding(name, "timed_out", factor=seconds, where=where)
    return Result(like or probe.name_of(obj), [finding.name], [finding], lang)
