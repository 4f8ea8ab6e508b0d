"""torchapi2: AdaptiveMaxPool3d, MaxUnpool3d, LPPool3d, SyncBatchNorm, NLLLoss2d and
RNNCellBase, each against torch 2.13."""

import numpy as np
import pytest
import torch

import chainrule as cr
from chainrule import nn
from chainrule.nn import functional as F
from tests.torch_oracle import compare

TF = torch.nn.functional


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("size", [2, (2, 3, None), (1, 4, 3), (5, 6, 7)])
def test_adaptive_max_pool3d_values_indices_and_gradient(size, dtype, rng):
    x = rng.standard_normal((2, 3, 5, 6, 7)).astype(dtype)
    compare(
        lambda t: F.adaptive_max_pool3d(t, size),
        lambda t: TF.adaptive_max_pool3d(t, size),
        [x],
        rng,
    )
    _, ours = F.adaptive_max_pool3d(cr.tensor(x), size, return_indices=True)
    _, theirs = TF.adaptive_max_pool3d(torch.tensor(x), size, return_indices=True)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
    layer, ref = nn.AdaptiveMaxPool3d(size, True), torch.nn.AdaptiveMaxPool3d(size, True)
    np.testing.assert_array_equal(
        layer(cr.tensor(x[0]))[1].numpy(), ref(torch.tensor(x[0]))[1].numpy()
    )
    assert repr(layer) == repr(ref)


def test_with_indices_spellings_return_pairs(rng):
    x = rng.standard_normal((2, 3, 6, 6))
    for name, data in (
        ("adaptive_max_pool1d", x[..., 0]),
        ("adaptive_max_pool2d", x),
        ("adaptive_max_pool3d", x[None]),
    ):
        ours = getattr(F, name + "_with_indices")(cr.tensor(data), 2)
        theirs = getattr(TF, name + "_with_indices")(torch.tensor(data), 2)
        for a, b in zip(ours, theirs):
            np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_max_unpool3d_inverts_max_pool3d_indices(rng):
    x = rng.standard_normal((2, 3, 5, 6, 7))
    pooled, index = TF.max_pool3d(torch.tensor(x), 2, return_indices=True)
    compare(
        lambda p: F.max_unpool3d(p, cr.tensor(index.numpy()), 2, output_size=(5, 6, 7)),
        lambda p: TF.max_unpool3d(p, index, 2, output_size=(5, 6, 7)),
        [pooled.numpy()],
        rng,
    )
    layer, ref = nn.MaxUnpool3d(2), torch.nn.MaxUnpool3d(2)
    assert repr(layer) == repr(ref)
    out = layer(cr.tensor(pooled.numpy()), cr.tensor(index.numpy()), (5, 6, 7))
    np.testing.assert_array_equal(out.numpy(), ref(pooled, index, (5, 6, 7)).numpy())
    with pytest.raises(cr.ArgumentError, match=r"expected indices in \[0, 143\]"):
        layer(cr.tensor(pooled.numpy()), cr.tensor(index.numpy()))  # the default (4, 6, 6) output
    with pytest.raises(RuntimeError):
        ref(pooled, index)
    with pytest.raises(
        cr.ArgumentError, match=r"max_unpool3d\(kernel_size=2\): expected output_size between"
    ):
        F.max_unpool3d(
            cr.tensor(pooled.numpy()), cr.tensor(index.numpy()), 2, output_size=(9, 6, 7)
        )
    with pytest.raises(cr.ShapeError, match="expected input \\(N, C, D, H, W\\)"):
        F.max_unpool3d(cr.zeros(2, 2), cr.zeros(2, 2, dtype=cr.int64), 2)


@pytest.mark.parametrize("norm_type", [1, 2, 3.5])
def test_lp_pool3d(norm_type, rng):
    x = rng.random((2, 3, 4, 5, 6)) + 0.1
    compare(
        lambda t: F.lp_pool3d(t, norm_type, 2, 1),
        lambda t: TF.lp_pool3d(t, norm_type, 2, 1),
        [x],
        rng,
    )
    layer, ref = nn.LPPool3d(norm_type, (2, 3, 2)), torch.nn.LPPool3d(norm_type, (2, 3, 2))
    assert repr(layer) == repr(ref)
    np.testing.assert_allclose(
        layer(cr.tensor(x)).numpy(), ref(torch.tensor(x)).numpy(), rtol=1e-10
    )


@pytest.mark.parametrize("shape", [(4, 3), (4, 3, 5), (2, 3, 4, 5), (2, 3, 2, 3, 4)])
def test_sync_batch_norm_runs_as_torchs_does_in_one_process(shape, rng):
    x = rng.standard_normal(shape).astype(np.float32)
    ours, theirs = nn.SyncBatchNorm(3), torch.nn.SyncBatchNorm(3)
    assert repr(ours) == repr(theirs)
    for _ in range(2):
        np.testing.assert_allclose(
            ours(cr.tensor(x)).detach().numpy(),
            theirs(torch.tensor(x)).detach().numpy(),
            rtol=1e-5,
            atol=1e-6,
        )
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        np.testing.assert_allclose(
            getattr(ours, name).numpy(), getattr(theirs, name).numpy(), rtol=1e-5
        )
    ours.eval(), theirs.eval()
    np.testing.assert_allclose(
        ours(cr.tensor(x)).detach().numpy(),
        theirs(torch.tensor(x)).detach().numpy(),
        rtol=1e-5,
        atol=1e-6,
    )
    with pytest.raises(ValueError, match=r"expected at least 2D input \(got 1D input\)"):
        ours(cr.zeros(3))
    with pytest.raises(ValueError, match=r"expected at least 2D input \(got 1D input\)"):
        theirs(torch.zeros(3))


def test_convert_sync_batchnorm_keeps_the_parameters_and_keys():
    ours = nn.Sequential(nn.Conv2d(3, 3, 1), nn.BatchNorm2d(3), nn.Sequential(nn.BatchNorm1d(3)))
    theirs = torch.nn.Sequential(
        torch.nn.Conv2d(3, 3, 1),
        torch.nn.BatchNorm2d(3),
        torch.nn.Sequential(torch.nn.BatchNorm1d(3)),
    )
    weight = ours[1].weight
    ours[1].eval()
    converted = nn.SyncBatchNorm.convert_sync_batchnorm(ours)
    ref = torch.nn.SyncBatchNorm.convert_sync_batchnorm(theirs)
    assert list(converted.state_dict()) == list(ref.state_dict())
    assert repr(converted) == repr(ref)
    assert converted[1].weight is weight and not converted[1].training
    assert type(nn.SyncBatchNorm.convert_sync_batchnorm(nn.BatchNorm1d(2))) is nn.SyncBatchNorm


def test_nll_loss_2d_warns_as_torch_and_is_nll_loss(rng):
    logits = rng.standard_normal((2, 4, 3, 3))
    target = rng.integers(0, 4, (2, 3, 3))
    with pytest.warns(FutureWarning, match="`NLLLoss2d` has been deprecated"):
        ours = nn.NLLLoss2d()
    with pytest.warns(FutureWarning, match="`NLLLoss2d` has been deprecated"):
        theirs = torch.nn.NLLLoss2d()
    assert isinstance(ours, nn.NLLLoss)
    out = ours(cr.tensor(logits).log_softmax(1), cr.tensor(target))
    ref = theirs(torch.tensor(logits).log_softmax(1), torch.tensor(target))
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-12)


def test_rnn_cell_base_builds_torchs_parameters_and_counts_the_cells():
    ours, theirs = nn.RNNCellBase(3, 4, True, 2), torch.nn.RNNCellBase(3, 4, True, 2)
    assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == [
        (n, tuple(p.shape)) for n, p in theirs.named_parameters()
    ]
    assert repr(ours) == repr(theirs)
    assert all(abs(p.detach().numpy()).max() <= 0.5 for p in ours.parameters())
    for cell in ("RNNCell", "LSTMCell", "GRUCell"):
        assert isinstance(getattr(nn, cell)(2, 3), nn.RNNCellBase)
        assert issubclass(getattr(nn, cell), nn.RNNCellBase)
    assert not isinstance(nn.Linear(2, 2), nn.RNNCellBase)
    with pytest.raises(NotImplementedError):
        ours(cr.zeros(2, 3))
