"""torch.nn.utils.rnn: ``pad_sequence`` batches sequences of different lengths by padding them;
the packed forms (PackedSequence) are not offered: the recurrent layers take padded batches."""

from __future__ import annotations

from typing import Any, NoReturn, Sequence

import numpy as np

from ..._checks import fail_value
from ...autograd.tensor import Tensor
from ...cpugraph.capture import record_call
from ...functional import pad, stack


def pad_sequence(
    sequences: Sequence[Tensor],
    batch_first: bool = False,
    padding_value: float = 0.0,
    padding_side: str = "right",
) -> Tensor:
    """Stack (L_i, *) tensors into (L_max, B, *), or (B, L_max, *) with ``batch_first``, filling
    with ``padding_value``; differentiable through the values, as torch's."""
    who = "pad_sequence"
    if padding_side not in ("right", "left"):
        fail_value(who, "padding_side 'right' or 'left'", repr(padding_side))
    sequences = list(sequences)
    if not sequences or not all(isinstance(s, Tensor) and s.ndim >= 1 for s in sequences):
        fail_value(
            who,
            "a non-empty sequence of tensors with at least one axis",
            "an empty sequence" if not sequences else "other values",
        )
    rest = tuple(sequences[0].shape[1:])
    for s in sequences:
        if tuple(s.shape[1:]) != rest:
            fail_value(
                who,
                f"tensors whose shapes after the first axis agree, {rest}",
                f"one of shape {tuple(s.shape)}",
            )
    longest = max(s.shape[0] for s in sequences)
    if not any(s.requires_grad for s in sequences):  # token ids stay integers, as in torch
        arrays = [s._data for s in sequences]  # recorded: a CPUGraph replay pads each batch
        left = padding_side == "left"
        return Tensor._wrap(record_call(_padded, arrays, longest, padding_value, left, batch_first))
    padded = []
    for s in sequences:
        missing = longest - s.shape[0]
        around = (missing, 0) if padding_side == "left" else (0, missing)
        padded.append(pad(s, (0, 0) * len(rest) + around, value=padding_value) if missing else s)
    return stack(padded, dim=0 if batch_first else 1)


def _padded(
    arrays: list, longest: int, padding_value: float, left: bool, batch_first: bool
) -> np.ndarray:
    out = np.full((len(arrays), longest, *arrays[0].shape[1:]), padding_value, arrays[0].dtype)
    for row, array in zip(out, arrays):
        (row[longest - len(array) :] if left else row[: len(array)])[...] = array
    return out if batch_first else np.ascontiguousarray(out.swapaxes(0, 1))


def _packed(name: str) -> Any:
    def refuse(*args: Any, **kwargs: Any) -> NoReturn:
        fail_value(
            name,
            "padded batches (chainrule's RNN, LSTM and GRU take those)",
            "a call for a packed sequence",
            "batch with pad_sequence(sequences, batch_first=True) and mask the padded steps "
            "in the loss (ignore_index, or multiply by a mask).",
        )

    refuse.__name__ = name
    return refuse


pack_padded_sequence = _packed("pack_padded_sequence")
pad_packed_sequence = _packed("pad_packed_sequence")
pack_sequence = _packed("pack_sequence")
from .rnn_unpad import unpack_sequence, unpad_sequence  # noqa: E402, F401
