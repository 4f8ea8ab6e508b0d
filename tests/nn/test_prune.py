"""torch.nn.utils.prune against torch: masks, the reparametrization, history and removal."""

import importlib

import numpy as np
import pytest

import chainrule

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.oracle


def _prune(lib):
    return importlib.import_module(f"{lib.__name__}.nn.utils.prune")


def _net(lib, seed=0):
    nn = lib.nn
    model = nn.Sequential(nn.Conv2d(2, 4, 3), nn.ReLU(), nn.Flatten(), nn.Linear(16, 3))
    rng = np.random.default_rng(seed)  # distinct magnitudes: no ties for topk to break
    with lib.no_grad():
        for p in model.parameters():
            p.copy_(lib.from_numpy(rng.normal(0, 1, tuple(p.shape)).astype(np.float32)))
    return model


def _story(lib):
    prune = _prune(lib)
    model = _net(lib)
    conv, fc = model[0], model[3]
    prune.l1_unstructured(conv, "weight", amount=0.3)
    prune.l1_unstructured(conv, "bias", amount=1)
    prune.ln_structured(conv, "weight", amount=0.5, n=2, dim=0)  # a PruningContainer now
    prune.ln_structured(fc, "weight", amount=1, n=1, dim=1)
    prune.l1_unstructured(fc, "weight", amount=5)
    hook = [h for h in conv._forward_pre_hooks.values() if h._tensor_name == "weight"][0]
    x = lib.from_numpy(np.random.default_rng(1).normal(size=(2, 2, 4, 4)).astype(np.float32))
    model(x).square().sum().backward()
    seen = {
        "keys": list(model.state_dict().keys()),
        "params": [n for n, _ in model.named_parameters()],
        "conv_mask": conv.weight_mask.numpy().copy(),
        "fc_mask": fc.weight_mask.numpy().copy(),
        "bias_mask": conv.bias_mask.numpy().copy(),
        "history": [type(m).__name__ for m in hook],
        "orig_grad": conv.weight_orig.grad.numpy().copy(),
        "is_pruned": prune.is_pruned(model),
    }
    prune.remove(conv, "weight")
    seen["after_remove"] = [n for n, _ in conv.named_parameters()]
    seen["removed_weight"] = conv.weight.detach().numpy().copy()
    seen["hooks_left"] = len(conv._forward_pre_hooks)
    return seen


def test_pruning_story_matches_torch():
    ours, theirs = _story(chainrule), _story(torch)
    for key, value in theirs.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_allclose(ours[key], value, rtol=1e-5, atol=1e-6, err_msg=key)
        else:
            assert ours[key] == value, key


def _global(lib):
    prune = _prune(lib)
    model = _net(lib, seed=2)
    prune.l1_unstructured(model[3], "weight", amount=10)  # an existing mask joins in
    targets = [(model[0], "weight"), (model[3], "weight"), (model[0], "bias")]
    prune.global_unstructured(targets, pruning_method=prune.L1Unstructured, amount=0.25)
    prune.custom_from_mask(model[3], "bias", mask=lib.tensor([1.0, 0.0, 1.0]))
    return [getattr(m, n + "_mask").numpy().copy() for m, n in targets + [(model[3], "bias")]]


def test_global_unstructured_and_custom_from_mask_match_torch():
    for ours, theirs in zip(_global(chainrule), _global(torch)):
        np.testing.assert_array_equal(ours, theirs)


def test_random_methods_prune_the_asked_count_and_a_subclass_prunes_its_way():
    prune = _prune(chainrule)
    model = _net(chainrule)
    prune.random_unstructured(model[0], "weight", amount=0.25)
    assert int((model[0].weight_mask == 0).sum()) == round(0.25 * 72)
    prune.random_structured(model[3], "weight", amount=2, dim=0)
    assert int((model[3].weight_mask.sum(1) == 0).sum()) == 2

    class EveryOther(prune.BasePruningMethod):
        PRUNING_TYPE = "unstructured"

        def compute_mask(self, t, default_mask):
            mask = default_mask.clone()
            mask.view(-1)[::2] = 0
            return mask

    EveryOther.apply(model[3], "bias")
    assert model[3].bias_mask.tolist() == [0.0, 1.0, 0.0]
    prune.identity(model[0], "bias")
    assert model[0].bias_mask.tolist() == [1.0] * 4


def test_pruning_refusals_name_the_problem():
    prune = _prune(chainrule)
    model = _net(chainrule)
    with pytest.raises(ValueError, match="expected amount <= the number of units"):
        prune.l1_unstructured(model[0], "bias", amount=9)
    assert [n for n, _ in model[0].named_parameters()] == ["weight", "bias"]  # left as it was
    with pytest.raises(ValueError, match="expected amount as an int >= 0 or a float in"):
        prune.l1_unstructured(model[0], "bias", amount=1.5)
    with pytest.raises(ValueError, match="expected a tensor of 2 or more dims"):
        prune.ln_structured(model[0], "bias", amount=1, n=2, dim=0)
    with pytest.raises(ValueError, match="expected a parameter pruned before"):
        prune.remove(model[3], "weight")
