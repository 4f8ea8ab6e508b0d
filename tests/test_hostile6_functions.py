"""Sixth hostile-input round, torch-level functions: cov's weights, split's sizes, renorm and
chain_matmul shapes, random fills outside their dtype, svd and cholesky of non-finite input.
Each case runs on torch first: chainrule's error must be an instance of the class torch raises
(for the linear-algebra failures, of RuntimeError, the base of torch's LinAlgError)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr

pytestmark = pytest.mark.oracle


def _x(L):
    return L.arange(6.0).reshape(2, 3)


CASES = [
    (
        "out= of an integer dtype for a float result",
        lambda L: L.hypot(L.tensor([3.0]), L.tensor([4.0]), out=L.zeros(1, dtype=L.int64)),
        r"out=: expected an out that holds float32 values, got dtype int64",
    ),
    (
        "out= with an input that requires grad",
        lambda L: L.hypot(L.tensor([3.0], requires_grad=True), L.tensor([4.0]), out=L.zeros(1)),
        r"out=: expected inputs that need no gradient",
    ),
    (
        "cov negative fweights",
        lambda L: L.cov(_x(L), fweights=L.tensor([1, -1, 1])),
        r"cov: expected fweights >= 0, got -1",
    ),
    (
        "cov float fweights",
        lambda L: L.cov(_x(L), fweights=L.tensor([1.0, 1.0, 1.0])),
        r"cov: expected fweights of an integer dtype, got dtype float32",
    ),
    (
        "cov integer aweights",
        lambda L: L.cov(_x(L), aweights=L.tensor([1, 1, 1])),
        r"cov: expected aweights of a floating-point dtype, got dtype int64",
    ),
    (
        "cov negative aweights",
        lambda L: L.cov(_x(L), aweights=L.tensor([1.0, -1.0, 1.0])),
        r"cov: expected aweights >= 0, got -1.0",
    ),
    (
        "cov NaN aweights",
        lambda L: L.cov(_x(L), aweights=L.tensor([1.0, float("nan"), 1.0])),
        r"cov: expected aweights >= 0, got nan",
    ),
    (
        "cov fweights too short",
        lambda L: L.cov(_x(L), fweights=L.tensor([1, 1])),
        r"cov: expected fweights of 3 values, one per observation, got \(2,\)",
    ),
    (
        "cov weights summing to 0",
        lambda L: L.cov(_x(L), fweights=L.tensor([0, 0, 0])),
        r"cov: expected weights with a positive sum",
    ),
    (
        "split sizes short of the dim",
        lambda L: L.split(L.ones(4), [1, 2]),
        r"split: expected split sizes >= 0 that sum to 4 \(the size of dim 0\), got \[1, 2\]",
    ),
    (
        "Tensor.split sizes past the dim",
        lambda L: L.ones(4, 2).split([3, 3]),
        r"split: expected split sizes >= 0 that sum to 4",
    ),
    ("split float size", lambda L: L.split(L.ones(4), 1.5), r"split: expected split_size an int"),
    (
        "renorm dim 2 of a matrix",
        lambda L: L.renorm(L.ones(2, 3), 2, 2, 1.0),
        r"renorm: expected dim in \[-2, 1\] for a tensor of shape \(2, 3\), got 2",
    ),
    ("renorm p=0", lambda L: L.renorm(L.ones(2, 3), 0, 0, 1.0), r"renorm: expected a norm p > 0"),
    (
        "chain_matmul of a vector",
        lambda L: L.chain_matmul(L.ones(2), L.ones(2, 2)),
        r"chain_matmul: expected one or more 2-D matrices, got \(2,\), \(2, 2\)",
    ),
    ("chain_matmul of nothing", lambda L: L.chain_matmul(), r"chain_matmul: expected one or more"),
    (
        "matrix_power float n",
        lambda L: L.matrix_power(L.eye(2), 1.5),
        r"matrix_power: expected an integer n, got float 1.5",
    ),
    (
        "svd of NaN",
        lambda L: L.svd(L.tensor([[float("nan"), 0.0], [0.0, 1.0]])),
        r"svd: expected a matrix of finite values, got 1 NaN",
    ),
    (
        "cholesky of NaN",
        lambda L: (L.linalg.cholesky if L is torch else L.cholesky)(
            L.tensor([[float("nan"), 0.0], [0.0, 1.0]])
        ),
        r"cholesky: expected a symmetric positive-definite matrix",
    ),
    (
        "random_ below uint8",
        lambda L: L.zeros(2, dtype=L.uint8).random_(-3, 2),
        r"random_: expected from and to - 1 in \[0, 255\] for uint8, got from=-3, to=2",
    ),
    (
        "random_ above bool",
        lambda L: L.zeros(2, dtype=L.bool).random_(0, 5),
        r"random_: expected from and to - 1 in \[0, 1\] for bool",
    ),
    (
        "cauchy_ negative sigma",
        lambda L: L.zeros(2).cauchy_(0.0, -1.0),
        r"cauchy_: expected sigma > 0, got -1.0",
    ),
    (
        "cauchy_ of integers",
        lambda L: L.zeros(2, dtype=L.int64).cauchy_(),
        r"cauchy_: expected a floating-point tensor to fill, got dtype int64",
    ),
    (
        "exponential_ of integers",
        lambda L: L.zeros(2, dtype=L.int64).exponential_(),
        r"exponential_: expected a floating-point tensor to fill, got dtype int64",
    ),
    (
        "log_normal_ of integers",
        lambda L: L.zeros(2, dtype=L.int64).log_normal_(),
        r"log_normal_: expected a floating-point tensor to fill",
    ),
]


@pytest.mark.parametrize("name, call, match", CASES, ids=[c[0] for c in CASES])
def test_refused_as_torch_refuses_with_an_error_that_names_who(name, call, match):
    with pytest.raises(Exception) as theirs:  # noqa: PT011 - the class is what we compare
        call(torch)
    with pytest.raises(RuntimeError if "LinAlg" in type(theirs.value).__name__ else
                       type(theirs.value), match=match):  # fmt: skip
        call(cr)


@pytest.mark.parametrize("data", [[[1.0, 2.0, 4.0]], [1.0, 2.0, 4.0], [[1, 2, 4]]])
def test_cov_of_one_variable_is_0_d_as_torch(data):
    # a (1, n) input gave a (1, 1) result where torch gives a 0-d one
    ours, theirs = cr.cov(cr.tensor(data)), torch.cov(torch.tensor(data))
    assert tuple(ours.shape) == tuple(theirs.shape) == ()
    np.testing.assert_allclose(ours.item(), theirs.item(), rtol=1e-6)


def test_cov_with_valid_weights_still_matches_torch():
    x = np.array([[0.5, 1.0, 4.0, 2.0], [3.0, 1.0, 0.0, 2.5]], np.float32)
    fw, aw = [1, 2, 0, 3], [0.5, 1.0, 2.0, 0.25]
    ours = cr.cov(cr.tensor(x), fweights=cr.tensor(fw), aweights=cr.tensor(aw))
    theirs = torch.cov(torch.tensor(x), fweights=torch.tensor(fw), aweights=torch.tensor(aw))
    np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-5)


def test_random_fills_within_the_dtype_still_work():
    assert set(cr.zeros(50, dtype=cr.uint8).random_(250, 256).tolist()) <= set(range(250, 256))
    assert cr.zeros(4, dtype=cr.bool).random_(0, 2).dtype == np.bool_
    assert cr.zeros(3).cauchy_(0.0, 2.0).dtype == np.float32


@pytest.mark.parametrize("make", ["Normal", "Categorical", "MultivariateNormal"])
def test_distribution_sample_shape_negative_is_refused_as_torch(make):
    def dist(L):
        D = L.distributions
        if make == "Normal":
            return D.Normal(0.0, 1.0)
        if make == "Categorical":
            return D.Categorical(probs=L.tensor([0.5, 0.5]))
        return D.MultivariateNormal(L.zeros(2), L.eye(2))

    with pytest.raises(RuntimeError):
        dist(torch).sample((-2,))
    with pytest.raises(RuntimeError, match=rf"{make}.sample: expected a sample_shape of sizes"):
        dist(cr).sample((-2,))


def test_distribution_sample_larger_than_memory_is_refused_before_allocating():
    with pytest.raises(cr.ShapeError, match=r"Normal.sample: expected a result that fits"):
        cr.distributions.Normal(0.0, 1.0).sample((10**7, 10**7))


def test_rprop_leaves_a_weight_with_a_nan_gradient_as_torch():
    # np.sign(NaN) is NaN, so the weight became NaN; torch's sign(NaN) is 0
    results = []
    for L in (cr, torch):
        p = L.nn.Parameter(L.tensor([1.0, -2.0, 0.5]))
        opt = L.optim.Rprop([p])
        for g in ([float("nan"), 1.0, 0.0], [1.0, 1.0, 0.0], [1.0, -1.0, 0.5]):
            p.grad = L.tensor(g)
            opt.step()
        results.append(p.detach().numpy().copy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_log_ndtr_stays_finite_in_the_left_tail_as_torch(dtype):
    # log(ndtr(x)) gave -inf once ndtr underflowed (x = -40: torch says -804.6)
    x = np.array([-1e4, -40.0, -25.0, -20.0, -13.0, -5.0, -0.5, 0.0, 3.0, 40.0], dtype)
    ours = cr.special.log_ndtr(cr.tensor(x))
    theirs = torch.special.log_ndtr(torch.tensor(x))
    assert ours.dtype == x.dtype
    np.testing.assert_allclose(
        ours.numpy(), theirs.numpy(), rtol=1e-6 if dtype == np.float32 else 1e-12
    )
    # torch's float32 gradient at -1e4 is 64930 where the exact one is 1e4: compare from -40
    xg, tg = cr.tensor(x[1:], requires_grad=True), torch.tensor(x[1:], requires_grad=True)
    cr.special.log_ndtr(xg).sum().backward()
    torch.special.log_ndtr(tg).sum().backward()
    np.testing.assert_allclose(xg.grad.numpy(), tg.grad.numpy(), rtol=1e-4)


def test_digamma_at_negative_zero_is_plus_inf_as_torch():
    x = np.array([0.0, -0.0, -1.0, -3.0], np.float32)
    expected = torch.digamma(torch.tensor(x)).numpy()
    np.testing.assert_array_equal(cr.digamma(cr.tensor(x)).numpy(), expected)
    np.testing.assert_array_equal(cr.special.digamma(cr.tensor(x)).numpy(), expected)


def test_out_still_takes_a_wider_kind_or_a_no_grad_result():
    out = cr.zeros(1, dtype=cr.float64)
    assert cr.hypot(cr.tensor([3.0]), cr.tensor([4.0]), out=out) is out and out.item() == 5.0
    flags = cr.zeros(2)
    cr.gt(cr.tensor([1, 3]), 2, out=flags)  # bool into float, as torch allows
    assert flags.tolist() == [0.0, 1.0]
    with cr.no_grad():
        cr.hypot(cr.tensor([3.0], requires_grad=True), cr.tensor([4.0]), out=cr.zeros(1))
