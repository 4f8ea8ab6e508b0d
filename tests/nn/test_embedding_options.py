"""nn.Embedding's max_norm, norm_type, scale_grad_by_freq and sparse, against torch."""

import numpy as np
import pytest
import torch

import chainrule as cr


def _pair(**options):
    weight = np.random.default_rng(0).standard_normal((6, 3)).astype(np.float32) * 2
    ours, theirs = cr.nn.Embedding(6, 3, **options), torch.nn.Embedding(6, 3, **options)
    with torch.no_grad():
        theirs.weight.copy_(torch.from_numpy(weight))
    ours.weight.data[...] = weight
    return ours, theirs


@pytest.mark.parametrize(
    "options",
    [
        {"scale_grad_by_freq": True},
        {"max_norm": 1.0},
        {"max_norm": 2.0, "norm_type": 1.0},
        {"sparse": True},
        {"padding_idx": 0, "scale_grad_by_freq": True},
    ],
)
def test_embedding_options_match_torch(options):
    ours, theirs = _pair(**options)
    idx = np.array([[1, 2, 2], [0, 2, 5]])
    out = ours(cr.tensor(idx))
    ref = theirs(torch.from_numpy(idx))
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(
        ours.weight.detach().numpy(), theirs.weight.detach().numpy(), rtol=1e-6
    )
    (out * out).sum().backward()
    (ref * ref).sum().backward()
    reference = (
        theirs.weight.grad.to_dense() if theirs.weight.grad.is_sparse else theirs.weight.grad
    )
    np.testing.assert_allclose(ours.weight.grad.numpy(), reference.numpy(), rtol=1e-5, atol=1e-6)
