"""hostile9: factories at their edges (requires_grad on integer factories, random floats asked
for in integer dtypes, an integer arange from float bounds) and linear solves that broadcast
(lu_solve, solve with torch's vector rule, left=False) or meet a singular matrix, each against
torch 2.13."""

import warnings

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")


def _refused(call):
    with pytest.raises(Exception) as expected:
        call(torch)
    with pytest.raises(expected.type):
        call(chainrule)


def _same(call, exact=True):
    ours, theirs = call(chainrule), call(torch)
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    assert tuple(ours.shape) == tuple(theirs.shape)
    if exact:
        np.testing.assert_array_equal(ours.numpy(), theirs.detach().numpy())
    else:
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-10)


_GRAD_REFUSED = {
    "randint": lambda lib: lib.randint(0, 5, (2,), requires_grad=True),
    "randint(high, size)": lambda lib: lib.randint(5, (2,), requires_grad=True),
    "randperm": lambda lib: lib.randperm(3, requires_grad=True),
    "zeros int64": lambda lib: lib.zeros(2, dtype=lib.int64, requires_grad=True),
    "full int": lambda lib: lib.full((2,), 3, requires_grad=True),
    "arange int": lambda lib: lib.arange(3, requires_grad=True),
    "ones bool": lambda lib: lib.ones(2, dtype=lib.bool, requires_grad=True),
}


@pytest.mark.parametrize("name", sorted(_GRAD_REFUSED))
def test_integer_factories_refuse_requires_grad_as_torch(name):
    _refused(_GRAD_REFUSED[name])


def test_randint_and_randperm_take_requires_grad_for_float_dtypes():
    x = chainrule.randint(0, 5, (3,), dtype=chainrule.float32, requires_grad=True)
    p = chainrule.randperm(4, dtype=chainrule.float64, requires_grad=True)
    assert x.requires_grad and x.is_leaf and x.dtype == chainrule.float32
    assert p.requires_grad and sorted(p.tolist()) == [0.0, 1.0, 2.0, 3.0]


_NO_KERNEL = {
    "randn int64": lambda lib: lib.randn(2, dtype=lib.int64),
    "rand int64": lambda lib: lib.rand(2, dtype=lib.int64),
    "rand bool": lambda lib: lib.rand(2, dtype=lib.bool),
    "normal int64": lambda lib: lib.normal(0.0, 1.0, (2,), dtype=lib.int64),
    "randn_like int": lambda lib: lib.randn_like(lib.tensor([1, 2])),
    "rand_like int": lambda lib: lib.rand_like(lib.tensor([1, 2])),
    "normal_ int": lambda lib: lib.zeros(2, dtype=lib.int64).normal_(),
    "uniform_ int": lambda lib: lib.zeros(2, dtype=lib.int64).uniform_(),
    "uniform_ bool": lambda lib: lib.zeros(2, dtype=lib.bool).uniform_(),
    "arange bool": lambda lib: lib.arange(3, dtype=lib.bool),
}


@pytest.mark.parametrize("name", sorted(_NO_KERNEL))
def test_random_floats_in_integer_dtypes_have_no_kernel(name):
    with pytest.raises(NotImplementedError):
        _NO_KERNEL[name](torch)
    with pytest.raises(NotImplementedError):
        _NO_KERNEL[name](chainrule)


def test_random_like_of_an_integer_tensor_with_a_float_dtype_still_draws():
    x = chainrule.randn_like(chainrule.tensor([1, 2]), dtype=chainrule.float64)
    assert x.dtype == chainrule.float64 and x.shape == (2,)


_ARANGE_BOUNDS = [
    (0.5, 3.7, 1),
    (0, 3, 1.5),
    (0, 3, 2.5),
    (-0.5, 3, 1),
    (0, -3.5, -1.5),
    (0.9, 5.2, 1.9),
    (0, 2.5),
    (1.5,),
    (0.5, 0.7, 1),
    (0, 3, 0.5),
]


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "uint8"])
@pytest.mark.parametrize("bounds", _ARANGE_BOUNDS, ids=str)
def test_integer_arange_from_float_bounds_matches_torch(bounds, dtype):
    if dtype == "int64" and bounds == (0, 3, 0.5):  # the step truncates to 0: torch refuses
        _refused(lambda lib: lib.arange(*bounds, dtype=lib.int64))
        return
    _same(lambda lib: lib.arange(*bounds, dtype=getattr(lib, dtype)))


@pytest.mark.parametrize("bounds", [(0.4, 0.2, 1), (0, -3.5, 1), (0, float("inf"), 1.0)], ids=str)
def test_integer_arange_refuses_what_torch_refuses(bounds):
    _refused(lambda lib: lib.arange(*bounds, dtype=lib.int64))


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.arange(0, 3, 1.0),
        lambda lib: lib.linspace(0, 1, steps=0),
        lambda lib: lib.full((2,), True),
        lambda lib: lib.full((2,), 1),
    ],
)
def test_factory_dtype_inference_matches_torch(call):
    _same(call)


def _a(lib, batch=()):
    m = np.array([[2.0, 1.0], [1.0, 3.0]])
    return lib.tensor(np.broadcast_to(m, batch + (2, 2)).copy())


def _b(lib, shape):
    return lib.tensor(np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape))


@pytest.mark.parametrize(
    "a_batch, b_shape",
    [((), (3, 2, 1)), ((3,), (2, 1)), ((3,), (2, 1, 2, 1)), ((2, 1), (3, 2, 4))],
    ids=str,
)
def test_lu_solve_broadcasts_batch_dims_as_torch(a_batch, b_shape):
    def call(lib):
        lu, pivots = lib.linalg.lu_factor(_a(lib, a_batch))
        return lib.linalg.lu_solve(lu, pivots, _b(lib, b_shape))

    _same(call, exact=False)


def test_legacy_lu_solve_broadcasts_too():
    def call(lib):
        lu, pivots = lib.linalg.lu_factor(_a(lib, (3,)))
        return lib.lu_solve(_b(lib, (2, 1)), lu, pivots)

    with warnings.catch_warnings():  # torch's deprecation of torch.lu_solve (warned once)
        warnings.simplefilter("ignore", UserWarning)
        theirs = call(torch)
    np.testing.assert_allclose(call(chainrule).numpy(), theirs.numpy(), rtol=1e-10)


def test_lu_solve_broadcast_gradient_sums_over_the_broadcast_batch():
    grads = []
    for lib in (chainrule, torch):
        a = _a(lib).requires_grad_()
        b = _b(lib, (3, 2, 1)).requires_grad_()
        lu, pivots = lib.linalg.lu_factor(a)
        lib.linalg.lu_solve(lu, pivots, b).sum().backward()
        grads.append((a.grad.numpy(), b.grad.numpy()))
    for ours, theirs in zip(*grads):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10)


@pytest.mark.parametrize(
    "a_batch, b_shape",
    [
        ((3,), (3, 2)),  # A's shape without its last dim: a batch of vectors
        ((3,), (2,)),  # 1-D: one vector for every matrix
        ((3,), (2, 1)),  # a matrix, broadcast over A's batch
        ((2,), (2, 2)),  # (2, 2) is A's shape less its last dim: vectors, not one matrix
        ((3,), (3, 2, 5)),
        ((4, 1), (3, 2, 1)),
    ],
    ids=str,
)
@pytest.mark.parametrize("left", [True, False])
def test_solve_vector_rule_and_broadcasting_match_torch(a_batch, b_shape, left):
    if not left:
        b_shape = b_shape[:-2] + b_shape[:-3:-1] if len(b_shape) > 1 else b_shape

    def call(lib):
        return lib.linalg.solve(_a(lib, a_batch), _b(lib, b_shape), left=left)

    try:
        call(torch)
    except RuntimeError:
        _refused(call)
        return
    _same(call, exact=False)


def test_solve_broadcast_gradients_match_torch():
    grads = []
    for lib in (chainrule, torch):
        a = _a(lib, (3,)).requires_grad_()
        b = _b(lib, (2,)).requires_grad_()
        (lib.linalg.solve(a, b) * _b(lib, (3, 2))).sum().backward()
        grads.append((a.grad.numpy(), b.grad.numpy()))
    for ours, theirs in zip(*grads):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10)


@pytest.mark.parametrize(
    "call",
    [
        lambda lib: lib.linalg.solve(_a(lib, (4, 3)), _b(lib, (3, 2))),
        lambda lib: lib.linalg.solve(_a(lib), _b(lib, (3, 2))),
        lambda lib: lib.linalg.solve(_a(lib, (3,)), _b(lib, (3, 2)), left=False),
        lambda lib: lib.linalg.lu_solve(*lib.linalg.lu_factor(_a(lib, (3,))), _b(lib, (2, 2, 1))),
        lambda lib: lib.linalg.lu_solve(*lib.linalg.lu_factor(_a(lib)), _b(lib, (2,))),
        lambda lib: lib.linalg.inv(lib.tensor([[1, 0], [0, 1]])),
        lambda lib: lib.linalg.solve(lib.tensor([[1, 0], [0, 1]]), lib.tensor([1, 2])),
    ],
)
def test_bad_solves_are_refused_as_torch(call):
    _refused(call)


@pytest.mark.parametrize(
    "matrix, batch, element",
    [
        ([[1.0, 2.0], [2.0, 4.0]], None, 2),
        ([[0.0, 0.0], [0.0, 0.0]], None, 1),
        ([[[1.0, 0.0], [0.0, 1.0]], [[1.0, 2.0], [2.0, 4.0]]], 1, 2),
    ],
)
def test_inv_of_a_singular_matrix_says_where_as_torch(matrix, batch, element):
    for lib in (torch, chainrule):
        with pytest.raises(lib.linalg.LinAlgError) as error:
            lib.linalg.inv(lib.tensor(matrix))
        text = str(error.value).lower()
        assert text.startswith("linalg.inv: ") and f"diagonal element {element}" in text
        assert (f"batch element {batch}" in text) == (batch is not None)
