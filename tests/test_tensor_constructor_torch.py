"""``chainrule.Tensor(...)`` follows torch's legacy constructor, which older PyTorch code uses
everywhere (``nn.Parameter(torch.Tensor(out, in))`` before an init, ``torch.Tensor(np_array)``):
sizes give an empty float tensor, data takes the default float dtype, a float32 array is
shared, a Tensor is shared as it is. ``chainrule.tensor`` keeps data's dtype, as torch.tensor."""

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule.errors import ArgumentTypeError

CASES = {
    "int list": ([1, 2],),
    "float list": ([1.5, 2],),
    "bool list": ([[True, False]],),
    "nested": ([[1, 2], [3, 4]],),
    "int64 array": (np.array([1, 2]),),
    "float64 array": (np.array([1.0, 2.0]),),
    "uint8 array": (np.array([1, 200], np.uint8),),
    "sizes": (2, 3),
    "one size": (3,),
    "zero size": (0, 4),
    "tuple data": ((2, 3),),
    "empty list": ([],),
    "nothing": (),
}


@pytest.mark.parametrize("name", CASES)
def test_dtype_and_shape_as_torch(name):
    args = CASES[name]
    mine, theirs = cr.Tensor(*args), torch.Tensor(*args)
    assert str(mine.dtype) == str(theirs.dtype).removeprefix("torch.")
    assert tuple(mine.shape) == tuple(theirs.shape)
    if "size" not in name and name != "nothing":  # sizes: uninitialised in torch, zeros here
        np.testing.assert_array_equal(mine.numpy(), theirs.numpy())


def test_a_float32_array_is_shared_and_others_are_copied():
    shared = np.array([1.0, 2.0], np.float32)
    copied = np.array([1.0, 2.0])
    t, u = cr.Tensor(shared), cr.Tensor(copied)
    shared[0], copied[0] = 9.0, 9.0
    assert t.tolist() == [9.0, 2.0] and u.tolist() == [1.0, 2.0]


def test_a_tensor_is_shared_with_its_dtype():
    ints = cr.tensor([1, 2])
    again = cr.Tensor(ints)
    assert again.dtype == cr.int64
    again[0] = 7
    assert ints.tolist() == [7, 2]


def test_a_size_gives_a_tensor_of_that_shape():
    shape = cr.zeros(2, 5).shape
    assert tuple(cr.Tensor(shape).shape) == (2, 5)
    assert tuple(torch.Tensor(torch.zeros(2, 5).shape).shape) == (2, 5)


def test_the_default_dtype_is_followed():
    cr.set_default_dtype(cr.float64)
    try:
        assert cr.Tensor([1, 2]).dtype == cr.float64
        assert cr.Tensor(2, 2).dtype == cr.float64
    finally:
        cr.set_default_dtype(cr.float32)


def test_the_old_custom_layer_idiom_trains():
    """torch's own tutorials once wrote layers this way: Parameter(Tensor(out, in)), then init."""

    class MyLinear(cr.nn.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            self.weight = cr.nn.Parameter(cr.Tensor(n_out, n_in))
            self.bias = cr.nn.Parameter(cr.Tensor(n_out))
            cr.nn.init.uniform_(self.weight, -0.5, 0.5, generator=0)
            cr.nn.init.zeros_(self.bias)

        def forward(self, x):
            return x @ self.weight.T + self.bias

    layer = MyLinear(3, 2)
    assert layer.weight.dtype == cr.float32 and layer.weight.requires_grad
    loss = layer(cr.Tensor(np.ones((4, 3)))).sum()  # a float64 array becomes float32, as torch
    loss.backward()
    assert layer.weight.grad.shape == (2, 3)


@pytest.mark.parametrize("bad", [2.5, True, np.float64(1.0), None])
def test_a_number_is_refused_as_torch_refuses_it(bad):
    with pytest.raises(TypeError):
        torch.Tensor(bad)
    with pytest.raises(ArgumentTypeError, match="Tensor: expected a sequence"):
        cr.Tensor(bad)


def test_negative_sizes_and_data_with_sizes_are_refused():
    with pytest.raises(ArgumentTypeError, match="sizes that are ints >= 0"):
        cr.Tensor(2, -1)
    with pytest.raises(ArgumentTypeError, match="data or sizes"):
        cr.Tensor([1.0], 3)


def test_parameter_and_tensor_factories_keep_their_dtypes():
    assert cr.nn.Parameter(cr.tensor([1.0, 2.0], dtype=cr.float64)).dtype == cr.float64
    assert cr.tensor([1, 2]).dtype == cr.int64
    assert cr.as_tensor(np.array([1, 2])).dtype == cr.int64


def test_numpy_integer_sizes_and_device_as_torch():
    assert tuple(cr.Tensor(np.int64(3), np.int64(2)).shape) == (3, 2)
    assert tuple(cr.Tensor(3, np.int64(2)).shape) == (3, 2)
    assert tuple(cr.Tensor(np.prod([2, 3])).shape) == tuple(torch.Tensor(np.prod([2, 3])).shape)
    assert tuple(cr.Tensor(2, device="cpu").shape) == (2,)


def test_a_user_subclass_follows_the_constructor_too():
    class Sub(cr.Tensor):
        pass

    assert tuple(Sub(2, 3).shape) == (2, 3) and Sub([1, 2]).dtype == cr.float32
    assert Sub(np.ones(2)).dtype == cr.float32 and isinstance(Sub([1.0]), Sub)


def test_numpy_of_a_parameter_is_allowed_under_no_grad_as_in_torch():
    w = cr.nn.Linear(2, 1).weight
    with cr.no_grad():
        assert isinstance(w.numpy(), np.ndarray) and isinstance(np.asarray(w * 2), np.ndarray)
    with pytest.raises(RuntimeError):
        w.numpy()


def test_assert_close_and_summary_writer_take_tensors_that_require_grad(tmp_path):
    lin = cr.nn.Linear(2, 2)
    cr.testing.assert_close(lin.weight, lin.weight.clone())
    with pytest.raises(AssertionError):
        cr.testing.assert_close(lin.weight, lin.weight + 1)
    with cr.utils.tensorboard.SummaryWriter(str(tmp_path)) as writer:
        writer.add_scalar("loss", (lin.weight**2).sum(), 0)
        writer.add_histogram("weight", lin.weight, 0)
        writer.add_scalars("run", {"a": lin.weight.sum()}, 0)
    assert any(tmp_path.iterdir())
