"""CPUGraph replays of the new pieces, bit for bit as eager steps: a spatial transformer
(affine_grid, grid_sample bilinear and bicubic), CrossMapLRN2d, FractionalMaxPool2d drawing new
windows each step, bicubic and trilinear interpolate, F.instance_norm's running statistics, and an
EMA AveragedModel updated inside the step; CTC and adaptive softmax refuse capture."""

from __future__ import annotations

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.errors import GraphError
from chainrule.nn import functional as F
from tests.cpugraph.module_harness import _assert_same, _ce, _trainer, _xy


class _Warp(nn.Module):
    def __init__(self, mode):
        super().__init__()
        self.mode = mode
        self.loc = nn.Linear(36, 6)
        self.lrn = nn.CrossMapLRN2d(3, alpha=0.1)
        self.pool = nn.FractionalMaxPool2d(2, output_size=(3, 3))
        self.head = nn.Linear(2 * 9, 3)
        self.register_buffer("mean", cr.zeros(2))
        self.register_buffer("var", cr.ones(2))

    def forward(self, x):
        theta = self.loc(x.flatten(1)).view(-1, 2, 3) + cr.tensor([[1.0, 0, 0], [0, 1, 0]])
        grid = F.affine_grid(theta, [x.shape[0], 2, 5, 5], align_corners=False)
        warped = F.grid_sample(x, grid, self.mode, "border", align_corners=False)
        warped = F.interpolate(self.lrn(warped), size=(6, 7), mode="bicubic", align_corners=False)
        warped = F.instance_norm(warped, self.mean, self.var)
        return self.head(self.pool(warped).flatten(1))


@pytest.mark.parametrize("mode", ["bilinear", "bicubic", "nearest"])
def test_spatial_pieces_replay_as_eager(mode):
    _assert_same(_trainer(lambda: _Warp(mode), _ce), _xy((4, 2, 3, 6), 3))


def test_trilinear_and_an_ema_inside_the_step_replay_as_eager():
    class Volume(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(2 * 4 * 4 * 6, 3)
            self.ema = None

        def forward(self, x):
            return self.lin(F.interpolate(x, scale_factor=2, mode="trilinear").flatten(1))

    def loss_of(m, x, t):
        out = m(x)
        if m.ema is None:
            ema_fn = cr.optim.swa_utils.get_ema_multi_avg_fn(0.5)
            m.ema = [cr.optim.swa_utils.AveragedModel(m.lin, multi_avg_fn=ema_fn)]
        m.ema[0].update_parameters(m.lin)
        return F.cross_entropy(out, t), out, m.ema[0].module.weight

    _assert_same(_trainer(Volume, loss_of), _xy((3, 2, 2, 2, 3), 3))


def test_ctc_and_adaptive_softmax_refuse_capture():
    lp = cr.zeros(4, 1, 3, requires_grad=True)
    asm = nn.AdaptiveLogSoftmaxWithLoss(4, 6, [2])
    g = cr.CPUGraph()
    with pytest.raises(GraphError, match="ctc_loss: expected targets used as they are"):
        with cr.graph(g):
            F.ctc_loss(lp.log_softmax(2), cr.tensor([[1]]), [4], [1])
    g = cr.CPUGraph()
    with pytest.raises(GraphError, match="AdaptiveLogSoftmaxWithLoss: expected targets"):
        with cr.graph(g):
            asm(cr.zeros(2, 4), cr.tensor([0, 5]))
    assert np.isfinite(F.ctc_loss(lp.log_softmax(2), cr.tensor([[1]]), [4], [1]).item())
