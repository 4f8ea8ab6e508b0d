"""RNNCell, LSTMCell, GRUCell: one time step, composed from linear, sigmoid and tanh.

The step functions here are shared with the multi-layer RNN, LSTM and GRU (nn/rnn.py), so each
recurrence is written once; autograd differentiates them through the ops they call.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import functional as F
from .._checks import fail_count, fail_shape, fail_value
from ..autograd.factories import as_tensor
from ..device import check_device
from ..dtypes import resolve_float
from ..random import SeedLike, as_generator
from . import init
from .module import Module
from .parameter import Parameter

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def rnn_step(mode: str, x_proj: Any, h: Any, w_hh: Any, b_hh: Any) -> Any:
    """h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh); x_proj already holds the input half."""
    pre = x_proj + F.linear(h, w_hh, b_hh)
    return F.relu(pre) if mode == "RNN_RELU" else F.tanh(pre)


def lstm_step(x_proj: Any, state: tuple, w_hh: Any, b_hh: Any) -> tuple:
    """Gates in torch's order i, f, g, o: c' = f c + i g, h' = o tanh(c')."""
    h, c = state
    gates = x_proj + F.linear(h, w_hh, b_hh)
    i, f, g, o = gates.chunk(4, -1)
    c = F.sigmoid(f) * c + F.sigmoid(i) * F.tanh(g)
    return F.sigmoid(o) * F.tanh(c), c


def gru_step(x_proj: Any, h: Any, w_hh: Any, b_hh: Any) -> Any:
    """Gates r, z, n as torch: n = tanh(x_n + r (W_hn h + b_hn)), h' = (1 - z) n + z h."""
    x_r, x_z, x_n = x_proj.chunk(3, -1)
    h_r, h_z, h_n = F.linear(h, w_hh, b_hh).chunk(3, -1)
    r = F.sigmoid(x_r + h_r)
    z = F.sigmoid(x_z + h_z)
    n = F.tanh(x_n + r * h_n)
    return n + z * (h - n)  # (1 - z) n + z h with one product fewer


def check_sizes(who: str, input_size: Any, hidden_size: Any) -> None:
    for name, size in (("input_size", input_size), ("hidden_size", hidden_size)):
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size <= 0:
            fail_count(who, f"{name} a whole number > 0", size)


def reset_uniform(module: Module, hidden_size: int, generator: SeedLike) -> None:
    """torch's RNN init: every weight and bias ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
    rng = as_generator(generator)
    bound = 1.0 / math.sqrt(hidden_size)
    for param in module.parameters():
        init.uniform_(param, -bound, bound, generator=rng)


class _CellBase(Module):
    _mode = "RNN_TANH"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
        nonlinearity: str = "tanh",
    ) -> None:
        super().__init__()
        who = type(self).__name__
        if nonlinearity not in ("tanh", "relu"):
            fail_value(who, "nonlinearity 'tanh' or 'relu'", repr(nonlinearity))
        if self._mode.startswith("RNN"):
            self.nonlinearity = nonlinearity
            self._mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        check_sizes(who, input_size, hidden_size)
        check_device(device, who)
        dtype = resolve_float(dtype, who)
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        rows = GATES[self._mode] * hidden_size
        self.weight_ih = Parameter(np.empty((rows, input_size), dtype=dtype))
        self.weight_hh = Parameter(np.empty((rows, hidden_size), dtype=dtype))
        self.bias_ih = Parameter(np.empty(rows, dtype=dtype)) if bias else None
        self.bias_hh = Parameter(np.empty(rows, dtype=dtype)) if bias else None
        self.reset_parameters(generator)

    def reset_parameters(self, generator: SeedLike = None) -> None:
        reset_uniform(self, self.hidden_size, generator)

    def _who(self) -> str:
        return f"{type(self).__name__}({self.input_size}, {self.hidden_size})"

    def _prepare(self, input: Any, hx: Any) -> tuple:  # noqa: A002
        """Batch an unbatched (input_size,) input; zeros where no state is given."""
        x = as_tensor(input)
        if x.ndim not in (1, 2) or x.shape[-1] != self.input_size:
            fail_shape(
                self._who(),
                f"input of shape (N, {self.input_size}) or ({self.input_size},)",
                str(tuple(x.shape)),
            )
        batched = x.ndim == 2
        x = x if batched else x.unsqueeze(0)
        states = hx if isinstance(hx, tuple) else (hx,)
        n_states = 2 if self._mode == "LSTM" else 1
        if hx is None:
            zeros = x.new_zeros((x.shape[0], self.hidden_size))
            states = (zeros,) * n_states
        for state in states if hx is not None else ():
            shape = tuple(as_tensor(state).shape)
            want = (x.shape[0], self.hidden_size) if batched else (self.hidden_size,)
            if shape != want:
                fail_shape(self._who(), f"hidden state of shape {want}", str(shape))
        if not batched and hx is not None:
            states = tuple(as_tensor(s).unsqueeze(0) for s in states)
        x_proj = F.linear(x, self.weight_ih, self.bias_ih)
        return x_proj, states if n_states == 2 else states[0], batched

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        return text if self.bias else text + ", bias=False"


class RNNCell(_CellBase):
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu); shapes (N, in) -> (N, hidden).

    >>> import chainrule as cr
    >>> cr.nn.RNNCell(3, 5, generator=0)(cr.ones(2, 3)).shape
    chainrule.Size([2, 5])
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        device: Any = None,
        dtype: Any = None,
        generator: SeedLike = None,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, device, dtype, generator, nonlinearity)

    def forward(self, input: Any, hx: Any = None) -> Any:  # noqa: A002
        x_proj, h, batched = self._prepare(input, hx)
        h = rnn_step(self._mode, x_proj, h, self.weight_hh, self.bias_hh)
        return h if batched else h.squeeze(0)


class LSTMCell(_CellBase):
    """One LSTM step; returns (h', c'), each (N, hidden). Gate rows in torch's order i, f, g, o."""

    _mode = "LSTM"

    def forward(self, input: Any, hx: Any = None) -> tuple:  # noqa: A002
        x_proj, state, batched = self._prepare(input, hx)
        h, c = lstm_step(x_proj, state, self.weight_hh, self.bias_hh)
        return (h, c) if batched else (h.squeeze(0), c.squeeze(0))


class GRUCell(_CellBase):
    """One GRU step, (N, in) -> (N, hidden). Gate rows in torch's order r, z, n."""

    _mode = "GRU"

    def forward(self, input: Any, hx: Any = None) -> Any:  # noqa: A002
        x_proj, h, batched = self._prepare(input, hx)
        h = gru_step(x_proj, h, self.weight_hh, self.bias_hh)
        return h if batched else h.squeeze(0)
