"""F.linear has torch's signature; nn.Linear still names itself in errors."""

import inspect

import numpy as np
import pytest

import chainrule as cr
import chainrule.functional as F
from chainrule.errors import DTypeError, ShapeError


def test_linear_takes_only_torchs_arguments():
    assert list(inspect.signature(F.linear).parameters) == ["input", "weight", "bias"]
    assert inspect.signature(F.linear).parameters["bias"].default is None


def test_linear_names_itself_in_a_shape_error():
    with pytest.raises(
        ShapeError, match=r"^linear: expected inputs of shape \(N, 2\), got \(3, 5\)\."
    ):
        F.linear(cr.ones(3, 5), cr.ones(4, 2))


def test_nn_linear_keeps_its_own_name_in_errors():
    layer = cr.nn.Linear(2, 1, generator=0)
    with pytest.raises(
        ShapeError,
        match=r"^Linear\(in_features=2, out_features=1\): expected inputs of shape \(N, 2\), got \(10, 3\)\.",
    ):
        layer(cr.ones(10, 3))
    with pytest.raises(
        DTypeError,
        match=r"^Linear\(in_features=2, out_features=1\): expected floating-point inputs",
    ):
        layer(cr.tensor(np.ones((4, 2), dtype=np.int64)))
