"""A value torch refuses raises, in chainrule, an error a torch program's `except` catches.

torch raises ValueError for some bad arguments and RuntimeError for most of those its kernels
check; chainrule's ArgumentError is both, its ShapeError both ValueError and RuntimeError, its
DTypeError both TypeError and RuntimeError. Each case runs on both libraries and the test asks
that chainrule's error be an instance of the class torch raised."""

import pytest

import chainrule

torch = pytest.importorskip("torch")


def _cases(lib):
    F = lib.nn.functional
    x4 = lib.ones(1, 1, 5, 5)
    w4 = lib.ones(1, 1, 3, 3)
    return {
        "conv2d stride 0": lambda: F.conv2d(x4, w4, stride=0),
        "conv2d dilation 0": lambda: F.conv2d(x4, w4, dilation=0),
        "max_pool2d stride 0": lambda: F.max_pool2d(x4, 2, stride=0),
        "bce target above 1": lambda: F.binary_cross_entropy(lib.tensor([0.5]), lib.tensor([2.0])),
        "one_hot class too large": lambda: F.one_hot(lib.tensor([3]), 2),
        "label_smoothing above 1": lambda: F.cross_entropy(
            lib.ones(2, 3), lib.tensor([0, 1]), label_smoothing=1.5
        ),
        "dropout p above 1": lambda: F.dropout(lib.ones(3), p=1.5),
        "Dropout p above 1": lambda: lib.nn.Dropout(p=1.5),
        "SGD negative lr": lambda: lib.optim.SGD([lib.nn.Parameter(lib.ones(2))], lr=-1.0),
        "Adam beta above 1": lambda: lib.optim.Adam(
            [lib.nn.Parameter(lib.ones(2))], betas=(1.5, 0.9)
        ),
        "linspace negative steps": lambda: lib.linspace(0, 1, steps=-1),
        "randint low above high": lambda: lib.randint(5, 2, (3,)),
        "normal negative std": lambda: lib.normal(lib.zeros(2), -lib.ones(2)),
        "reshape impossible": lambda: lib.ones(2, 3).reshape(4, 2),
        "matmul mismatch": lambda: lib.ones(2, 3) @ lib.ones(2, 3),
        "cat different dtypes rank": lambda: lib.cat([lib.ones(2, 3), lib.ones(2)]),
        "cross_entropy label out of range": lambda: F.cross_entropy(
            lib.ones(2, 3), lib.tensor([0, 5])
        ),
        "gather index out of range": lambda: lib.ones(2, 3).gather(1, lib.tensor([[5], [0]])),
        "softmax dim out of range": lambda: F.softmax(lib.ones(2, 3), dim=4),
        "grid_sample bad mode": lambda: F.grid_sample(
            x4, lib.zeros(1, 2, 2, 2), mode="area", align_corners=False
        ),
        "grid_sample grid of 3 coordinates": lambda: F.grid_sample(
            x4, lib.zeros(1, 2, 2, 3), align_corners=False
        ),
        "affine_grid theta shape": lambda: F.affine_grid(
            lib.zeros(1, 3, 4), [1, 1, 2, 2], align_corners=False
        ),
        "affine_grid 3-entry size": lambda: F.affine_grid(
            lib.zeros(1, 2, 3), [1, 2, 2], align_corners=False
        ),
        "ctc_loss blank out of range": lambda: F.ctc_loss(
            lib.zeros(5, 1, 3), lib.tensor([[1]]), [5], [1], blank=3
        ),
        "ctc_loss input length above T": lambda: F.ctc_loss(
            lib.zeros(5, 1, 3), lib.tensor([[1]]), [6], [1]
        ),
        "FractionalMaxPool2d without a size": lambda: lib.nn.FractionalMaxPool2d(2),
        "AdaptiveLogSoftmaxWithLoss unsorted cutoffs": lambda: lib.nn.AdaptiveLogSoftmaxWithLoss(
            8, 10, [5, 3]
        ),
        "CrossMapLRN2d 3-d input": lambda: lib.nn.CrossMapLRN2d(3)(lib.ones(2, 3, 3)),
        "SWALR anneal_strategy": lambda: lib.optim.swa_utils.SWALR(
            lib.optim.SGD([lib.nn.Parameter(lib.ones(2))], lr=0.1), 0.05, anneal_strategy="step"
        ),
        "orthogonal_map unknown": lambda: lib.nn.utils.parametrizations.orthogonal(
            lib.nn.Linear(3, 3), orthogonal_map="qr"
        ),
        # function transforms (chainrule.func, autograd.functional)
        "vmap sizes differ": lambda: lib.func.vmap(lambda a, b: a + b)(lib.ones(2), lib.ones(3)),
        "vmap in_dim too large": lambda: lib.func.vmap(lambda a: a, in_dims=1)(lib.ones(2)),
        "vmap returns a float": lambda: lib.func.vmap(lambda a: 1.0)(lib.ones(2)),
        "grad of a non-scalar": lambda: lib.func.grad(lambda a: a * 2)(lib.ones(3)),
        "grad has_aux not a pair": lambda: lib.func.grad(lambda a: a, has_aux=True)(lib.ones(())),
        "grad argnums too large": lambda: lib.func.grad(lambda a: a.sum(), argnums=2)(lib.ones(2)),
        "jacobian of a list": lambda: lib.autograd.functional.jacobian(lambda a: a, ([1.0],)),
        "vjp without v": lambda: lib.autograd.functional.vjp(lambda a: a * 2, lib.ones(2)),
        "stack_module_state of none": lambda: lib.func.stack_module_state([]),
        # torchapi2: view scatters, as_strided, memory formats, the tensor surface, new layers
        "select_scatter src shape": lambda: lib.select_scatter(lib.zeros(3, 4), lib.ones(3), 0, 1),
        "select_scatter index out of range": lambda: lib.select_scatter(
            lib.zeros(3, 4), lib.ones(4), 0, 3
        ),
        "slice_scatter src shape": lambda: lib.slice_scatter(
            lib.zeros(4, 2), lib.ones(3, 2), 0, 0, 2
        ),
        "diagonal_scatter same dims": lambda: lib.diagonal_scatter(
            lib.zeros(3, 3), lib.ones(3), 0, 1, 1
        ),
        "as_strided outside storage": lambda: lib.as_strided(lib.zeros(2, 3), (3, 3), (3, 1)),
        "to channels_last on 3-d": lambda: lib.zeros(2, 3, 4).to(memory_format=lib.channels_last),
        "contiguous preserve_format": lambda: (
            lib.zeros(2, 3).t().contiguous(memory_format=lib.preserve_format)
        ),
        "imag of a real tensor": lambda: lib.zeros(2).imag,
        "H of a 3-d tensor": lambda: lib.zeros(2, 2, 2).H,
        "histc of integers": lambda: lib.histc(lib.tensor([1, 2])),
        "histc max below min": lambda: lib.histc(lib.zeros(3), 4, 1.0, 0.0),
        "apply_ on a tensor that requires grad": lambda: lib.ones(2, requires_grad=True).apply_(
            abs
        ),
        "empty_strided lengths differ": lambda: lib.empty_strided((2, 3), (1,)),
        "nonzero_static negative size": lambda: lib.nonzero_static(lib.ones(2), size=-1),
        "max_unpool3d index out of range": lambda: F.max_unpool3d(
            lib.ones(1, 1, 1, 1, 1), lib.tensor([[[[[9]]]]]), 2
        ),
        "adaptive_max_pool3d 3-d input": lambda: F.adaptive_max_pool3d(lib.ones(2, 2, 2), 1),
        "SyncBatchNorm 1-d input": lambda: lib.nn.SyncBatchNorm(3)(lib.ones(3)),
        "SyncBatchNorm channels": lambda: lib.nn.SyncBatchNorm(3)(lib.ones(2, 4)),
        # porter8: torch's NumPy keyword names given beside torch's own
        "keepdim and keepdims both": lambda: lib.ones(2, 3).mean(1, keepdim=True, keepdims=True),
        # views: what torch refuses about them
        "view of a transpose": lambda: lib.ones(3, 4).t().view(12),
        "numpy of a tensor that requires grad": lambda: lib.ones(2, requires_grad=True).numpy(),
        "in-place op on a split piece": lambda: (
            (lib.ones(4, requires_grad=True) * 2).split(2)[0].add_(1)
        ),
        "diagonal of one dim twice": lambda: lib.ones(3, 3).diagonal(0, 1, 1),
        "add_ into an expand": lambda: lib.zeros(1, 4).expand(3, 4).add_(1),
        "add_ into a view of a leaf": lambda: lib.ones(3, 3, requires_grad=True).diagonal().add_(1),
    }


@pytest.mark.parametrize("name", sorted(_cases(chainrule)))
def test_chainrule_raises_what_torch_programs_catch(name):
    with pytest.raises(Exception) as theirs:
        _cases(torch)[name]()
    with pytest.raises(Exception) as ours:
        _cases(chainrule)[name]()
    assert isinstance(ours.value, type(theirs.value)), (
        f"{name}: torch raised {type(theirs.value).__name__}, chainrule "
        f"{type(ours.value).__mro__[:4]}: {ours.value}"
    )


def test_argument_error_is_both_value_and_runtime_error():
    assert issubclass(chainrule.ArgumentError, ValueError)
    assert issubclass(chainrule.ArgumentError, RuntimeError)


# torchns: the distributed names without a process group, and a sampler's bad rank
def _torchns_cases(lib):
    return {
        "get_rank without a process group": lambda: lib.distributed.get_rank(),
        "all_reduce without a process group": lambda: lib.distributed.all_reduce(lib.ones(2)),
        "DDP without a process group": lambda: lib.nn.parallel.DistributedDataParallel(
            lib.nn.Linear(2, 1)
        ),
        "DistributedSampler rank out of range": lambda: lib.utils.data.DistributedSampler(
            range(4), num_replicas=2, rank=2
        ),
    }


@pytest.mark.parametrize("name", sorted(_torchns_cases(chainrule)))
def test_torchns_raises_what_torch_programs_catch(name):
    import torch.utils.data.distributed  # noqa: F401  (torch imports it lazily)

    with pytest.raises(Exception) as theirs:
        _torchns_cases(torch)[name]()
    with pytest.raises(Exception) as ours:
        _torchns_cases(chainrule)[name]()
    assert isinstance(ours.value, type(theirs.value)), name
