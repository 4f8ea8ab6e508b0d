"""A key-padding mask given as a static input follows each batch in a replay, also when
MultiheadAttention widens it for add_bias_kv / add_zero_attn."""

import numpy as np
import pytest

import chainrule as cr


@pytest.mark.parametrize("extra", [{"add_bias_kv": True}, {"add_zero_attn": True}, {}])
def test_a_key_padding_mask_follows_each_batch(extra):
    def run(captured):
        attention = cr.nn.MultiheadAttention(4, 2, generator=0, **extra)
        x = cr.tensor(np.random.default_rng(0).standard_normal((3, 2, 4)).astype(np.float32))
        mask = cr.tensor(np.zeros((2, 3), bool))
        optimizer = cr.optim.SGD(attention.parameters(), lr=0.1)

        def step():
            optimizer.zero_grad()
            out, _ = attention(x, x, x, key_padding_mask=mask)
            (out**2).mean().backward()
            optimizer.step()
            return out

        masks = [[[0, 0, 0], [0, 0, 0]], [[0, 0, 1], [1, 0, 0]], [[0, 1, 1], [0, 0, 1]]]
        if captured:
            graph = cr.CPUGraph()
            with cr.graph(graph):
                out = step()
        outs = []
        for i, m in enumerate(masks):
            if i:
                mask.copy_(cr.tensor(np.array(m, bool)))
                if captured:
                    graph.replay()
            if not captured:
                out = step()
            outs.append(out.detach().numpy().tobytes())
        return outs + [p.detach().numpy().tobytes() for p in attention.parameters()]

    assert run(False) == run(True)
