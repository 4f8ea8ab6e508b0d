import numpy as np
import pytest

import chainrule as cr
from chainrule import AnomalyError


def test_anomaly_names_the_function_that_made_nan_in_forward():
    x = cr.tensor([[1.0, -1.0]], requires_grad=True)
    with cr.detect_anomaly():
        with pytest.raises(
            AnomalyError,
            match=r"Sqrt.forward produced NaN; expected finite values, got NaN from inputs of shapes \(1, 2\)",
        ):
            (x * 2.0).sqrt()


def test_anomaly_names_the_function_that_made_inf_in_backward():
    x = cr.tensor([0.0, 4.0], requires_grad=True)
    with cr.detect_anomaly():
        y = x.sqrt().sum()  # finite forward, but d sqrt / dx at 0 is inf
        with pytest.raises(AnomalyError, match=r"Sqrt.backward produced Inf.*shapes \(2,\)"):
            y.backward()


def test_without_anomaly_mode_nan_passes_silently_and_mode_is_restored():
    with np.errstate(invalid="ignore"):
        assert np.isnan(cr.tensor([-1.0]).sqrt().data).all()
    with cr.detect_anomaly():
        pass
    with np.errstate(invalid="ignore"):
        cr.tensor([-1.0]).sqrt()  # no exception outside the context
