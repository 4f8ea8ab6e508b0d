"""One focused case for each difference the nn fuzzer found and chainrule now fixes."""

from __future__ import annotations

import numpy as np
import pytest

from tests.test_fuzzapi_common import check_op
from tests.test_fuzznn_common import check_module

torch = pytest.importorskip("torch")

ROW = np.array([[[0.0, 1.0, 2.0, 3.0, 4.0]]], dtype=np.float32)
F32 = np.array([[-1.0, 0.0, 0.5, 1.0, 6.0, 7.0]], dtype=np.float32)


@pytest.mark.parametrize(
    "name, fn, args",
    [
        # a negative pad crops, in every mode (chainrule refused it outside 'constant')
        ("reflect crops", lambda lib, t: lib.nn.functional.pad(t, (2, -1), "reflect"), [ROW]),
        ("replicate crops", lambda lib, t: lib.nn.functional.pad(t, (-2, 1), "replicate"), [ROW]),
        ("constant to empty", lambda lib, t: lib.nn.functional.pad(t, (-3, -2)), [ROW]),
        # torch bounds a max pool's padding by half the undilated kernel
        (
            "max pool padding vs dilation",
            lambda lib, t: lib.nn.functional.max_pool2d(t[None], (3, 1), 1, (2, 0), 2),
            [ROW],
        ),
        # 1-D adaptive pools take an int: None is a TypeError
        (
            "adaptive_avg_pool1d(None)",
            lambda lib, t: lib.nn.functional.adaptive_avg_pool1d(t, None),
            [ROW],
        ),
        # hardtanh and relu6 pass no gradient at their bounds (clamp passes 1 there)
        ("hardtanh bounds", lambda lib, t: lib.nn.functional.hardtanh(t), [F32]),
        ("relu6 bounds", lambda lib, t: lib.nn.functional.relu6(t), [F32]),
        # a 0-d probability unpacked into NumPy scalars, which cannot be written into
        (
            "0-d binary cross-entropy",
            lambda lib, t, u: lib.nn.functional.binary_cross_entropy(t, u.detach()),
            [np.array(0.3, np.float32), np.array(0.5, np.float32)],
        ),
        # one value per group has no spread: torch refuses it
        (
            "group_norm of one value per group",
            lambda lib, t: lib.nn.functional.group_norm(t.reshape(5, 1, 1), 1),
            [ROW],
        ),
        # a p-norm's root has an infinite derivative at 0: torch's gradient there is 0, not NaN
        ("norm(3) of zeros", lambda lib, t: t.norm(3, dim=-1), [np.zeros((2, 3), np.float32)]),
        # torch floors the norms at eps in place, so below eps the norm's own gradient flows
        (
            "cosine_similarity below eps",
            lambda lib, t, u: lib.nn.functional.cosine_similarity(t, u.detach(), 0, 0.5),
            [np.array([0.3], np.float32), np.array([0.4], np.float32)],
        ),
        # return_indices gives each maximum's flat position in its plane
        (
            "max_pool2d indices",
            lambda lib, t: lib.nn.functional.max_pool2d(t, 2, 1, 1, return_indices=True),
            [np.arange(12, dtype=np.float32).reshape(1, 3, 4)[:, ::-1].copy()],
        ),
    ],
)
def test_functional_fix(name, fn, args):
    check_op(fn, args)


def test_batch_norm_without_running_stats_checks_batch_in_eval():
    # eval mode without running stats normalises with (and so checks) the batch's statistics
    x = np.ones((1, 3), np.float32)
    check_module(lambda lib: lib.nn.BatchNorm1d(3, track_running_stats=False), [x], train=False)


def test_instance_norm_refuses_one_position():
    x = np.arange(6, dtype=np.float32).reshape(3, 2, 1)
    check_module(lambda lib: lib.nn.InstanceNorm1d(2), [x])


def test_relu6_module_gradient_at_zero():
    x = np.array([[0.0, 6.0, 3.0]], np.float32)
    check_module(lambda lib: lib.nn.ReLU6(), [x], train=False)
