"""Bugs the hostile10 fuzzer found in src/chainrule/autograd/ (another developer's, and at its
line budget), left open there: each a strict xfail against torch, so its fix shows here."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")

OPEN = pytest.mark.xfail(strict=True, reason="open in src/chainrule/autograd/; see the report")


@OPEN
def test_all_any_of_uint8_is_uint8():
    assert str(cr.tensor([1, 2], dtype=cr.uint8).all().dtype) == "uint8"  # torch: uint8


@OPEN
def test_any_with_a_dim_list():
    assert cr.ones(2, 3).any(dim=[0]).shape == (3,)  # torch: (3,)


@OPEN
def test_numpy_scalar_floordiv_tensor_is_a_tensor():
    assert isinstance(np.int64(7) // cr.tensor([2, 3]), cr.Tensor)  # so are %, &, |, <, ==


@OPEN
def test_uint8_compared_with_zero_d_int16_wraps_as_torch():
    theirs = torch.tensor([1], dtype=torch.uint8) < torch.tensor(-3, dtype=torch.int16)
    ours = cr.tensor([1], dtype=cr.uint8) < cr.tensor(-3, dtype=cr.int16)
    assert ours.tolist() == theirs.tolist()  # torch: [True] (-3 read as uint8 253)


@OPEN
def test_in_place_int8_result_into_uint8():
    x = cr.tensor([1, 2], dtype=cr.uint8)
    x.mul_(cr.tensor([-1, -1], dtype=cr.int8))  # torch: int16 cast back, gives [255, 254]
    assert x.tolist() == [255, 254]


@OPEN
def test_count_nonzero_dim_empty_tuple_counts_all():
    assert cr.ones(2, 3).count_nonzero(dim=()).shape == ()  # torch: ()
