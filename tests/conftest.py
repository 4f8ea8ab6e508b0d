import numpy as np
import pytest

import chainrule as cr


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture(autouse=True)
def _default_dtype_restored():
    yield
    cr.set_default_dtype(np.float64)
