"""gradcheck on every Function that the layers, activations and losses use."""

import pytest

from chainrule import gradcheck
from tests.gradcheck_cases import LAYERS

pytestmark = pytest.mark.usefixtures("float64_default")  # these tests check float64 numerics


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_functions_pass_gradcheck(name, rng):
    fn, *inputs = LAYERS[name](rng)
    assert gradcheck(fn, *inputs)
