"""torch.nn.utils.rnn's unpad_sequence (pad_sequence undone) and unpack_sequence (refused, as
the other packed forms are)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..._checks import fail_value


def unpad_sequence(padded_sequences: Any, lengths: Any, batch_first: bool = False) -> list:
    """The list of (L_i, *) sequences in a (L_max, B, *) batch (or (B, L_max, *) with
    ``batch_first``); a slice of the batch each, so gradients flow back into it. torch
    transposes the caller's tensor in place here; chainrule leaves it as it was.

    >>> import chainrule as cr
    >>> [s.shape[0] for s in unpad_sequence(cr.zeros(4, 2, 3), cr.tensor([4, 1]))]
    [4, 1]
    """
    batch = padded_sequences if batch_first else padded_sequences.transpose(0, 1)
    lengths = np.asarray(getattr(lengths, "_data", lengths)).astype(np.int64).reshape(-1)
    if lengths.shape[0] != batch.shape[0]:
        fail_value(
            "unpad_sequence",
            f"one length per sequence ({batch.shape[0]})",
            f"{lengths.shape[0]} lengths",
        )
    return [row[: int(length)] for row, length in zip(batch, lengths)]


def unpack_sequence(packed_sequences: Any) -> list:
    """Refused: chainrule has no PackedSequence (its RNN, LSTM and GRU take padded batches)."""
    fail_value(
        "unpack_sequence",
        "padded batches (chainrule's RNN, LSTM and GRU take those)",
        "a call for a packed sequence",
        "use unpad_sequence(padded, lengths) on the padded batch.",
    )
