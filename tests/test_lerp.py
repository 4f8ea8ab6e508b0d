"""torch.lerp / Tensor.lerp / Tensor.lerp_ against torch: values, gradients, the in-place form."""

import numpy as np
import pytest
import torch

import chainrule as cr


@pytest.mark.parametrize("weight", [0.0, 0.3, 0.5, 0.9, 1.0, "tensor"])
def test_lerp_matches_torch_in_value_and_gradient(weight):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 4, 3)).astype(np.float32)
    w = rng.random((4, 3)).astype(np.float32) if weight == "tensor" else weight
    ours = [cr.tensor(v, requires_grad=True) for v in (a, b)]
    theirs = [torch.tensor(v, requires_grad=True) for v in (a, b)]
    out = cr.lerp(ours[0], ours[1], cr.tensor(w) if weight == "tensor" else w)
    ref = torch.lerp(theirs[0], theirs[1], torch.tensor(w) if weight == "tensor" else w)
    np.testing.assert_allclose(out.detach().numpy(), ref.detach().numpy(), rtol=1e-6, atol=1e-7)
    (out * out).sum().backward()
    (ref * ref).sum().backward()
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_lerp_in_place_is_an_exponential_moving_average():
    ema, p = cr.tensor(np.zeros(3, np.float32)), cr.tensor(np.float32([1.0, 2.0, 4.0]))
    ref_ema, ref_p = torch.zeros(3), torch.tensor([1.0, 2.0, 4.0])
    for _ in range(3):
        ema.lerp_(p, 0.1)
        ref_ema.lerp_(ref_p, 0.1)
    np.testing.assert_allclose(ema.numpy(), ref_ema.numpy(), rtol=1e-6)
    assert cr.tensor(1.0).lerp(cr.tensor(3.0), 1.0).item() == 3.0  # exact at the far end


def test_lerp_in_place_inside_a_captured_step_replays_as_eager():
    def run(captured):
        w = cr.tensor(np.float32([1.0, -2.0, 0.5]), requires_grad=True)
        ema, x = cr.tensor(np.float32([1.0, -2.0, 0.5])), cr.tensor(np.float32([1, 2, 3]))
        optimizer = cr.optim.SGD([w], lr=0.1)

        def step():
            optimizer.zero_grad()
            ((w * x) ** 2).mean().backward()
            optimizer.step()
            with cr.no_grad():
                ema.lerp_(w, 0.1)

        if captured:
            graph = cr.CPUGraph()
            with cr.graph(graph):
                step()
        else:
            step()
        for i in range(4):
            x.copy_(cr.tensor(np.float32([1, -2, 0.5]) * (i + 2)))
            graph.replay() if captured else step()
        return w.detach().numpy().tobytes(), ema.detach().numpy().tobytes()

    assert run(False) == run(True)
