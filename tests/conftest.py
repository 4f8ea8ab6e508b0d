import numpy as np
import pytest

import chainrule as cr


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture(autouse=True)
def _default_dtype_restored():
    yield
    cr.set_default_dtype(np.float32)


@pytest.fixture
def float64_default():
    """For tests of float64 numerics written with Python floats (torch's tests do the same)."""
    cr.set_default_dtype(np.float64)
    yield
    cr.set_default_dtype(np.float32)
