"""Short programs written once against torch's API, run with lib=torch and lib=chainrule.

One program (at least) per item of the PyTorch-fidelity list: in-place updates, the float32
default, dtype names, .grad/.data as Tensors, the device API, top-level functions, Tensor
methods, torch-style autograd.Function, save/load arguments and printing.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule

pytestmark = pytest.mark.oracle  # compared with PyTorch / scikit-learn

LIBS = pytest.mark.parametrize("lib", [torch, chainrule], ids=["torch", "chainrule"])


def _both(program, *args):
    ours, theirs = program(chainrule, *args), program(torch, *args)
    return ours, theirs


def _close(a, b, **tol):
    tol = tol or dict(rtol=1e-6, atol=1e-7)
    if isinstance(a, (tuple, list)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _close(x, y, **tol)
        return
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), **tol)


# --- 1. in-place operations ----------------------------------------------------------------
def manual_sgd(lib, X, y):
    """The tutorial loop that silently did nothing before: p -= lr * p.grad under no_grad."""
    w = lib.zeros(3, 1, requires_grad=True)
    b = lib.zeros(1, requires_grad=True)
    inputs, targets = lib.tensor(X), lib.tensor(y)
    for _ in range(20):
        loss = ((inputs @ w + b - targets) ** 2).mean()
        loss.backward()
        with lib.no_grad():
            w -= 0.1 * w.grad
            b.sub_(0.1 * b.grad)
            w.grad.zero_()
            b.grad.zero_()
    return w.detach().numpy().copy(), b.detach().numpy().copy(), loss.item()


def test_in_place_update_under_no_grad_trains_as_torch():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((16, 3)).astype(np.float32)
    y = (X @ np.array([[1.0], [-2.0], [0.5]], dtype=np.float32) + 0.3).astype(np.float32)
    ours, theirs = _both(manual_sgd, X, y)
    _close(ours, theirs, rtol=1e-5, atol=1e-6)
    assert abs(ours[2]) < 1.0  # it trained


def in_place_family(lib):
    x = lib.tensor([1.0, -2.0, 3.0])
    x.add_(1.0).mul_(2.0).sub_(lib.tensor([1.0, 1.0, 1.0]), alpha=0.5).div_(2.0)
    x.clamp_(-1.0, 3.0)
    y = lib.zeros(3)
    y.copy_(x)
    y += 1
    y *= 2
    y /= 4
    y -= x
    z = lib.ones(2, 3)
    z.fill_(0.5)
    z[0, 1] = 7.0
    z[1] = lib.tensor([1.0, 2.0, 3.0])
    z.masked_fill_(z > 2.0, -1.0)
    return x, y, z


def test_in_place_family_matches_torch():
    _close(*_both(in_place_family))


def in_place_inside_the_graph(lib):
    w = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = w * 2
    h += 1  # recorded, as torch records it
    h.mul_(3.0)
    (h * h).sum().backward()
    return w.grad


def test_in_place_on_a_computed_tensor_is_differentiated():
    _close(*_both(in_place_inside_the_graph))


@LIBS
def test_in_place_on_a_leaf_that_requires_grad_raises(lib):
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf"):
        w.add_(1.0)


@LIBS
def test_modifying_a_saved_input_is_caught_at_backward(lib):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    w = lib.tensor([1.0, 1.0, 1.0])
    y = (x * w).sum()  # Mul saves w
    w.zero_()
    with pytest.raises(RuntimeError, match="in-?place"):
        y.backward()


@LIBS
def test_optimizer_step_before_backward_is_caught(lib):
    model = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.Tanh(), lib.nn.Linear(3, 1))
    optimizer = lib.optim.SGD(model.parameters(), lr=0.1)
    loss = model(lib.ones(4, 2)).pow(2).sum()
    loss.backward(retain_graph=True)
    optimizer.step()
    with pytest.raises(RuntimeError, match="in-?place"):
        loss.backward()


# --- 2. the float32 default, 3. dtype names -----------------------------------------------
def dtype_program(lib):
    out = []
    out.append(str(lib.tensor([1.0, 2.0]).dtype).split(".")[-1])
    out.append(str(lib.tensor(np.array([1.0])).dtype).split(".")[-1])
    out.append(str(lib.tensor([1, 2]).dtype).split(".")[-1])
    out.append(str(lib.zeros(2).dtype).split(".")[-1])
    out.append(str(lib.nn.Linear(2, 2).weight.dtype).split(".")[-1])
    out.append(str(lib.get_default_dtype()).split(".")[-1])
    x = lib.tensor([1.5, -2.5])
    for cast in ("long", "int", "bool", "float", "double"):
        out.append(str(getattr(x, cast)().dtype).split(".")[-1])
    for name in (
        "float32",
        "float64",
        "int64",
        "int32",
        "uint8",
        "bool",
        "float",
        "double",
        "long",
        "int",
    ):
        out.append(str(lib.zeros(1, dtype=getattr(lib, name)).dtype).split(".")[-1])
    out.append(x.type(lib.float64).dtype == lib.float64)
    out.append(x.double().dtype == lib.double)
    return out


def test_dtype_names_and_float32_default_match_torch():
    ours, theirs = _both(dtype_program)
    assert [o.replace("bool_", "bool") if isinstance(o, str) else o for o in ours] == theirs


def test_float16_is_refused_clearly():
    with pytest.raises(chainrule.DTypeError, match="float32 or float64, got float16"):
        chainrule.zeros(2, dtype=chainrule.float16)
    with pytest.raises(chainrule.DTypeError, match="float16"):
        chainrule.tensor([1.0]).half()


def float32_data_meets_the_model(lib):
    """Five of the programs failed here: float32 data, float64 parameters."""
    lib.manual_seed(0)
    model = lib.nn.Linear(4, 2)
    x = lib.from_numpy(np.ones((3, 4), dtype=np.float32))
    return str(model(x).dtype).split(".")[-1]


def test_float32_data_meets_a_default_model():
    assert (
        float32_data_meets_the_model(chainrule) == float32_data_meets_the_model(torch) == "float32"
    )


# --- 4. .grad and .data are Tensors sharing memory -----------------------------------------
def grad_and_data_program(lib):
    p = lib.nn.Parameter(lib.tensor([1.0, 2.0, 3.0]))
    (p * p).sum().backward()
    norm = p.grad.norm().item()
    p.data += -0.5 * p.grad  # the update writes into p
    g = p.grad.data  # a Tensor
    g.zero_()  # zeroes p.grad (shared memory)
    p.data.uniform_(0.0, 0.0)  # in place, outside the graph
    p.data.add_(lib.tensor([1.0, 1.0, 1.0]))
    return norm, p.detach().numpy().copy(), p.grad.numpy().copy(), isinstance(p.grad, lib.Tensor)


def test_grad_and_data_are_tensors_sharing_memory():
    ours, theirs = _both(grad_and_data_program)
    _close(ours[:3], theirs[:3])
    assert ours[3] and theirs[3]


# --- 5. the device API -----------------------------------------------------------------------
def device_program(lib):
    device = lib.device("cuda" if lib.cuda.is_available() else "cpu")
    mps = lib.backends.mps.is_available()
    model = lib.nn.Linear(3, 2).to(device)
    x = lib.ones(4, 3, device=device).to(device)
    y = model(x).cpu()
    return str(device), mps, str(y.device), tuple(y.shape), model.cpu() is model


def test_device_api_is_cpu_only_torch():
    assert device_program(chainrule) == device_program(torch)


def test_cuda_and_mps_say_chainrule_runs_on_the_cpu():
    for where in ("cuda", "mps", "cuda:0"):
        with pytest.raises(chainrule.DeviceError, match="runs on the CPU with NumPy"):
            chainrule.ones(2).to(where)
    with pytest.raises(chainrule.DeviceError):
        chainrule.nn.Linear(2, 2).cuda()


# --- 6. top-level functions ------------------------------------------------------------------
def functions_program(lib):
    x = lib.linspace(-2.0, 2.0, 6).reshape(2, 3)
    out = [
        lib.arange(5),
        lib.arange(0.0, 1.0, 0.25),
        lib.full((2, 2), 3.0),
        lib.full((2,), 7),
        lib.zeros_like(x),
        lib.ones_like(x),
        lib.empty(2, 3).shape,
        lib.tanh(x),
        lib.sigmoid(x),
        lib.relu(x),
        lib.exp(x),
        lib.log(x.abs() + 1),
        lib.sqrt(x.abs()),
        lib.sin(x),
        lib.cos(x),
        lib.abs(x),
        lib.matmul(x, x.T),
        lib.mm(x, x.T),
        lib.argmax(x, dim=1),
        lib.max(x),
        lib.min(x),
        lib.sum(x, dim=0),
        lib.mean(x, dim=1),
        lib.cat([x, x], dim=0),
        lib.stack([x, x], dim=2).shape,
        lib.where(x > 0, x, -x),
        lib.clamp(x, min=-1.0, max=1.0),
        lib.histc(x, bins=4, min=-2, max=2),
        lib.allclose(x, x + 1e-9),
        lib.max(x, 1)[0],
        lib.max(x, 1)[1],
        lib.min(x, dim=0).indices,
        lib.from_numpy(np.arange(3)),
        lib.as_tensor([1.0, 2.0]),
    ]
    return out


def test_top_level_functions_match_torch():
    ours, theirs = _both(functions_program)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if isinstance(a, tuple) or isinstance(a, bool):
            assert tuple(a) == tuple(b) if isinstance(a, tuple) else a == b, i
        else:
            np.testing.assert_allclose(
                np.asarray(a), b.numpy(), rtol=1e-6, atol=1e-6, err_msg=f"item {i}"
            )
            assert str(np.asarray(a).dtype) == str(b.dtype).split(".")[-1], f"item {i}"


def random_program(lib):
    g = lib.Generator().manual_seed(3)
    lib.manual_seed(1)
    ints = lib.randint(0, 5, (100,), generator=g)
    normal = lib.normal(2.0, 0.5, size=(2000,), generator=g)
    probs = lib.tensor([0.0, 1.0, 3.0])
    draws = lib.multinomial(probs, 200, replacement=True, generator=g)
    return (
        ints.dtype == lib.int64,
        int(ints.min()) >= 0,
        int(ints.max()) <= 4,
        abs(normal.mean().item() - 2.0) < 0.05,
        int((draws == 0).sum()),
        tuple(lib.rand(2, 3, generator=g).shape),
        tuple(lib.randn(4, generator=g).shape),
    )


def test_random_functions_follow_torch_signatures():
    assert random_program(chainrule) == random_program(torch)


# --- 7. Tensor methods -----------------------------------------------------------------------
def methods_program(lib):
    x = lib.tensor([[1.0, -2.0, 3.5], [0.25, 5.0, -1.5]], requires_grad=True)
    parts = [
        x.pow(2),
        x.mm(x.t()),
        x.T,
        x.unsqueeze(0).expand(2, 2, 3),
        x[0].expand_as(x),
        x.view_as(lib.zeros(3, 2)),
        x.std(),
        x.var(dim=1),
        x.std(dim=0, unbiased=False),
        x.var(correction=0),
        x.round(),
        x.abs().log10(),
        x.abs().log2(),
        x.sin(),
        x.cos(),
    ]
    total = sum(p.sum() for p in parts)
    h = x * 2
    h.retain_grad()
    (total + (h * h).sum()).backward()
    compared = [
        x.eq(1.0),
        x.ne(1.0),
        x.lt(0),
        x.le(0.25),
        x.gt(0),
        x.ge(5.0),
        x == 1.0,
        x.argmax(dim=1, keepdim=True),
        x.argmax(),
    ]
    return (
        [p.detach() for p in parts]
        + [x.grad, h.grad]
        + compared
        + [x.nelement(), int(lib.tensor(3)), float(lib.tensor([2.5]))]
    )


def test_tensor_methods_match_torch():
    ours, theirs = _both(methods_program)
    for i, (a, b) in enumerate(zip(ours, theirs)):
        if isinstance(a, (int, float)):
            assert a == b, i
        else:
            np.testing.assert_allclose(
                np.asarray(a), b.numpy(), rtol=1e-5, atol=1e-6, err_msg=f"item {i}"
            )


@LIBS
def test_one_element_tensors_index_and_count(lib):
    classes = ["cat", "dog", "bird"]
    t = lib.tensor(2)
    assert classes[t] == "bird" and list(range(t)) == [0, 1]
    assert f"{lib.tensor(0.5).item():.2f}" == "0.50"


# --- 8. autograd.Function written torch's way ------------------------------------------------
def custom_function_program(lib):
    class Exp(lib.autograd.Function):
        @staticmethod
        def forward(ctx, i):
            result = i.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            (result,) = ctx.saved_tensors
            return grad_output * result

    class ScaleBy(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, factor):
            ctx.factor = factor
            return x * factor

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output * ctx.factor, None

    x = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = ScaleBy.apply(Exp.apply(x), 3.0).sum()
    y.backward()
    x64 = lib.tensor([0.3, 0.7], dtype=lib.float64, requires_grad=True)
    ok = lib.autograd.gradcheck(Exp.apply, (x64,), eps=1e-6, atol=1e-4)
    return y.detach(), x.grad, ok, [n for n in ("needs_input_grad",) if hasattr(ScaleBy, "apply")]


def test_torch_style_autograd_function():
    ours, theirs = _both(custom_function_program)
    _close(ours[:2], theirs[:2])
    assert ours[2] is True and theirs[2] is True


# --- 9. save and load with torch's arguments ------------------------------------------------
def checkpoint_program(lib, path):
    lib.manual_seed(0)
    model = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 2))
    lib.save({"epoch": 3, "model_state_dict": model.state_dict()}, path)
    state = lib.load(path, map_location="cpu", weights_only=True)
    copy = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.ReLU(), lib.nn.Linear(4, 2))
    copy.load_state_dict(state["model_state_dict"])
    copy.eval()
    x = lib.ones(2, 3)
    with lib.no_grad():
        return state["epoch"], bool((copy(x) == model(x)).all())


@LIBS
def test_save_and_load_accept_torch_arguments(lib, tmp_path):
    assert checkpoint_program(lib, tmp_path / "model.pt") == (3, True)


# --- 10. printing ----------------------------------------------------------------------------
def test_reprs_read_like_torch():
    x = chainrule.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    assert repr(y) == "tensor([2., 4.], grad_fn=<MulBackward0>)"
    assert (
        repr(chainrule.tensor([1.0, 2.0], dtype=chainrule.float64))
        == "tensor([1., 2.], dtype=chainrule.float64)"
    )
    assert repr(chainrule.zeros(2, 3).shape) == "chainrule.Size([2, 3])"
    assert chainrule.zeros(2, 3).shape == (2, 3) == torch.zeros(2, 3).shape
    assert repr(torch.tensor([1.0, 2.0], requires_grad=True) * 2) == repr(y).replace(
        "chainrule", "torch"
    )


# --- found by an adversarial review: views, saved outputs, casts, integer promotion ----------
def views_program(lib):
    x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.clone()
    y[1:].mul_(2)  # through a view: the base sees it, and so does the graph
    w = lib.tensor([1.0, 2.0], requires_grad=True)
    H = lib.zeros(3, 2)
    for i in range(3):
        H[i].copy_(w * (i + 1))
    (y.sum() + H.sum()).backward()
    plain = lib.tensor([1.0, 2.0, 3.0, 4.0])
    v = plain.view(2, 2)
    with lib.no_grad():
        plain.mul_(3)
    return y.detach(), x.grad, H.detach(), w.grad, v


def test_in_place_through_a_view_reaches_the_base_and_the_graph():
    _close(*_both(views_program))


@pytest.mark.parametrize(
    "case",
    [
        "view of a saved input",
        "detach of a saved output",
        "saved output under no_grad",
        "slice of a saved input",
    ],
)
@LIBS
def test_writes_through_views_and_detach_are_caught(lib, case):
    x = lib.tensor([[1.0, 2.0]], requires_grad=True)
    W = lib.tensor([[3.0, 4.0], [5.0, 6.0]])
    if case == "view of a saved input":
        loss = (x @ W).sum()
        with lib.no_grad():
            W[0].zero_()
    elif case == "detach of a saved output":
        y = x.exp()
        y.detach().zero_()
        loss = y.sum()
    elif case == "saved output under no_grad":
        y = x.sigmoid()
        with lib.no_grad():
            y.mul_(2)
        loss = y.sum()
    else:
        a = lib.tensor([1.0, 2.0, 3.0, 4.0])
        w = lib.ones(4, requires_grad=True)
        loss = (w * a).sum()
        a[0:2].add_(10)
    with pytest.raises(RuntimeError, match="in-?place"):
        loss.backward()


def casts_and_promotion_program(lib):
    x = lib.tensor([5.5, -1.25], requires_grad=True)
    ((x % 2) * x).sum().backward()
    ints = lib.tensor([1, 2, 3])
    small = lib.tensor(np.array([7], dtype=np.int32))
    byte = lib.tensor(np.array([0], dtype=np.uint8))
    flags = lib.tensor([True, True])
    alias = flags
    flags &= lib.tensor([True, False])
    s = lib.tensor([2.0, 2.0, 2.0], requires_grad=True)
    s.std().backward()
    z = lib.zeros(3, requires_grad=True)
    z.norm().backward()
    n = lib.tensor([1.0, float("nan"), 3.0], requires_grad=True)
    n.max().backward()
    return (
        x.grad,
        ints * 1.5,
        ints + 0.5,
        (small + 1).numpy(),
        (byte - 1).numpy(),
        alias,
        ints.clamp(min=1.5),
        s.grad,
        z.grad,
        n.grad,
        [str(t.dtype).split(".")[-1] for t in (ints * 1.5, ints + 0.5, small + 1, byte - 1)],
        x.long().requires_grad,
        x.bool().requires_grad,
    )


def test_casts_and_integer_promotion_match_torch():
    ours, theirs = _both(casts_and_promotion_program)
    _close(ours[:10], theirs[:10])
    assert ours[10] == theirs[10] and ours[11:] == theirs[11:] == (False, False)


@LIBS
def test_loading_weights_after_a_forward_invalidates_that_graph(lib):
    model = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.Tanh(), lib.nn.Linear(3, 1))
    loss = model(lib.ones(4, 2)).sum()
    model.load_state_dict({k: v * 2 for k, v in model.state_dict().items()})
    with pytest.raises(RuntimeError, match="in-?place"):
        loss.backward()


# --- common idioms a new user's programs hit --------------------------------------------------
def idioms_program(lib):
    lib.manual_seed(0)
    model = lib.nn.Sequential(
        lib.nn.Linear(3, 4),
        lib.nn.ReLU(inplace=True),
        lib.nn.Linear(4, 2),
        lib.nn.LeakyReLU(0.1, inplace=True),
        lib.nn.Dropout(0.2, inplace=False),
    )
    seen = []

    def init(module):
        seen.append(type(module).__name__)
        if isinstance(module, lib.nn.Linear):
            with lib.no_grad():
                module.weight.fill_(0.1)
                module.bias.zero_()

    assert model.apply(init) is model
    x = lib.linspace(-1.0, 1.0, 6).reshape(2, 3)
    model.eval()
    with lib.inference_mode():
        out = model(x)
    h = x * 2
    lib.nn.functional.relu(h, inplace=True)
    labels = lib.tensor([0, 2, 1])
    return (
        seen,
        out,
        h,
        lib.nn.functional.one_hot(labels),
        lib.nn.functional.one_hot(labels, 4),
        tuple(lib.randn_like(x).shape),
        str(lib.rand_like(x).dtype).split(".")[-1],
    )


def test_common_idioms_run_as_on_torch():
    ours, theirs = _both(idioms_program)
    assert ours[0] == theirs[0] and ours[5:] == theirs[5:]
    _close(ours[1:5], theirs[1:5])


@LIBS
def test_torch_refusals_are_kept(lib):
    """Where torch raises, so does chainrule (the messages are chainrule's own)."""
    with pytest.raises((RuntimeError, TypeError, ValueError)):
        lib.tensor([1, 2, 3]).mean()
    with pytest.raises((RuntimeError, TypeError, ValueError)):
        lib.ones(3).mm(lib.ones(3, 2))
    with pytest.raises((RuntimeError, TypeError, ValueError)):
        lib.ones(3).masked_fill(lib.tensor([1, 0, 1]), 0.0)
    with pytest.raises((RuntimeError, TypeError, ValueError)):
        lib.ones(3).fill_(lib.ones(3))
    with pytest.raises((RuntimeError, TypeError, ValueError)):
        lib.ones(2, 3).eq(lib.ones(4))


def test_printing_matches_torch_digits():
    for values in ([0.1, 0.25], [1.0, 2.0], [1e-5, 3.0], [[1.0, 2.0], [3.0, 4.5]]):
        assert repr(chainrule.tensor(values)) == repr(torch.tensor(values))
    assert repr(chainrule.zeros(2, 0)) == repr(torch.zeros(2, 0))
    assert repr(chainrule.tensor([True, False])) == repr(torch.tensor([True, False]))
