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
