"""Every Function in chainrule.functional is exercised by a gradcheck case."""

import numpy as np

import chainrule.functional as F
from chainrule import Function
from tests.gradcheck_cases import LAYERS, PRIMITIVES


def _all_functions() -> set[str]:
    found, todo = set(), list(Function.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("chainrule.functional"):
            found.add(cls.__name__)
    return found


def test_every_function_has_a_gradcheck_case(monkeypatch):
    used = set()
    original = Function.apply.__func__

    def recording(cls, *args, **config):
        used.add(cls.__name__)
        return original(cls, *args, **config)

    monkeypatch.setattr(Function, "apply", classmethod(recording))
    rng = np.random.default_rng(0)
    for cases in (PRIMITIVES, LAYERS):
        for make in cases.values():
            fn, *inputs = make(rng)
            fn(*inputs)
    missing = _all_functions() - used
    assert not missing, f"no gradcheck case exercises {sorted(missing)}"
    assert F.Clone.__name__ in used
