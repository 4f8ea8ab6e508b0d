"""nn.EmbeddingBag, F.embedding_bag and the from_pretrained constructors, against torch."""

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule.errors import ArgumentError, ShapeError

FLAT = np.array([1, 2, 4, 5, 4, 3, 2, 9, 0, 0])


def _weight(dtype=np.float32):
    return np.random.default_rng(0).standard_normal((10, 3)).astype(dtype)


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize(
    "case",
    [
        {"offsets": [0, 2, 2, 5]},  # an empty bag
        {"offsets": [0, 4, 10], "include_last_offset": True},
        {"offsets": [0, 3, 8], "padding_idx": 0},  # the last bag is only padding
        {"offsets": [0, 1, 6], "padding_idx": -6},
        {"two_d": True},
    ],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_embedding_bag_matches_torch(mode, case, dtype, rng):
    case = dict(case)
    two_d, offsets = case.pop("two_d", False), case.pop("offsets", None)
    weight = _weight(dtype)
    ours_w = cr.tensor(weight, requires_grad=True)
    theirs_w = torch.tensor(weight, requires_grad=True)
    index = FLAT.reshape(2, 5) if two_d else FLAT
    ours = cr.nn.functional.embedding_bag(
        cr.tensor(index), ours_w, None if offsets is None else cr.tensor(offsets), mode=mode, **case
    )
    theirs = torch.nn.functional.embedding_bag(
        torch.tensor(index),
        theirs_w,
        None if offsets is None else torch.tensor(offsets),
        mode=mode,
        **case,
    )
    assert ours.dtype == weight.dtype
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6, atol=1e-7)
    upstream = rng.standard_normal(tuple(theirs.shape)).astype(dtype)
    ours.backward(cr.tensor(upstream))
    theirs.backward(torch.tensor(upstream))
    np.testing.assert_allclose(ours_w.grad.numpy(), theirs_w.grad.numpy(), rtol=1e-6, atol=1e-7)


def test_per_sample_weights_and_gradients_match_torch(rng):
    weight, psw = _weight(), rng.uniform(0.5, 1.5, size=FLAT.size).astype(np.float32)
    ours_w, ours_p = cr.tensor(weight, requires_grad=True), cr.tensor(psw, requires_grad=True)
    theirs_w, theirs_p = (
        torch.tensor(weight, requires_grad=True),
        torch.tensor(psw, requires_grad=True),
    )
    offsets = [0, 3, 7]
    ours = cr.nn.functional.embedding_bag(
        cr.tensor(FLAT), ours_w, cr.tensor(offsets), mode="sum", per_sample_weights=ours_p
    )
    theirs = torch.nn.functional.embedding_bag(
        torch.tensor(FLAT), theirs_w, torch.tensor(offsets), mode="sum", per_sample_weights=theirs_p
    )
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6, atol=1e-6)
    (ours * ours).sum().backward()
    (theirs * theirs).sum().backward()
    np.testing.assert_allclose(ours_w.grad.numpy(), theirs_w.grad.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours_p.grad.numpy(), theirs_p.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_module_defaults_state_dict_and_from_pretrained():
    ours, theirs = cr.nn.EmbeddingBag(10, 3), torch.nn.EmbeddingBag(10, 3)
    assert ours.mode == theirs.mode == "mean"
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["weight"]
    table = cr.tensor(_weight())
    bag = cr.nn.EmbeddingBag.from_pretrained(table, mode="max")
    assert not bag.weight.requires_grad and bag.mode == "max"
    table.data.mul_(2)  # shared, as torch's
    np.testing.assert_array_equal(bag.weight.numpy(), table.numpy())
    emb = cr.nn.Embedding.from_pretrained(cr.tensor(_weight()), freeze=False, padding_idx=1)
    ref = torch.nn.Embedding.from_pretrained(torch.tensor(_weight()), freeze=False, padding_idx=1)
    assert emb.weight.requires_grad and emb.padding_idx == ref.padding_idx == 1
    np.testing.assert_array_equal(
        emb.weight.detach().numpy(), ref.weight.detach().numpy()
    )  # not zeroed
    state = cr.random.default_generator().bit_generator.state
    cr.nn.Embedding.from_pretrained(cr.tensor(_weight()))  # no draw from the library generator
    assert cr.random.default_generator().bit_generator.state == state


def test_embedding_bag_errors_are_torchs_classes():
    weight = cr.tensor(_weight())
    with pytest.raises(ValueError, match="expected offsets=None for a 2-D input"):
        cr.nn.functional.embedding_bag(cr.tensor(FLAT.reshape(2, 5)), weight, cr.tensor([0, 1]))
    with pytest.raises(ValueError, match="expected offsets for a 1-D input"):
        cr.nn.functional.embedding_bag(cr.tensor(FLAT), weight)  # torch: a ValueError
    with pytest.raises(NotImplementedError, match="per_sample_weights only with mode='sum'"):
        cr.nn.functional.embedding_bag(
            cr.tensor(FLAT), weight, cr.tensor([0]), per_sample_weights=cr.ones(10)
        )
    with pytest.raises(ArgumentError, match="offsets starting at 0"):
        cr.nn.functional.embedding_bag(cr.tensor(FLAT), weight, cr.tensor([1, 3]))
    with pytest.raises(ArgumentError, match="mode 'sum', 'mean' or 'max'"):
        cr.nn.EmbeddingBag(4, 2, mode="median")
    with pytest.raises(ShapeError, match="2-D embeddings"):
        cr.nn.EmbeddingBag.from_pretrained(cr.ones(3))
