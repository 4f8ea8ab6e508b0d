"""Module.buffers() and named_buffers(recurse=...) as torch.nn.Module has them."""

import chainrule as cr


def test_buffers_follow_named_buffers_and_recurse():
    model = cr.nn.Sequential(cr.nn.Linear(3, 4), cr.nn.BatchNorm1d(4))
    named = dict(model.named_buffers())
    assert list(named) == ["1.running_mean", "1.running_var", "1.num_batches_tracked"]
    assert [id(b) for b in model.buffers()] == [id(b) for b in named.values()]
    assert list(model.buffers(recurse=False)) == []
    assert [n for n, _ in model[1].named_buffers(recurse=False)] == list(
        n.split(".", 1)[1] for n in named
    )


def test_batch_norm_momentum_none_is_a_cumulative_average_as_in_torch():
    import numpy as np
    import torch

    x = np.random.default_rng(0).standard_normal((6, 4, 3)).astype(np.float32)
    ours, theirs = cr.nn.BatchNorm1d(4, momentum=None), torch.nn.BatchNorm1d(4, momentum=None)
    for i in range(3):
        ours(cr.tensor(x * (i + 1)))
        theirs(torch.from_numpy(x * (i + 1)))
    np.testing.assert_allclose(ours.running_mean.numpy(), theirs.running_mean.numpy(), atol=1e-6)
    np.testing.assert_allclose(ours.running_var.numpy(), theirs.running_var.numpy(), rtol=1e-6)
    assert int(ours.num_batches_tracked.item()) == 3
