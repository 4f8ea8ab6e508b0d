"""Every layer takes torch's ``device=`` (modern scripts pass it everywhere), and skip_init."""

import inspect

import numpy as np
import pytest
import torch

import chainrule as cr


def _torch_classes_with_device():
    for name in dir(torch.nn):
        cls = getattr(torch.nn, name)
        if inspect.isclass(cls) and issubclass(cls, torch.nn.Module) and hasattr(cr.nn, name):
            if "device" in inspect.signature(cls.__init__).parameters:
                yield name


@pytest.mark.parametrize("name", sorted(_torch_classes_with_device()))
def test_every_layer_torch_builds_on_a_device_takes_the_keyword(name):
    parameters = inspect.signature(getattr(cr.nn, name).__init__).parameters
    assert "device" in parameters or any(p.kind is p.VAR_KEYWORD for p in parameters.values())


BUILDS = [
    ("Linear", (3, 4)),
    ("LayerNorm", (4,)),
    ("BatchNorm1d", (3,)),
    ("BatchNorm2d", (3,)),
    ("Embedding", (5, 2)),
    ("EmbeddingBag", (5, 2)),
    ("LazyLinear", (4,)),
    ("LazyBatchNorm1d", ()),
]


@pytest.mark.parametrize("name, args", BUILDS)
def test_cpu_spellings_build_the_layer_and_accelerators_fail_as_on_a_cpu_only_torch(name, args):
    for device in ("cpu", cr.device("cpu"), None, "cpu:0"):
        layer = getattr(cr.nn, name)(*args, device=device, dtype=cr.float64)
        assert all(p.dtype == cr.float64 for p in layer.parameters())
    for device in ("cuda", "cuda:0"):
        with pytest.raises(AssertionError) as ours:  # torch: "Torch not compiled with CUDA enabled"
            getattr(cr.nn, name)(*args, device=device)
        assert name in str(ours.value) and "cuda" in str(ours.value)
        with pytest.raises(AssertionError):
            getattr(torch.nn, name)(*args, device=device)


def test_skip_init_draws_nothing_and_the_loaded_weights_match_torch():
    weight = np.arange(12, dtype=np.float32).reshape(4, 3) / 10
    bias = np.array([1.0, -1.0, 0.5, 0.0], dtype=np.float32)
    cr.manual_seed(7)
    expected_next = cr.rand(3).numpy()
    cr.manual_seed(7)
    ours = cr.nn.utils.skip_init(cr.nn.Linear, 3, 4, device="cpu")
    assert np.array_equal(cr.rand(3).numpy(), expected_next)  # the generator did not move
    ours.load_state_dict({"weight": cr.tensor(weight), "bias": cr.tensor(bias)})
    theirs = torch.nn.utils.skip_init(torch.nn.Linear, 3, 4)
    theirs.load_state_dict({"weight": torch.tensor(weight), "bias": torch.tensor(bias)})
    x = np.ones((2, 3), dtype=np.float32)
    np.testing.assert_allclose(
        ours(cr.tensor(x)).detach().numpy(), theirs(torch.tensor(x)).detach().numpy(), rtol=1e-6
    )


def test_construction_after_skip_init_draws_again_from_where_the_generator_was():
    cr.manual_seed(3)
    a = cr.nn.Linear(3, 4).weight.detach().numpy()
    cr.manual_seed(3)
    cr.nn.utils.skip_init(cr.nn.Linear, 30, 40)
    assert np.array_equal(cr.nn.Linear(3, 4).weight.detach().numpy(), a)


@pytest.mark.parametrize(
    "call",
    [
        lambda nn: nn.utils.skip_init(int),
        lambda nn: nn.utils.skip_init(nn.ReLU),
        lambda nn: nn.utils.skip_init(nn.Linear, 3, 4, device="bogus"),
    ],
)
def test_skip_init_refusals_are_the_class_torch_raises(call):
    with pytest.raises(RuntimeError) as ours:
        call(cr.nn)
    with pytest.raises(RuntimeError):
        call(torch.nn)
    assert "skip_init" in str(ours.value)


# every chainrule layer whose torch counterpart takes device=, with arguments that build it
ARGS = {
    "AdaptiveLogSoftmaxWithLoss": (8, 10, [4]), "BatchNorm1d": (2,), "BatchNorm2d": (2,),
    "BatchNorm3d": (2,), "Bilinear": (2, 2, 2), "Conv1d": (1, 1, 1), "Conv2d": (1, 1, 1),
    "Conv3d": (1, 1, 1), "ConvTranspose1d": (1, 1, 1), "ConvTranspose2d": (1, 1, 1),
    "ConvTranspose3d": (1, 1, 1), "Embedding": (3, 2),
    "EmbeddingBag": (3, 2), "GRU": (2, 2), "GRUCell": (2, 2), "GroupNorm": (1, 2),
    "InstanceNorm1d": (2,), "InstanceNorm2d": (2,), "InstanceNorm3d": (2,), "LSTM": (2, 2),
    "LSTMCell": (2, 2), "LayerNorm": (2,), "LazyBatchNorm1d": (), "LazyBatchNorm2d": (),
    "LazyConv1d": (1, 1), "LazyConv2d": (1, 1), "LazyLinear": (2,), "Linear": (2, 2),
    "MultiheadAttention": (4, 2), "PReLU": (), "RMSNorm": (3,), "RNN": (2, 2),
    "RNNCell": (2, 2), "Transformer": (4, 2, 1, 1, 8), "TransformerDecoderLayer": (4, 2, 8),
    "TransformerEncoderLayer": (4, 2, 8),
}  # fmt: skip
ARGS.update(
    {
        "LazyBatchNorm3d": (),
        "LazyConv3d": (1, 1),
        "LazyConvTranspose1d": (1, 1),
        "LazyConvTranspose2d": (1, 1),
        "LazyConvTranspose3d": (1, 1),
        "RNNCellBase": (2, 2, True, 1),
        "SyncBatchNorm": (2,),
    }
)  # fmt: skip  (torchapi2)


def test_the_table_covers_every_layer_that_takes_device():
    left_out = set(_torch_classes_with_device()) - set(ARGS) - {"RNNBase", "TransformerEncoder"}
    left_out -= {"TransformerDecoder"}  # built from a layer, which the table covers
    assert not left_out


@pytest.mark.parametrize("name", sorted(ARGS))
def test_no_layer_silently_builds_on_cpu_when_asked_for_cuda(name):
    with pytest.raises(AssertionError):  # a CPU-only torch: "Torch not compiled with CUDA"
        getattr(cr.nn, name)(*ARGS[name], device="cuda")
    getattr(cr.nn, name)(*ARGS[name], device="cpu")
