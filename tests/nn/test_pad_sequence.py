"""nn.utils.rnn.pad_sequence against torch; the packed-sequence functions refuse clearly."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import chainrule as cr

pytestmark = pytest.mark.oracle


def _program(lib, batch_first, side):
    a = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    padded = lib.nn.utils.rnn.pad_sequence(
        [a, lib.tensor([4.0, 5.0]), lib.tensor([6.0])],
        batch_first=batch_first,
        padding_value=-1,
        padding_side=side,
    )
    (padded * lib.arange(3)).sum().backward()
    return padded.tolist(), a.grad.tolist()


@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("side", ["right", "left"])
def test_padding_and_its_gradient_match_torch(batch_first, side):
    assert _program(cr, batch_first, side) == _program(torch, batch_first, side)


def test_token_ids_stay_integers_and_trailing_axes_are_kept():
    def program(lib):
        ids = lib.nn.utils.rnn.pad_sequence(
            [lib.tensor([1, 2, 3]), lib.tensor([4])], batch_first=True
        )
        frames = lib.nn.utils.rnn.pad_sequence([lib.ones(2, 4), lib.ones(3, 4)])
        return str(ids.dtype).replace("torch.", ""), ids.tolist(), tuple(frames.shape)

    assert program(cr) == program(torch) == ("int64", [[1, 2, 3], [4, 0, 0]], (3, 2, 4))


def test_bad_calls_and_packed_sequences_get_clear_errors():
    with pytest.raises(
        ValueError, match=r"pad_sequence: expected tensors whose shapes after the first"
    ):
        cr.nn.utils.rnn.pad_sequence([cr.ones(2, 3), cr.ones(2, 4)])
    with pytest.raises(ValueError, match="pad_sequence: expected a non-empty sequence"):
        cr.nn.utils.rnn.pad_sequence([])
    with pytest.raises(ValueError, match=r"pack_padded_sequence: expected padded batches.*\nHint"):
        cr.nn.utils.rnn.pack_padded_sequence(cr.ones(3, 2, 1), [3, 2])
    assert np.isclose(
        cr.nn.utils.rnn.pad_sequence([cr.ones(1)], padding_value=0.5).numpy(), 1.0
    ).all()
