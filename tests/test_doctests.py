"""The examples in public docstrings run and print what they say."""

import doctest
import importlib
import pkgutil

import pytest

import chainrule

MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(chainrule.__path__, "chainrule.")
    if not name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    if name == "chainrule.data.bundled":  # its examples load scikit-learn's data sets
        pytest.importorskip("sklearn")
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_some_modules_carry_examples():
    attempted = sum(doctest.testmod(importlib.import_module(n)).attempted for n in MODULES)
    assert attempted >= 8
