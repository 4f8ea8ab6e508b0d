"""torch's deprecated size_average / reduce pair on every loss that takes it, and the 2.13
per-element ``weight`` of mse_loss, l1_loss and huber_loss: old scripts and tutorials pass them,
and a loss that ignored them would silently train on the mean where the script asked for a sum."""

import inspect
import warnings

import numpy as np
import pytest
import torch

import chainrule as cr

rng = np.random.default_rng(0)
X = rng.standard_normal((4, 3)).astype(np.float32)
PROBS = (1 / (1 + np.exp(-X))).astype(np.float32)
BINARY = (rng.random((4, 3)) > 0.5).astype(np.float32)
LABELS = np.array([0, 2, 1, 2])
PAIRED = rng.standard_normal((4, 3)).astype(np.float32)
SIGNS = np.array([1.0, -1.0, 1.0, -1.0], dtype=np.float32)

# name -> (inputs as numpy arrays, whether the first one gets a gradient)
CASES = {
    "L1Loss": (X, PAIRED),
    "MSELoss": (X, PAIRED),
    "SmoothL1Loss": (X, PAIRED),
    "BCELoss": (PROBS, BINARY),
    "BCEWithLogitsLoss": (X, BINARY),
    "NLLLoss": (np.log(PROBS / PROBS.sum(1, keepdims=True)), LABELS),
    "CrossEntropyLoss": (X, LABELS),
    "KLDivLoss": (np.log(PROBS), PROBS),
    "SoftMarginLoss": (X, np.sign(PAIRED)),
    "MultiLabelSoftMarginLoss": (X, BINARY),
    "MultiMarginLoss": (X, LABELS),
    "MultiLabelMarginLoss": (X, np.array([[0, 2, -1], [1, -1, 0], [2, 1, 0], [-1, 0, 0]])),
    "HingeEmbeddingLoss": (X, np.sign(PAIRED)),
    "PoissonNLLLoss": (X, np.abs(PAIRED)),
    "MarginRankingLoss": (X[:, 0], PAIRED[:, 0], SIGNS),
    "CosineEmbeddingLoss": (X, PAIRED, SIGNS),
    "TripletMarginLoss": (X, PAIRED, PAIRED[::-1].copy()),
}
LEGACY = [
    {"size_average": False},
    {"reduce": False},
    {"size_average": True, "reduce": True},
    {"size_average": False, "reduce": False},
    {"size_average": True},
]


def _as(lib, array, grad):
    if array.dtype.kind == "f":
        return lib.tensor(array, requires_grad=grad)
    return lib.tensor(array)


def _run(lib, name, kwargs):
    with warnings.catch_warnings():  # the deprecation, and torch's kl_div 'mean' notice
        warnings.simplefilter("ignore", UserWarning)
        loss_fn = getattr(lib.nn, name)(**kwargs)
        tensors = [_as(lib, a, i == 0) for i, a in enumerate(CASES[name])]
        out = loss_fn(*tensors)
    out.sum().backward()
    return out.detach().numpy(), tensors[0].grad.numpy()


@pytest.mark.parametrize("kwargs", LEGACY, ids=str)
@pytest.mark.parametrize("name", sorted(CASES))
def test_modules_map_the_legacy_pair_as_torch(name, kwargs):
    ours, theirs = _run(cr, name, kwargs), _run(torch, name, kwargs)
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_every_torch_loss_with_the_legacy_pair_is_covered_here():
    legacy = {
        name
        for name in dir(torch.nn)
        if name.endswith("Loss")
        and hasattr(cr.nn, name)
        and "size_average" in inspect.signature(getattr(torch.nn, name).__init__).parameters
    }
    assert legacy <= set(CASES)


FUNCTIONS = {
    "l1_loss": (X, PAIRED),
    "mse_loss": (X, PAIRED),
    "smooth_l1_loss": (X, PAIRED),
    "binary_cross_entropy": (PROBS, BINARY),
    "binary_cross_entropy_with_logits": (X, BINARY),
    "nll_loss": (np.log(PROBS / PROBS.sum(1, keepdims=True)), LABELS),
    "cross_entropy": (X, LABELS),
    "kl_div": (np.log(PROBS), PROBS),
}


@pytest.mark.parametrize("kwargs", LEGACY, ids=str)
@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_functions_map_the_legacy_pair_as_torch_and_warn(name, kwargs):
    results = []
    for lib in (cr, torch):
        tensors = [_as(lib, a, False) for a in FUNCTIONS[name]]
        with pytest.warns(UserWarning, match="size_average and reduce"):
            results.append(getattr(lib.nn.functional, name)(*tensors, **kwargs).numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-5, atol=1e-6)


WEIGHT = np.abs(rng.standard_normal((4, 3))).astype(np.float32)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss"])
def test_elementwise_weight_as_torch(name, reduction):
    results = []
    for lib in (cr, torch):
        x = lib.tensor(X, requires_grad=True)
        weight = lib.tensor(WEIGHT, requires_grad=True)
        out = getattr(lib.nn.functional, name)(
            x, lib.tensor(PAIRED), reduction=reduction, weight=weight
        )
        out.sum().backward()
        results.append((out.detach().numpy(), x.grad.numpy(), weight.grad.numpy()))
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "huber_loss"])
def test_a_weight_of_another_shape_is_refused_as_torch(name):
    with pytest.raises(ValueError) as ours:
        getattr(cr.nn.functional, name)(cr.tensor(X), cr.tensor(PAIRED), weight=cr.ones(3))
    with pytest.raises(ValueError):
        getattr(torch.nn.functional, name)(
            torch.tensor(X), torch.tensor(PAIRED), weight=torch.ones(3)
        )
    assert name in str(ours.value) and "(4, 3)" in str(ours.value)
