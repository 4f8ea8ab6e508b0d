"""Mixed precision as torch spells it: autocast (disabled as torch disables it, or run in
float32 with one warning) and GradScaler, step for step against torch's on the CPU."""

import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule

pytestmark = pytest.mark.oracle  # compared with PyTorch

LIBS = pytest.mark.parametrize("lib", [torch, chainrule], ids=["torch", "chainrule"])
W = np.array([[0.5, -0.25], [0.125, 1.0]], dtype=np.float32)


def _scaled_run(lib, enabled, growth_interval=2):
    layer = lib.nn.Linear(2, 2, bias=False)
    with lib.no_grad():
        layer.weight.copy_(lib.tensor(W))
    optimizer = lib.optim.SGD(layer.parameters(), lr=0.01)
    scaler = lib.amp.GradScaler(
        "cpu", init_scale=2.0**10, growth_interval=growth_interval, enabled=enabled
    )
    record = []
    for step in range(6):
        optimizer.zero_grad()
        loss = layer(lib.tensor([[1.0, 2.0]])).pow(2).sum()
        scaled = scaler.scale(loss)
        scaled.backward()
        if step == 3 and enabled:  # an overflowed gradient: the scaler skips the step
            with lib.no_grad():
                layer.weight.grad[0, 0] = float("inf")
        if step % 2:
            scaler.unscale_(optimizer)
        scaler.step(optimizer)
        scaler.update()
        record.append((scaled.item(), scaler.get_scale(), layer.weight.tolist()))
    return record, scaler.state_dict(), scaler.is_enabled()


@pytest.mark.parametrize("enabled", [True, False], ids=["enabled", "disabled"])
def test_grad_scaler_steps_skips_and_rescales_as_torchs(enabled):
    ours, theirs = _scaled_run(chainrule, enabled), _scaled_run(torch, enabled)
    assert ours[1:] == theirs[1:]
    for (s1, g1, w1), (s2, g2, w2) in zip(ours[0], theirs[0]):
        assert g1 == g2
        np.testing.assert_allclose(w1, w2, rtol=1e-6)
        np.testing.assert_allclose(s1, s2, rtol=1e-6)


@LIBS
def test_grad_scaler_state_dict_round_trips_and_refuses_misuse(lib):
    scaler = lib.amp.GradScaler("cpu", init_scale=8.0)
    other = lib.amp.GradScaler("cpu")
    other.load_state_dict(scaler.state_dict())
    assert other.get_scale() == 8.0
    with pytest.raises(RuntimeError, match="source state dict is empty"):
        other.load_state_dict({})
    layer = lib.nn.Linear(1, 1)
    optimizer = lib.optim.SGD(layer.parameters(), lr=0.1)
    scaler.scale(layer(lib.ones(1, 1)).sum()).backward()
    scaler.unscale_(optimizer)
    with pytest.raises(RuntimeError, match="already been called"):
        scaler.unscale_(optimizer)
    scaler.step(optimizer)
    with pytest.raises(RuntimeError, match="step\\(\\) has already been called"):
        scaler.step(optimizer)
    with pytest.raises(AssertionError, match="growth factor"):
        lib.amp.GradScaler("cpu", growth_factor=0.5)


@LIBS
def test_a_cuda_grad_scaler_is_disabled_with_torchs_warning(lib):
    with pytest.warns(UserWarning, match="CUDA is not available.  Disabling"):
        scaler = lib.amp.GradScaler()
    assert scaler.is_enabled() is False and scaler.get_scale() == 1.0
    assert scaler.state_dict() == {}
    loss = lib.ones(1)
    assert scaler.scale(loss) is loss


@LIBS
def test_disabled_autocast_and_cuda_amp_run_silently(lib):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with lib.autocast(device_type="cpu", dtype=lib.bfloat16, enabled=False):
            y = lib.ones(2, 2) @ lib.ones(2, 2)
        with lib.amp.autocast("cpu", enabled=False):
            pass
        scaler = lib.amp.GradScaler("cpu", enabled=False)
    assert y.dtype == lib.float32 and scaler.get_scale() == 1.0
    with pytest.warns(UserWarning, match="Disabling autocast"):
        with lib.autocast(device_type="cuda"):
            assert lib.is_autocast_enabled() is False
    with pytest.warns(UserWarning, match="target dtype is not supported"):
        with lib.autocast(device_type="cpu", dtype=lib.float64):
            pass


@LIBS
def test_cuda_amp_spellings_exist(lib):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch marks both deprecated
        with lib.cuda.amp.autocast(enabled=False):
            pass
        assert lib.cuda.amp.GradScaler(enabled=False).is_enabled() is False


def test_enabled_cpu_autocast_runs_in_float32_and_says_so_once():
    from chainrule import amp

    amp._warned.discard("cpu")
    with pytest.warns(UserWarning, match="runs in float32"):
        with chainrule.autocast("cpu"):
            assert chainrule.amp.is_autocast_enabled("cpu") is True
            y = chainrule.nn.Linear(2, 2)(chainrule.ones(1, 2))
    assert y.dtype == chainrule.float32 and chainrule.amp.is_autocast_enabled("cpu") is False
    with warnings.catch_warnings():
        warnings.simplefilter("error")

        @chainrule.autocast("cpu", dtype=chainrule.bfloat16)
        def forward(x):
            return x * 2

        assert forward(chainrule.ones(1)).dtype == chainrule.float32
