"""Bugs the hostile10 fuzzer found in src/chainrule/autograd/, each a plain test against torch
now that it is fixed (hostile11 closed the last two: a 0-d operand of another integer type, and
an in-place result cast into a narrower integer dtype)."""

import numpy as np
import pytest

import chainrule as cr

torch = pytest.importorskip("torch")


def test_all_any_of_uint8_is_uint8():
    assert str(cr.tensor([1, 2], dtype=cr.uint8).all().dtype) == "uint8"  # torch: uint8


def test_any_with_a_dim_list():
    assert cr.ones(2, 3).any(dim=[0]).shape == (3,)  # torch: (3,)


@pytest.mark.parametrize(
    "op",
    [
        lambda n, t: n // t,
        lambda n, t: n % t,
        lambda n, t: n & t,
        lambda n, t: n | t,
        lambda n, t: n ^ t,
        lambda n, t: n < t,
        lambda n, t: n >= t,
        lambda n, t: n == t,
        lambda n, t: n << t,
        lambda n, t: 5 & t,
        lambda n, t: True | (t > 2),
    ],
)
def test_numpy_scalar_or_number_on_the_left_gives_torch_answer(op):
    ours = op(np.int64(7), cr.tensor([2, 3]))
    theirs = op(np.int64(7), torch.tensor([2, 3]))
    assert isinstance(ours, cr.Tensor) and ours.tolist() == theirs.tolist()


def test_uint8_compared_with_zero_d_int16_wraps_as_torch():
    theirs = torch.tensor([1], dtype=torch.uint8) < torch.tensor(-3, dtype=torch.int16)
    ours = cr.tensor([1], dtype=cr.uint8) < cr.tensor(-3, dtype=cr.int16)
    assert ours.tolist() == theirs.tolist()  # torch: [True] (-3 read as uint8 253)


def test_in_place_int8_result_into_uint8():
    x = cr.tensor([1, 2], dtype=cr.uint8)
    x.mul_(cr.tensor([-1, -1], dtype=cr.int8))  # torch: int16 cast back, gives [255, 254]
    assert x.tolist() == [255, 254]


def test_count_nonzero_dim_empty_tuple_counts_all():
    assert cr.ones(2, 3).count_nonzero(dim=()).shape == ()  # torch: ()
