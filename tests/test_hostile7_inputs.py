"""Seventh hostile-input round: numbers that do not fit an integer dtype, sizes that do not fit in
memory, Python lists where torch wants a Tensor, addmm's family with beta=0, and the oldest
surface (Module names, load_state_dict's result, checkpoint files, collate, schedulers, .data and
backward's gradient). Each case runs on torch first: chainrule's error must be an instance of
the class torch raises, and name who."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr

pytestmark = pytest.mark.oracle

HUGE = 2**40  # elements: terabytes in any dtype, more than any test machine holds

CASES = [
    # numbers an integer dtype cannot hold: NumPy wraps them round silently (256 -> 0)
    (
        "tensor uint8 -1 and 256",
        lambda L: L.tensor([-1, 256], dtype=L.uint8),
        r"^tensor: expected values that fit in uint8 \(0 to 255\)",
    ),
    (
        "tensor int8 200",
        lambda L: L.tensor([200], dtype=L.int8),
        r"^tensor: .*int8 \(-128 to 127\), got 200",
    ),
    ("tensor int16 40000", lambda L: L.tensor([40000], dtype=L.int16), r"^tensor: .*int16"),
    (
        "tensor int32 2**31",
        lambda L: L.tensor([2**31], dtype=L.int32),
        r"^tensor: .*int32.*got 2147483648",
    ),
    (
        "tensor int64 2**63",
        lambda L: L.tensor([2**63], dtype=L.int64),
        r"^tensor: .*int64.*got 9223372036854775808",
    ),
    (
        "tensor 2**64 no dtype",
        lambda L: L.tensor([2**64]),
        r"^tensor: .*int64.*got 18446744073709551616",
    ),
    ("tensor 0-d uint8 256", lambda L: L.tensor(256, dtype=L.uint8), r"^tensor: .*uint8.*got 256"),
    (
        "tensor float 300 to uint8",
        lambda L: L.tensor([300.0], dtype=L.uint8),
        r"^tensor: .*got 300.0",
    ),
    (
        "tensor float -1.5 to uint8",
        lambda L: L.tensor([-1.5], dtype=L.uint8),
        r"^tensor: .*got -1.5",
    ),
    (
        "tensor nan to int64",
        lambda L: L.tensor([float("nan")], dtype=L.int64),
        r"^tensor: .*got nan",
    ),
    (
        "tensor inf to int32",
        lambda L: L.tensor([float("inf")], dtype=L.int32),
        r"^tensor: .*got inf",
    ),
    ("as_tensor uint8 300", lambda L: L.as_tensor([300], dtype=L.uint8), r"^as_tensor: .*uint8"),
    ("full uint8 256", lambda L: L.full((2,), 256, dtype=L.uint8), r"^full: .*uint8.*got 256"),
    ("full int32 2**40", lambda L: L.full((2,), 2**40, dtype=L.int32), r"^full: .*int32"),
    ("full int64 1e30", lambda L: L.full((2,), 1e30, dtype=L.int64), r"^full: .*int64.*got 1e\+30"),
    (
        "full_like uint8 300",
        lambda L: L.full_like(L.zeros(2, dtype=L.uint8), 300),
        r"^full_like: .*uint8",
    ),
    (
        "fill_ uint8 300",
        lambda L: L.zeros(2, dtype=L.uint8).fill_(300),
        r"^fill_: .*uint8.*got 300",
    ),
    ("fill_ int32 2**33", lambda L: L.zeros(2, dtype=L.int32).fill_(2**33), r"^fill_: .*int32"),
    (
        "new_tensor uint8 300",
        lambda L: L.zeros(2, dtype=L.uint8).new_tensor([300]),
        r"^new_tensor: .*uint8",
    ),
    (
        "new_full uint8 300",
        lambda L: L.zeros(2, dtype=L.uint8).new_full((2,), 300),
        r"^new_full: .*uint8",
    ),
    (
        "setitem uint8 300",
        lambda L: L.zeros(2, dtype=L.uint8).__setitem__(0, 300),
        r"^__setitem__: .*uint8",
    ),
    (
        "masked_fill uint8 300",
        lambda L: L.zeros(2, dtype=L.uint8).masked_fill(L.tensor([True]), 300),
        r"^masked_fill: ",
    ),
    (
        "linspace into uint8 up to 300",
        lambda L: L.linspace(0, 300, 4, dtype=L.uint8),
        r"^linspace: .*uint8.*got 300",
    ),
    (
        "randint into uint8 below 300",
        lambda L: L.randint(0, 300, (3,), dtype=L.uint8),
        r"^randint: .*uint8.*got 299",
    ),
    (
        "index_fill uint8 300",
        lambda L: L.zeros(2, dtype=L.uint8).index_fill(0, L.tensor([0]), 300),
        r"^index_fill: ",
    ),
    (
        "scalar_tensor uint8 300",
        lambda L: L.scalar_tensor(300, dtype=L.uint8),
        r"^scalar_tensor: .*uint8",
    ),
    (
        "clamp uint8 at 300",
        lambda L: L.zeros(2, dtype=L.uint8).clamp(max=300),
        r"^clamp: .*uint8.*got 300",
    ),
    # sizes that cannot fit in memory: refused before NumPy tries (its MemoryError is no RuntimeError)
    (
        "zeros 10**6 x 10**6",
        lambda L: L.zeros(10**6, 10**6),
        r"^zeros: expected a result that fits in memory",
    ),
    ("ones huge", lambda L: L.ones(HUGE), r"^ones: expected a result that fits in memory"),
    ("empty huge", lambda L: L.empty(HUGE), r"^empty: "),
    ("full huge", lambda L: L.full((HUGE,), 1.0), r"^full: "),
    ("rand huge", lambda L: L.rand(HUGE), r"^rand: "),
    ("randn huge", lambda L: L.randn(HUGE), r"^randn: "),
    ("randint huge", lambda L: L.randint(0, 5, (HUGE,)), r"^randint: "),
    ("randperm huge", lambda L: L.randperm(HUGE), r"^randperm: "),
    ("arange huge", lambda L: L.arange(0, HUGE), r"^arange: "),
    ("linspace huge", lambda L: L.linspace(0, 1, HUGE), r"^linspace: "),
    ("logspace huge", lambda L: L.logspace(0, 1, HUGE), r"^logspace: "),
    ("eye huge", lambda L: L.eye(2**21), r"^eye: "),
    ("tril_indices huge", lambda L: L.tril_indices(2**20, 2**20), r"^tril_indices: "),
    ("new_zeros huge", lambda L: L.zeros(1).new_zeros(HUGE), r"^new_tensor: "),
    ("new_ones huge", lambda L: L.zeros(1).new_ones(HUGE), r"^new_tensor: "),
    ("repeat huge", lambda L: L.zeros(1).repeat(HUGE), r"^repeat: "),
    (
        "zeros_like of a huge expanded view",
        lambda L: L.zeros_like(L.zeros(1).expand(HUGE)),
        r"^zeros_like: ",
    ),
    (
        "ones_like of a huge expanded view",
        lambda L: L.ones_like(L.zeros(1).expand(HUGE)),
        r"^ones_like: ",
    ),
    ("zeros whose byte count overflows", lambda L: L.zeros(2**62, 4), r"^zeros: "),
    # a Python list where torch wants a Tensor: NumPy would read it as an array, silently
    (
        "sort of a list",
        lambda L: L.sort([3.0, 1.0]),
        r"^sort: expected input to be a Tensor, got list",
    ),
    (
        "abs of a list",
        lambda L: L.abs([1.0, -2.0]),
        r"^abs: expected input to be a Tensor, got list",
    ),
    (
        "add of a list",
        lambda L: L.add([1.0, 2.0], 1),
        r"^add: expected input to be a Tensor, got list",
    ),
    ("matmul of lists", lambda L: L.matmul([[1.0]], [[2.0]]), r"^matmul: expected input"),
    ("cumsum of a list", lambda L: L.cumsum([1.0, 2.0], 0), r"^cumsum: expected input"),
    ("isclose of lists", lambda L: L.isclose([1.0], [1.0]), r"^isclose: expected input"),
    (
        "searchsorted of lists",
        lambda L: L.searchsorted([1.0, 2.0], [1.5]),
        r"^searchsorted: expected input",
    ),
    ("zeros_like of a list", lambda L: L.zeros_like([1.0, 2.0]), r"^zeros_like: expected input"),
    ("det of a list", lambda L: L.det([[1.0, 0.0], [0.0, 1.0]]), r"^det: expected input"),
    # the oldest surface
    (
        "load of a missing file",
        lambda L: L.load("/nonexistent/hostile7.pt"),
        r"^load: expected a checkpoint file",
    ),
    (
        "load of a folder",
        lambda L: L.load("/"),
        r"^load: expected a checkpoint file at /, got a folder",
    ),
    (
        "setting .data to a list",
        lambda L: setattr(L.ones(2), "data", [1.0, 2.0]),
        r"^Tensor.data: expected the new data",
    ),
    (
        "backward with a list gradient",
        lambda L: (L.ones(3, requires_grad=True) * 2).backward([1.0] * 3),
        r"^backward: expected gradient to",
    ),
]


@pytest.mark.parametrize("name, call, match", CASES, ids=[c[0] for c in CASES])
def test_refused_as_torch_refuses_with_an_error_that_names_who(name, call, match):
    with pytest.raises(Exception) as theirs:  # noqa: PT011 - the class is what we compare
        call(torch)
    with pytest.raises(type(theirs.value), match=match) as ours:
        call(cr)
    assert isinstance(ours.value, cr.errors.ChainruleError)


@pytest.mark.parametrize(
    "dtype, values",
    [("uint8", [0, 255]), ("int8", [-128, 127]), ("int16", [-(2**15), 2**15 - 1]),
     ("int32", [-(2**31), 2**31 - 1]), ("int64", [-(2**63), 2**63 - 1]), ("uint8", [2, 0])],
)  # fmt: skip
def test_values_at_the_edges_of_an_integer_dtype_still_build(dtype, values):
    for make in (lambda L: L.tensor(values, dtype=getattr(L, dtype)),
                 lambda L: L.as_tensor(values, dtype=getattr(L, dtype))):  # fmt: skip
        assert make(cr).tolist() == make(torch).tolist()
    t = cr.zeros(2, dtype=getattr(cr, dtype))
    t.fill_(values[1])
    t[0] = values[0]
    assert t.tolist() == torch.tensor(values, dtype=getattr(torch, dtype)).tolist()


def test_an_ndarray_cast_keeps_numpy_and_torch_wrapping():
    # torch.tensor(ndarray, dtype=) casts a tensor, which wraps; only Python numbers are checked
    array = np.array([300, -1])
    assert (
        cr.tensor(array, dtype=cr.uint8).tolist() == torch.tensor(array, dtype=torch.uint8).tolist()
    )


def test_factories_that_fit_are_untouched():
    assert cr.zeros(2, 3).shape == (2, 3) and cr.eye(3, 2).shape == (3, 2)
    assert cr.arange(0, 10, 3).tolist() == [0, 3, 6, 9]
    assert cr.zeros(1).new_full((2,), 7.0).tolist() == [7.0, 7.0]
    assert cr.zeros(2, 1).repeat(2, 3).shape == (4, 3)


@pytest.mark.parametrize("name", ["addmm", "addmv", "addr", "baddbmm", "addbmm"])
@pytest.mark.parametrize("beta, alpha", [(0, 1), (0, 2.0), (0.5, 1)])
def test_addmm_family_with_beta_zero_gives_input_a_zero_gradient(name, beta, alpha):
    shapes = {
        "addmm": [(2, 3), (2, 4), (4, 3)],
        "addmv": [(2,), (2, 4), (4,)],
        "addr": [(2, 3), (2,), (3,)],
        "baddbmm": [(5, 2, 3), (5, 2, 4), (5, 4, 3)],
        "addbmm": [(2, 3), (5, 2, 4), (5, 4, 3)],
    }[name]
    rng = np.random.default_rng(7)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    arrays[0].reshape(-1)[0] = np.nan  # beta=0 ignores input, NaN included
    results = []
    for L in (cr, torch):
        inputs = [L.tensor(a, requires_grad=True) for a in arrays]
        out = getattr(L, name)(*inputs, beta=beta, alpha=alpha)
        out.sum().backward()
        results.append((out.detach().numpy(), [t.grad.numpy() for t in inputs]))
    (ours, our_grads), (theirs, their_grads) = results
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)
    for mine, ref in zip(our_grads, their_grads):
        np.testing.assert_allclose(mine, ref, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.tensor_split(L.arange(6), [1, 4]),
        lambda L: L.rot90(L.ones(2, 3), 1, [0, 1]),
        lambda L: L.add(L.ones(2), 3),
        lambda L: L.pow(2, L.ones(2)),
        lambda L: L.where(L.tensor([True, False]), L.ones(2), 0.0),
        lambda L: L.isin(L.arange(4), 2),
        lambda L: L.clamp(L.ones(2), 0.0, 0.5),
        lambda L: L.tensordot(L.ones(2, 3), L.ones(3, 2), dims=([1], [0])),
        lambda L: L.cat([L.ones(2), L.zeros(2)]),
        lambda L: L.stack((L.ones(2), L.zeros(2))),
        lambda L: L.einsum("ij->j", [L.ones(2, 3)]),
    ],
)
def test_sequences_torch_accepts_still_pass(call):
    ours, theirs = call(cr), call(torch)
    if isinstance(theirs, torch.Tensor):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy())
    else:
        assert [o.tolist() for o in ours] == [t.tolist() for t in theirs]


def test_values_that_fit_after_truncation_build_as_in_torch():
    assert cr.tensor([2.9, 0.0], dtype=cr.uint8).tolist() == [2, 0]
    assert torch.tensor([2.9, 0.0], dtype=torch.uint8).tolist() == [2, 0]


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda L: L.nn.Linear(2, 3).add_module("weight", L.nn.ReLU()), "attribute 'weight' already exists"),
        (lambda L: L.utils.data.RandomSampler(range(3), replacement=1), r"^RandomSampler: expected replacement"),
    ],
)  # fmt: skip
def test_module_and_sampler_misuse_raise_torchs_class(call, match):
    with pytest.raises(Exception) as theirs:  # noqa: PT011 - the class is what we compare
        call(torch)
    with pytest.raises(type(theirs.value), match=match):
        call(cr)


def test_add_module_over_a_parameter_keeps_the_parameter():
    layer = cr.nn.Linear(2, 3)
    with pytest.raises(KeyError):
        layer.add_module("weight", cr.nn.ReLU())
    assert isinstance(layer.weight, cr.nn.Parameter) and "weight" not in layer._modules


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.zeros(L.tensor(3)),
        lambda L: L.randn([L.tensor(2), 3]).shape,
        lambda L: L.tensor([2**70], dtype=L.float32),
        lambda L: L.tensor([[2**70, 1]], dtype=L.float64),
        lambda L: L.linspace(0, 255, 4, dtype=L.uint8),
        lambda L: L.zeros(2, dtype=L.uint8).clamp(0, 255),
    ],
)
def test_what_torch_accepts_near_those_edges_still_builds(call):
    ours, theirs = call(cr), call(torch)
    if isinstance(theirs, torch.Tensor):
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-6)
        assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "")
    else:
        assert tuple(ours) == tuple(theirs)


def test_a_float_tensor_is_no_size_and_none_is_no_huge_number():
    with pytest.raises(TypeError, match="one-element integer tensor"):
        cr.zeros(cr.tensor(2.0))
    with pytest.raises(TypeError, match="holding None"):
        cr.tensor([None, 2**70], dtype=cr.float32)


@pytest.mark.parametrize(
    "call",
    [
        lambda L: L.tensor([-1, -255, 7], dtype=L.uint8),
        lambda L: L.as_tensor([-1, 2], dtype=L.uint8),
        lambda L: L.full((2,), -1, dtype=L.uint8),
        lambda L: L.full_like(L.zeros(2, dtype=L.uint8), -200),
        lambda L: L.zeros(2, dtype=L.uint8).fill_(-1),
        lambda L: L.zeros(2, dtype=L.uint8).new_full((2,), -1),
        lambda L: L.zeros(2, dtype=L.uint8).new_tensor([-1, 5]),
        lambda L: L.zeros(2, dtype=L.uint8).masked_fill(L.tensor([True, False]), -1),
        lambda L: L.zeros(2, dtype=L.uint8).index_fill(0, L.tensor([1]), -1),
        lambda L: L.scalar_tensor(-1, dtype=L.uint8),
        lambda L: L.linspace(-1, 3, 2, dtype=L.uint8),
        lambda L: L.tensor([0, 5, 200], dtype=L.uint8).clamp(min=-1),
        lambda L: L.tensor([0, 5, 200], dtype=L.uint8).clamp(min=-200),
        lambda L: (lambda t: (t.__setitem__(0, -1), t)[1])(L.zeros(2, dtype=L.uint8)),
    ],
)
def test_negative_ints_into_unsigned_dtypes_wrap_as_torch_wraps_them(call):
    # torch takes -1 as 255 in uint8 (two's complement) down to -255, but refuses -256 and -1.0
    assert call(cr).tolist() == call(torch).tolist()
