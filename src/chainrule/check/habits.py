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
from .reference import REFERENCES
from .result import Finding, Result

_METHODS_SHOWN = 6  # a long list of methods would bury the sentence it belongs to


def refuse(obj, like: str | None) -> Finding | None:
    """A finding when check() has no way to drive ``obj``; None when it can try."""
    name = probe.name_of(obj)
    try:
        if inspect.isclass(obj):
            return _class(obj, name)
        if inspect.isfunction(obj) or inspect.ismethod(obj):
            # like= says what it is: the reference knows what to call it with
            return None if like is not None else _function(obj, name)
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


def check_like(obj, like: str | None, reference, lang: str) -> None:
    """like="Sigmoid" on a loss (or "BCELoss" on a layer) would end in NumPy's reshape error: say why."""
    if like is None or reference is None:
        return
    try:
        kind = probe.kind_of(obj)
    except (TypeError, probe.AttributeRaised):
        return
    takes = kind == "loss" or kind == "function" and probe.takes_targets(obj)
    wants = reference.targets is not None
    function = kind == "function" and bool(reference.needs)  # Linear2's theta: a function has none
    if takes == wants and not function:
        return
    name = probe.name_of(obj)
    fits = sorted(
        n
        for n, r in REFERENCES.items()
        if (r.targets is not None) == takes and not (kind == "function" and r.needs)
    )
    what = {
        ("en", True): "a loss or a function of (inputs, targets)",
        ("en", False): "a layer or a function of the inputs alone",
        ("ja", True): "損失（inputs と targets を受け取る）",
        ("ja", False): "入力だけを受け取る層か関数",
    }
    got = {
        ("en", True): f"{name}, which takes targets too",
        ("en", False): f"{name}, which takes the inputs alone",
        ("ja", True): f"{name} は targets も受け取ります",
        ("ja", False): f"{name} は入力だけを受け取ります",
    }
    if function:
        what[lang, wants] = {
            "en": f"a layer with {reference.needs[0]}",
            "ja": f"{reference.needs[0]} をもつ層",
        }[lang]
        got[lang, takes] = {"en": f"the function {name}", "ja": f"{name} は関数です"}[lang]
    if lang == "ja":
        raise ValueError(
            f"chainrule.check(like={like!r}): {like} は{what[lang, wants]}ですが、{got[lang, takes]}。"
            f"\nヒント: {name} に合う like=（{fits} のどれか）を指定するか、like= を省きましょう。"
        )
    raise ValueError(
        f"chainrule.check(like={like!r}): expected {what[lang, wants]}, as {like} is, "
        f"got {got[lang, takes]}.\nHint: pass the like= of what {name} is, one of {fits}, "
        f"or leave like= out."
    )


def timed_out(obj, like: str | None, error: TimeLimit, seconds: float, lang: str) -> Result:
    """The report of a check stopped by its time limit: where the student's code was when stopped."""
    where = blame.student_line(error)
    method = where is not None and where[0] in ("forward", "backward", "update")
    name = f"{where[0]}()" if method else probe.name_of(obj)
    finding = Finding(name, "timed_out", factor=seconds, where=where)
    return Result(like or probe.name_of(obj), [finding.name], [finding], lang)
