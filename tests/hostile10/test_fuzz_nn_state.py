"""hostile10's differential fuzz of torch.nn.functional, layers' forward, losses (every
reduction, weight=, ignore_index=, label_smoothing=, out-of-range labels), optimizers over odd
param groups (0-d and empty params, params without grad, an empty group), DataLoader and
BatchSampler over 0 to 7 rows, and load_state_dict with missing, extra and mis-shaped keys
(chainrule's layer keeps every weight when the load raises; torch's copies the good keys first)."""

import pytest

from tests.hostile10 import cases_nn, cases_state
from tests.hostile10.harness import run_family

pytest.importorskip("torch")

SEEDS = range(150)
WAIVED = {
    "functional": {
        "F.dropout": "dropout of a bool tensor is refused (torch computes it)",
        "F.tanhshrink": "integer input is refused (torch gives floats)",
        "F.threshold": "integer input is refused (torch keeps ints)",
        "F.one_hot": "an empty input with num_classes=-1 is not refused",
    },
    "loss": {
        "F.multi_margin_loss": "uint8 targets are not refused (torch wants int64)",
        "F.nll_loss": "uint8 targets are not refused (torch wants int64)",
        "F.cross_entropy": "uint8 targets are not refused (torch wants int64)",
        "F.kl_div": "an input and target of different shapes: torch refuses, chainrule broadcasts",
    },
    "layer": {
        "nn.Bilinear": "int64 inputs are not refused",
        "nn.AdaptiveAvgPool1d": "an empty bool input is refused (torch skips the empty batch)",
        "nn.AvgPool2d": "int64 inputs are refused (torch's CPU kernel averages them)",
        "nn.BatchNorm1d": "an empty-channel input is refused (torch skips it)",
        "nn.InstanceNorm1d": "an empty bool batch is refused (torch skips it)",
        "nn.Upsample": "an empty input is not refused",
    },
}
FAMILIES = {**cases_nn.FAMILIES, **cases_state.FAMILIES}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_nn_and_state_family_matches_torch(family):
    tally = run_family(FAMILIES[family], SEEDS, WAIVED.get(family, {}))
    assert tally.total == len(SEEDS)
    assert tally.counts.get("ok", 0) >= len(SEEDS) // 5, tally.counts
    assert tally.counts.get("waived", 0) <= len(SEEDS) // 10, tally.counts
