"""torch's runtime boilerplate on chainrule: accelerator and cuda queries, compile and jit,
version, deterministic and matmul-precision switches, print options, rng state, the legacy typed
constructors, bfloat16, tensor memory queries and torch.testing.assert_close."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule
from chainrule.errors import DTypeError

pytestmark = pytest.mark.oracle  # compared with PyTorch

LIBS = pytest.mark.parametrize("lib", [torch, chainrule], ids=["torch", "chainrule"])


@LIBS
def test_accelerator_reports_none_and_refuses_what_needs_one(lib):
    assert lib.accelerator.is_available() is False
    assert lib.accelerator.current_accelerator() is None
    assert lib.accelerator.device_count() == 0
    for call in (lib.accelerator.current_device_index, lib.accelerator.synchronize):
        with pytest.raises(RuntimeError):
            call()


@LIBS
def test_cuda_allows_what_a_cpu_only_build_allows(lib):
    lib.cuda.empty_cache()
    lib.cuda.manual_seed(1)
    lib.cuda.manual_seed_all(1)
    assert lib.cuda.memory_allocated() == 0 and lib.cuda.max_memory_allocated() == 0
    assert lib.cuda.is_initialized() is False and lib.cuda.is_bf16_supported() is False
    for call in (lib.cuda.synchronize, lib.cuda.get_device_name, lib.cuda.current_device):
        with pytest.raises(AssertionError, match="not compiled with CUDA"):
            call()


@LIBS
def test_compile_returns_something_that_computes_the_same(lib):
    model = lib.nn.Linear(3, 2)
    x = lib.ones(2, 3)
    compiled = lib.compile(model, backend="eager", disable=lib is torch)
    assert compiled(x).tolist() == model(x).tolist()

    @lib.compile(fullgraph=True, disable=lib is torch)
    def double(t):
        return t * 2

    assert double(x).tolist() == (x * 2).tolist()
    with pytest.raises(RuntimeError):
        lib.compile(model, mode="default", options={"a": 1})


def test_compile_and_jit_give_back_what_they_are_handed():
    model = chainrule.nn.Linear(2, 2)
    assert chainrule.compile(model) is model
    assert chainrule.jit.script(model) is model
    assert chainrule.jit.trace(model, chainrule.ones(1, 2)) is model
    assert chainrule.jit.is_scripting() is False
    with pytest.raises(AssertionError, match="compile: expected a Module or a function, got int"):
        chainrule.compile(3)
    with pytest.raises(NotImplementedError, match="chainrule.save"):
        chainrule.jit.save(model, "m.pt")


@LIBS
def test_version_and_switches_read_back(lib):
    assert lib.version.cuda is None and isinstance(lib.version.__version__, str)
    lib.use_deterministic_algorithms(True, warn_only=True)
    assert lib.are_deterministic_algorithms_enabled() is True
    assert lib.is_deterministic_algorithms_warn_only_enabled() is True
    lib.use_deterministic_algorithms(False)
    assert lib.are_deterministic_algorithms_enabled() is False
    lib.set_float32_matmul_precision("medium")
    assert lib.get_float32_matmul_precision() == "medium"
    with pytest.warns(UserWarning, match="is not one of 'highest', 'high', or 'medium'"):
        lib.set_float32_matmul_precision("fast")
    assert lib.get_float32_matmul_precision() == "medium"
    lib.set_float32_matmul_precision("highest")
    lib.set_printoptions(precision=2, sci_mode=False)
    lib.set_printoptions(profile="default")


@LIBS
def test_rng_state_round_trips_and_fork_rng_restores(lib):
    lib.manual_seed(3)
    state = lib.get_rng_state()
    assert state.dtype == lib.uint8 and state.dim() == 1
    first = lib.rand(5)
    lib.set_rng_state(state)
    assert lib.rand(5).tolist() == first.tolist()
    lib.set_rng_state(state)
    with lib.random.fork_rng():
        lib.rand(100)
    assert lib.rand(5).tolist() == first.tolist()
    generator = lib.Generator().manual_seed(4)
    saved = generator.get_state()
    a = lib.rand(3, generator=generator)
    generator.set_state(saved)
    assert lib.rand(3, generator=generator).tolist() == a.tolist()


def test_rng_state_refuses_what_get_rng_state_did_not_make():
    with pytest.raises(TypeError, match="expected the uint8 tensor of 37 bytes"):
        chainrule.set_rng_state(chainrule.zeros(3))


def test_rng_state_survives_a_checkpoint(tmp_path):
    chainrule.manual_seed(5)
    chainrule.save({"rng": chainrule.get_rng_state()}, tmp_path / "ckpt.pt")
    expected = chainrule.rand(4).tolist()
    chainrule.set_rng_state(chainrule.load(tmp_path / "ckpt.pt")["rng"])
    assert chainrule.rand(4).tolist() == expected
    chainrule.random.set_rng_state(chainrule.random.default_generator().bit_generator.state)


@LIBS
def test_legacy_typed_constructors(lib):
    x = lib.FloatTensor([1, 2])
    assert x.dtype == lib.float32 and x.tolist() == [1.0, 2.0]
    assert lib.LongTensor([1, 2]).dtype == lib.int64
    assert lib.DoubleTensor([0.5]).dtype == lib.float64
    assert lib.BoolTensor([True, False]).dtype == lib.bool
    assert tuple(lib.FloatTensor(2, 3).shape) == (2, 3)
    assert isinstance(x, lib.FloatTensor) and not isinstance(x.long(), lib.FloatTensor)
    assert x.type(lib.LongTensor).dtype == lib.int64
    assert x.type(lib.DoubleTensor).dtype == lib.float64


@LIBS
def test_bfloat16_exists_and_picks_float32_lines(lib):
    dtype = lib.bfloat16 if lib.cuda.is_available() else lib.float32
    assert lib.zeros(2, dtype=dtype).dtype == lib.float32


def test_bfloat16_as_a_dtype_is_refused_clearly():
    with pytest.raises(DTypeError, match="chainrule.bfloat16"):
        chainrule.zeros(2, dtype=chainrule.bfloat16)
    with pytest.raises(DTypeError, match="float16"):
        chainrule.nn.Linear(2, 2).half()
    with pytest.raises(DTypeError, match="bfloat16"):
        chainrule.nn.Linear(2, 2).bfloat16()


@LIBS
def test_tensor_memory_queries(lib):
    base = lib.zeros(3, 4)
    view = base[1:]
    assert (view.storage_offset(), base.storage_offset()) == (4, 0)
    assert (view.element_size(), view.nbytes, view.itemsize) == (4, 32, 4)
    assert view.data_ptr() - base.data_ptr() == 16
    assert view.is_pinned() is False
    assert view.share_memory_() is view
    with pytest.raises(RuntimeError):
        base.pin_memory()


def _assert_close_outcome(lib, actual, expected, **kwargs):
    try:
        lib.testing.assert_close(actual, expected, **kwargs)
    except AssertionError as error:
        return str(error).splitlines()[0]
    return "ok"


@pytest.mark.parametrize(
    "actual, expected, kwargs",
    [
        ([1.0, 2.0], [1.0, 2.0 + 1e-6], {}),
        ([1.0, 2.0], [1.0, 2.0 + 1e-4], {}),
        ([1.0, 2.0], [1.0, 2.1], dict(rtol=0.1, atol=0.0)),
        ([1.0, float("nan")], [1.0, float("nan")], {}),
        ([1.0, float("nan")], [1.0, float("nan")], dict(equal_nan=True)),
        ([1, 2], [1, 3], {}),
    ],
)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_assert_close_agrees_with_torch(actual, expected, kwargs, dtype):
    def build(lib, values):
        if isinstance(values[0], int):
            return lib.tensor(values)
        return lib.tensor(np.array(values, dtype=dtype))

    ours = _assert_close_outcome(
        chainrule, build(chainrule, actual), build(chainrule, expected), **kwargs
    )
    theirs = _assert_close_outcome(torch, build(torch, actual), build(torch, expected), **kwargs)
    assert ours == theirs


def test_assert_close_names_dtype_and_shape_mismatches_and_a_custom_message():
    t = chainrule.tensor
    with pytest.raises(AssertionError, match="'dtype' do not match"):
        chainrule.testing.assert_close(t([1.0]), t(np.array([1.0])))
    chainrule.testing.assert_close(t([1.0]), t(np.array([1.0])), check_dtype=False)
    with pytest.raises(AssertionError, match="'shape' do not match"):
        chainrule.testing.assert_close(t([1.0]), t([1.0, 1.0]))
    with pytest.raises(AssertionError, match="^mine$"):
        chainrule.testing.assert_close(t([1.0]), t([2.0]), msg="mine")
    with pytest.raises(ValueError, match="Both 'rtol' and 'atol'"):
        chainrule.testing.assert_close(t([1.0]), t([1.0]), rtol=0.1)
    chainrule.testing.assert_close({"a": [t([1.0]), 2.0]}, {"a": [t([1.0]), 2.0]})
    with pytest.raises(AssertionError, match="Scalars are not close"):
        chainrule.testing.assert_close(1.0, 1.1)


def test_print_options_are_accepted_and_kept():
    from chainrule import printing

    chainrule.set_printoptions(precision=2, sci_mode=False)
    assert printing.get_printoptions()["precision"] == 2
    chainrule.set_printoptions(profile="default")
    assert printing.get_printoptions()["precision"] == 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        repr(chainrule.tensor([1.5]))


@LIBS
def test_backend_switches_and_the_default_device(lib):
    lib.backends.cuda.matmul.allow_tf32 = True
    lib.backends.cudnn.allow_tf32 = True
    lib.backends.cuda.matmul.allow_tf32 = False
    assert lib.backends.cuda.is_built() is False
    lib.set_default_device("cpu")
    assert lib.get_default_device() == lib.device("cpu")
    with pytest.raises((AssertionError, RuntimeError)):
        lib.set_default_device("cuda")
        lib.zeros(1)
    lib.set_default_device(None)
